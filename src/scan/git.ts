/**
 * Running git for the scanner: short commands whose output is collected, long ones streamed as
 * bytes, and the errors a user can act on. A revision that does not resolve is told apart by
 * cause: a name that is not there (check the spelling), a commit missing from a complete clone
 * (fetch it), or a shallow clone (fetch more history). Only the last one gets the fetch-depth
 * advice, so a typo is never blamed on `actions/checkout`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../core/errors.js';

/**
 * Options every scanner git command gets: paths unquoted where git allows it (non-ASCII stays
 * raw, control characters stay quoted), and no user configuration that would change the output
 * we parse (an external diff or textconv, colour, signatures, prefixes, relative paths).
 */
export const GIT_CONFIG = [
  '-c',
  'core.quotepath=off',
  '-c',
  'color.ui=never',
  '-c',
  'log.showSignature=false',
  '-c',
  'diff.relative=false',
];

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function gitMissing(err: Error): AppError {
  return new AppError('invalid_input', `could not run git (${err.message}); install git or scan a directory instead`);
}

/** Runs a short git command and collects its output (UTF-8). */
export function git(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(gitMissing(err)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** A long-running git process whose stdout is read as bytes; `done` settles when it exits. */
export interface GitStream {
  child: ChildProcessWithoutNullStreams;
  stdout: Readable;
  /** Open only when asked for (`stdin: true`); otherwise already ended. */
  stdin: Writable;
  /** Resolves when git exits 0; rejects with an AppError naming `what` otherwise. */
  done: Promise<void>;
  /** Ends the process early (the consumer stopped). */
  kill(): void;
}

export function gitStream(cwd: string, args: readonly string[], what: string, options: { stdin?: boolean } = {}): GitStream {
  const child = spawn('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  let killed = false;
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(gitMissing(err)));
    child.on('close', (code, signal) => {
      if (code === 0 || killed) resolve();
      else reject(new AppError('invalid_input', `${what} failed: ${safeLine(stderr) || `git exited with ${code ?? signal}`}`));
    });
  });
  // Awaited by the caller when it is done reading; marked handled now so that a failure while the
  // caller is still busy elsewhere is not an unhandled rejection.
  done.catch(() => {});
  // A consumer that stopped early closes our end of a pipe: git then exits on EPIPE, which is not an error.
  child.stdin.on('error', () => {});
  if (!options.stdin) child.stdin.end();
  return {
    child,
    stdout: child.stdout,
    stdin: child.stdin,
    done,
    kill() {
      killed = true;
      child.kill();
    },
  };
}

/** The first line of git's stderr, without control characters, for a message. */
function safeLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return (text.trim().split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?').slice(0, 200);
}

/** A revision as a message shows it: no control characters, at most 80 characters. */
export function shownRev(rev: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return rev.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?').slice(0, 80);
}

/** What to do about a shallow clone, for every message that has to say it. */
export const FETCH_DEPTH_FIX =
  'check out with full history (actions/checkout with `fetch-depth: 0`, or a depth that reaches the base) or run `git fetch --unshallow`';

async function assertRepository(cwd: string): Promise<void> {
  const top = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (top.code !== 0) {
    throw new AppError('invalid_input', `${cwd} is not inside a git repository; this mode needs one (or scan the directory as files)`);
  }
}

/** True when the repository is a shallow clone (some commits' parents were not fetched). */
export async function isShallow(cwd: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--is-shallow-repository']);
  return r.code === 0 && r.stdout.trim() === 'true';
}

/** The commits at the edge of a shallow clone (their parents are missing); empty for a full clone. */
export async function shallowBoundary(cwd: string): Promise<Set<string>> {
  const r = await git(cwd, ['rev-parse', '--git-path', 'shallow']);
  if (r.code !== 0) return new Set();
  const file = path.resolve(cwd, r.stdout.trim());
  try {
    return new Set(
      (await readFile(file, 'utf8'))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

const OBJECT_ID = /^[0-9a-f]{7,64}$/i;

/**
 * Resolves `rev` to a commit id. `which` names it in messages ("base", "head"). Errors say why it
 * failed: not a repository, a name that does not exist, an object that is not a commit, a commit
 * id not in a complete clone, or any of these in a shallow clone (then: fetch more history).
 */
export async function resolveCommit(cwd: string, rev: string, which: string): Promise<string> {
  const shown = shownRev(rev);
  if (rev.startsWith('-') || rev.trim() === '') {
    throw new AppError('invalid_input', `${which} "${shown}" is not a revision; give a branch, tag or commit id`);
  }
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (r.code === 0) return r.stdout.trim();
  await assertRepository(cwd);
  const other = await git(cwd, ['cat-file', '-t', rev]);
  if (other.code === 0) {
    throw new AppError('invalid_input', `${which} "${shown}" is a ${other.stdout.trim()}, not a commit; give a branch, tag or commit id`);
  }
  if (await isShallow(cwd)) {
    throw new AppError(
      'invalid_input',
      `${which} "${shown}" is not in this clone, which is shallow (it holds only the newest commits); ${FETCH_DEPTH_FIX}`,
    );
  }
  if (OBJECT_ID.test(rev)) {
    throw new AppError(
      'invalid_input',
      `${which} commit "${shown}" is not in this clone (which has full history); check the id, or fetch it (\`git fetch origin ${shown}\`; a commit replaced by a force push may exist nowhere any more). On GitHub Actions, check out with \`fetch-depth: 0\` so every branch is fetched`,
    );
  }
  throw new AppError(
    'invalid_input',
    `${which} "${shown}" is not a branch, tag or commit in this repository; check the name (\`git branch -a\` lists branches; remote ones are named like origin/main)`,
  );
}

/**
 * Fails when a shallow clone cuts into the commits selected by `revs` (for example `^BASE HEAD`):
 * the oldest of them would then look like root commits and their parents' changes like theirs.
 */
export async function assertRangeComplete(cwd: string, revs: readonly string[], shown: string): Promise<void> {
  const boundary = await shallowBoundary(cwd);
  if (boundary.size === 0) return;
  const r = await git(cwd, ['rev-list', ...revs, '--']);
  if (r.code !== 0) throw new AppError('invalid_input', `git rev-list ${shown} failed: ${safeLine(r.stderr)}`);
  const cut = r.stdout.split('\n').find((sha) => boundary.has(sha.trim()));
  if (cut) {
    throw new AppError(
      'invalid_input',
      `the clone is shallow and the commits of ${shown} reach past its oldest fetched commit (${cut.slice(0, 12)}), so they cannot all be scanned; ${FETCH_DEPTH_FIX}`,
    );
  }
}

/** The commits a diff compares: merge-base of base and head, and head. Equal when nothing changed. */
export async function resolveRange(cwd: string, base: string, head: string): Promise<{ from: string; to: string }> {
  const b = await resolveCommit(cwd, base, 'base');
  const h = await resolveCommit(cwd, head, 'head');
  if (b === h) return { from: h, to: h };
  const mb = await git(cwd, ['merge-base', b, h]);
  if (mb.code !== 0) {
    if (await isShallow(cwd)) {
      throw new AppError(
        'invalid_input',
        `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone, which is shallow; ${FETCH_DEPTH_FIX}`,
      );
    }
    throw new AppError(
      'invalid_input',
      `base ${b.slice(0, 12)} and head ${h.slice(0, 12)} have no common ancestor (unrelated histories), so there is no merge-base to diff from; scan every commit of head that base lacks with --commits ${shownRev(base)}..${shownRev(head)}`,
    );
  }
  return { from: mb.stdout.trim(), to: h };
}

/**
 * A path as git prints it with core.quotepath=off, read as latin1 (one char per byte): either raw
 * bytes, or a C-style quoted string when it holds control characters, quotes or backslashes.
 * Returns the path decoded as UTF-8.
 */
export function unquotePath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"') || p.length < 2) return Buffer.from(p, 'latin1').toString('utf8');
  const inner = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c !== 92) {
      bytes.push(c & 0xff);
      continue;
    }
    const n = inner[++i] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(inner.slice(i, i + 3), 8) & 0xff);
      i += 2;
    } else bytes.push({ n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The directory of `cwd` inside its repository, `/`-terminated ('' at the top). */
export async function repoPrefix(cwd: string): Promise<string> {
  const r = await git(cwd, ['rev-parse', '--show-prefix']);
  if (r.code !== 0) {
    await assertRepository(cwd);
    throw new AppError('invalid_input', `git rev-parse --show-prefix failed: ${safeLine(r.stderr)}`);
  }
  return Buffer.from(r.stdout.replace(/\n$/, ''), 'utf8').toString('utf8');
}

export { assertRepository };

/** Writes to a child's stdin, waiting while its pipe is full (or until it closes). */
export async function writeTo(stream: Writable, data: string): Promise<void> {
  if (stream.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** A stream's lines (split on LF only, decoded as latin1), a chunk's worth at a time. */
export async function* lineBatches(stream: Readable): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    if (lines.length > 0) yield lines;
  }
  if (rest !== '') yield [rest];
}

/**
 * The repository's `origin` as a URL without credentials (for SARIF's versionControlProvenance),
 * or undefined. A remote URL can hold a token (`https://x:TOKEN@host/...`): only scheme, host and
 * path are kept.
 */
export async function repositoryUrl(cwd: string): Promise<string | undefined> {
  const r = await git(cwd, ['config', '--get', 'remote.origin.url']);
  if (r.code !== 0) return undefined;
  const raw = r.stdout.trim();
  const scp = /^[^@/:]+@([^:/]+):(.+)$/.exec(raw);
  try {
    const url = new URL(scp ? `ssh://${scp[1]}/${scp[2]}` : raw);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || url.hostname === '') return undefined;
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/** True when `rev` names a commit in this clone. */
export async function hasCommit(cwd: string, rev: string): Promise<boolean> {
  if (rev.startsWith('-')) return false;
  return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).code === 0;
}
