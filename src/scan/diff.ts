/**
 * Added lines of a change, from local git: `merge-base(BASE, HEAD)..HEAD` for a PR or a range,
 * or the index for a pre-commit hook. Only `+` lines are scanned: a key committed long ago is not
 * this change's fault.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AppError } from '../core/errors.js';

export type DiffSpec = { kind: 'range'; base: string; head: string } | { kind: 'staged' };

/** Added lines of one file: `lines[i]` is line number `numbers[i]` of the new file. */
export interface AddedFile {
  path: string;
  numbers: number[];
  lines: string[];
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) =>
      reject(new AppError('invalid_input', `could not run git (${err.message}); install git or scan a directory instead of a diff`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Parses `A..B` or `A...B` (both mean: what B adds since it left A). */
export function parseRange(spec: string): { base: string; head: string } {
  const m = /^([^.\s][^\s]*?)\.\.\.?([^.\s][^\s]*)$/.exec(spec.trim());
  if (!m) {
    throw new AppError('invalid_input', `--diff expects BASE..HEAD (for example --diff origin/main..HEAD), got "${spec.slice(0, 80)}"`);
  }
  return { base: m[1]!, head: m[2]! };
}

const SHALLOW_HINT =
  'the clone is probably shallow: check out with full history (actions/checkout with `fetch-depth: 0`) or run `git fetch --unshallow`';

async function resolveCommit(cwd: string, rev: string, which: string): Promise<string> {
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (r.code !== 0) {
    const top = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
    if (top.code !== 0) {
      throw new AppError(
        'invalid_input',
        `${cwd} is not inside a git repository; diff mode needs one (or scan the directory without --diff)`,
      );
    }
    throw new AppError('invalid_input', `${which} commit "${rev.slice(0, 80)}" is not in this clone; ${SHALLOW_HINT}`);
  }
  return r.stdout.trim();
}

/** The commits a range scan compares: merge-base of base and head, and head. Equal when nothing changed. */
export async function resolveRange(cwd: string, base: string, head: string): Promise<{ from: string; to: string }> {
  const b = await resolveCommit(cwd, base, 'base');
  const h = await resolveCommit(cwd, head, 'head');
  if (b === h) return { from: h, to: h };
  const mb = await git(cwd, ['merge-base', b, h]);
  if (mb.code !== 0) {
    throw new AppError(
      'invalid_input',
      `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone; ${SHALLOW_HINT}`,
    );
  }
  return { from: mb.stdout.trim(), to: h };
}

function unquote(p: string): string {
  if (!p.startsWith('"')) return p;
  const inner = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = inner[++i]!;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(inner.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push({ n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Runs `git diff -U0` and collects the added lines per file (paths relative to `cwd`). */
export async function addedLines(cwd: string, spec: DiffSpec): Promise<AddedFile[]> {
  const args = [
    '-c',
    'core.quotepath=off',
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--unified=0',
    '--relative',
    '-M',
    '--src-prefix=a/',
    '--dst-prefix=b/',
  ];
  if (spec.kind === 'staged') args.push('--cached');
  else {
    const { from, to } = await resolveRange(cwd, spec.base, spec.head);
    if (from === to) return [];
    args.push(from, to);
  }
  const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const files: AddedFile[] = [];
  let current: AddedFile | undefined;
  let next = 0;
  const rl = createInterface({ input: child.stdout.setEncoding('utf8'), crlfDelay: Infinity });
  let remaining = 0;
  for await (const line of rl) {
    // Inside a hunk, count added lines so a content line like "++ x" is not read as a header.
    if (remaining > 0 && line.startsWith('+')) {
      if (current) {
        current.numbers.push(next);
        current.lines.push(line.slice(1));
      }
      next++;
      remaining--;
      continue;
    }
    if (remaining > 0 && (line.startsWith('-') || line.startsWith('\\'))) continue;
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      current = undefined;
      if (target !== '/dev/null') {
        const p = unquote(target);
        current = { path: p.startsWith('b/') ? p.slice(2) : p, numbers: [], lines: [] };
        files.push(current);
      }
    } else if (line.startsWith('@@')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      next = m ? Number(m[1]) : 0;
      remaining = m ? Number(m[2] ?? '1') : 0;
    } else if (line.startsWith('diff --git ')) {
      current = undefined;
      remaining = 0;
    }
  }
  const code = await exited;
  if (code !== 0) {
    throw new AppError('invalid_input', `git diff failed: ${stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
  }
  return files.filter((f) => f.lines.length > 0);
}
