/** Temporary git repositories for diff-mode, commit-range, history and action tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'ass-scan-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An author for `commit`: name, and optionally the date (git's formats, e.g. `2024-01-02T03:04:05Z`). */
export interface Author {
  name?: string;
  email?: string;
  date?: string;
}

export class TempRepo {
  readonly dir: string;
  constructor(dir = tempDir('ass-scan-repo-'), init = true) {
    this.dir = dir;
    if (!init) return;
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.invalid');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'commit.gpgsign', 'false');
  }
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' }).trim();
  }
  /** git with extra environment (author identity and dates). */
  gitEnv(env: Record<string, string>, ...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  }
  write(rel: string, content: string | Buffer): void {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  remove(rel: string): void {
    rmSync(path.join(this.dir, rel), { recursive: true, force: true });
  }
  commit(message: string, author: Author = {}): string {
    this.git('add', '-A');
    const env: Record<string, string> = {};
    if (author.name !== undefined) env.GIT_AUTHOR_NAME = author.name;
    if (author.email !== undefined) env.GIT_AUTHOR_EMAIL = author.email;
    if (author.date !== undefined) {
      env.GIT_AUTHOR_DATE = author.date;
      env.GIT_COMMITTER_DATE = author.date;
    }
    this.gitEnv(env, 'commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
  /**
   * Commits the index as a raw commit object written byte for byte (`hash-object --literally`), so
   * the author line and message can hold what `git commit` would refuse or clean (line breaks in a
   * name, any control character), and moves the current branch to it.
   */
  commitRaw(authorLine: string, message: string): string {
    this.git('add', '-A');
    const tree = this.git('write-tree');
    const parent = this.git('rev-parse', 'HEAD');
    const body = `tree ${tree}\nparent ${parent}\nauthor ${authorLine}\ncommitter Test <test@example.invalid> 1700000000 +0000\n\n${message}`;
    const sha = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], {
      cwd: this.dir,
      input: body,
      encoding: 'utf8',
    }).trim();
    this.git('update-ref', 'HEAD', sha);
    this.git('reset', '-q', '--hard', sha);
    return sha;
  }
  /** A clone of this repository through file:// (so `--depth` makes it shallow). */
  clone(...args: string[]): TempRepo {
    const dir = tempDir('ass-scan-clone-');
    execFileSync('git', ['clone', '-q', ...args, `file://${this.dir}`, dir], { encoding: 'utf8' });
    const repo = new TempRepo(dir, false);
    repo.git('config', 'user.email', 'test@example.invalid');
    repo.git('config', 'user.name', 'Test');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }
  /** The ids of every blob reachable from any ref. */
  reachableBlobs(): string[] {
    const objects = this.git('rev-list', '--all', '--objects')
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter(Boolean);
    const types = execFileSync('git', ['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
      cwd: this.dir,
      input: `${objects.join('\n')}\n`,
      encoding: 'utf8',
    });
    return types
      .split('\n')
      .filter((l) => l.endsWith(' blob'))
      .map((l) => l.split(' ')[0]!);
  }
}
