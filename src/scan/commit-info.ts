/**
 * Who made a commit, when, and its subject, read from the raw commit objects (`git cat-file
 * --batch`) rather than through a `--format` string: a crafted commit can hold any byte in its
 * author or message, and a format string's separators could then be forged. Every text field is
 * cleaned (control characters, line breaks and direction overrides become `?`) and cut short here,
 * once, so nothing from a commit reaches a terminal, an annotation or a workflow command raw.
 */
import { gitStream } from './git.js';
import type { CommitInfo } from './types.js';

const MAX_AUTHOR = 100;
const MAX_SUBJECT = 200;

/** `text` with control characters, line breaks and direction overrides replaced, at most `max` characters. */
export function cleanMetadata(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, '?').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function isoDate(seconds: number, tz: string): string {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(tz);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date((seconds + offsetMin * 60) * 1000);
  if (Number.isNaN(local.getTime())) return '';
  const stamp = local.toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${stamp}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Parses a raw commit object (as `git cat-file commit` prints it). */
export function parseCommit(sha: string, raw: string): CommitInfo {
  const blank = raw.indexOf('\n\n');
  const headers = blank === -1 ? raw : raw.slice(0, blank);
  const message = blank === -1 ? '' : raw.slice(blank + 2);
  let author = '';
  let date = '';
  for (const line of headers.split('\n')) {
    if (!line.startsWith('author ')) continue;
    const m = /^author (.*) <[^>]*> (\d+) ([+-]\d{4})$/.exec(line);
    if (m) {
      author = m[1]!;
      date = isoDate(Number(m[2]), m[3]!);
    } else author = line.slice('author '.length);
    break;
  }
  // As git's %s: the first paragraph, its lines joined by spaces.
  const para = message.replace(/^\n+/, '').split(/\n\s*\n/)[0] ?? '';
  const subject = para.split('\n').join(' ');
  return { sha, author: cleanMetadata(author, MAX_AUTHOR), date, subject: cleanMetadata(subject, MAX_SUBJECT) };
}

/** Reads the author, date and subject of each commit in `shas` (one git process). */
export async function readCommitInfo(cwd: string, shas: readonly string[]): Promise<Map<string, CommitInfo>> {
  const out = new Map<string, CommitInfo>();
  if (shas.length === 0) return out;
  const objects = await readObjects(cwd, shas);
  for (const [sha, obj] of objects) if (obj.type === 'commit') out.set(sha, parseCommit(sha, obj.data.toString('utf8')));
  return out;
}

/**
 * Reads whole objects by name (`sha`, `rev:path`) with `git cat-file`. For a handful of objects
 * (commits, the blobs at a few paths); missing names are left out. Objects larger than `maxBytes`
 * are not read: they come back with their size and no data.
 */
export async function readObjects(
  cwd: string,
  names: readonly string[],
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Map<string, { type: string; data: Buffer; size: number }>> {
  const out = new Map<string, { type: string; data: Buffer; size: number }>();
  // A name is one line of cat-file's input.
  let wanted = names.filter((n) => !/[\n\r]/.test(n));
  if (wanted.length === 0) return out;
  if (Number.isFinite(maxBytes)) {
    const check = await catFile(cwd, wanted, false);
    wanted = [];
    for (const [name, obj] of check) {
      if (obj.size <= maxBytes) wanted.push(name);
      else out.set(name, obj);
    }
  }
  for (const [name, obj] of await catFile(cwd, wanted, true)) out.set(name, obj);
  return out;
}

async function catFile(
  cwd: string,
  names: readonly string[],
  contents: boolean,
): Promise<Map<string, { type: string; data: Buffer; size: number }>> {
  const out = new Map<string, { type: string; data: Buffer; size: number }>();
  if (names.length === 0) return out;
  const proc = gitStream(cwd, ['cat-file', contents ? '--batch' : '--batch-check'], 'git cat-file', { stdin: true });
  proc.stdin.end(`${names.join('\n')}\n`);
  let index = 0;
  let header: Buffer[] = [];
  let pending: { name: string; type: string; size: number; parts: Buffer[]; got: number } | undefined;
  const finish = (p: NonNullable<typeof pending>) => out.set(p.name, { type: p.type, size: p.size, data: Buffer.concat(p.parts, p.size) });
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    let pos = 0;
    while (pos < chunk.length) {
      if (pending) {
        // The object's bytes, then one LF.
        const take = Math.min(pending.size + 1 - pending.got, chunk.length - pos);
        pending.parts.push(chunk.subarray(pos, pos + take));
        pending.got += take;
        pos += take;
        if (pending.got === pending.size + 1) {
          pending.parts[pending.parts.length - 1] = pending.parts[pending.parts.length - 1]!.subarray(0, -1);
          finish(pending);
          pending = undefined;
        }
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) {
        header.push(chunk.subarray(pos));
        break;
      }
      header.push(chunk.subarray(pos, nl));
      pos = nl + 1;
      const line = Buffer.concat(header).toString('latin1');
      header = [];
      const name = names[index++] ?? '';
      const m = /^\S+ (\S+) (\d+)$/.exec(line);
      if (!m) continue; // "<name> missing" or "ambiguous"
      const obj = { name, type: m[1]!, size: Number(m[2]), parts: [] as Buffer[], got: 0 };
      if (contents) pending = obj;
      else out.set(name, { type: obj.type, size: obj.size, data: Buffer.alloc(0) });
    }
  }
  await proc.done;
  return out;
}
