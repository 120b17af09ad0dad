/**
 * What every `ass` command shares: the command shape, argument parsing with errors that never echo
 * a value, credentials from the environment, output helpers (aligned tables, JSON).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ClientOptions, createClient, type VaultClient } from '../client/client.js';
import { parseDuration } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import { isLoopbackHost } from '../core/net.js';
import type { CliIo } from './io.js';

export const DEFAULT_URL = 'http://127.0.0.1:8200';

/** Things tests replace so that nothing waits on wall time or real signals. */
export interface CliDeps {
  /** Sleep between `audit --tail` polls and client retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Interval between `audit --tail` polls (default 2000 ms). */
  tailIntervalMs?: number;
  /** Aborted when a long-running command (`server`, `audit --tail`) should stop; default SIGINT/SIGTERM. */
  stopSignal?: AbortSignal;
  /** Clock, ms (for `--since 1h`). */
  now?: () => number;
  /** Extra client options (e.g. a shorter timeout or no retries). */
  client?: Partial<ClientOptions>;
}

export interface Ctx {
  io: CliIo;
  deps: CliDeps;
  out: (s: string) => void;
  err: (s: string) => void;
}

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

export interface Command {
  /** e.g. `ass secrets get PATH [--version N] [--silent] [--json]` */
  usage: string;
  summary: string;
  /** Flag descriptions and notes, printed by `--help`. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, in order; the last may be optional (see `minPositionals`). */
  positionals?: string[];
  minPositionals?: number;
  /** The last positional repeats (`ass scan [PATH...]`). */
  variadic?: boolean;
  /** Positionals that may hold a secret: never echoed in an error. */
  sensitivePositionals?: boolean;
  /** Talks to the vault: adds `--url`. */
  remote?: boolean;
  /** `--json` prints this route's answer; its help line is made from the route's schema. */
  json?: import('../api/routes.js').RouteName;
  run(ctx: Ctx, values: Values, positionals: string[]): Promise<number>;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandGroup {
  name: string;
  summary: string;
  /** Subcommands by name. */
  commands: Record<string, Command>;
  /** Runs when no subcommand matches (e.g. `ass audit --limit 5`). */
  fallback?: Command;
}

/** A usage mistake: exit 2, with a pointer to the command's help. */
export function usage(message: string, helpFor?: string): AppError {
  return new AppError('invalid_input', helpFor ? `${message}\nRun \`${helpFor} --help\` for usage.` : message);
}

/**
 * Runs a parser of user input (a path, scope, duration, CIDR…); the AppError it throws for bad
 * input becomes a usage error (exit 2) that points at the command's help.
 */
export function asUsage<T>(helpFor: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof AppError) throw usage(e.message, helpFor);
    throw e;
  }
}

/** A duration option (`--ttl 15m`) in seconds, or undefined when it is absent. */
export function durationOption(values: Values, key: string, helpFor: string): number | undefined {
  const v = str(values, key);
  return v === undefined ? undefined : asUsage(helpFor, () => parseDuration(v, `--${key}`));
}

const OPTION_NAME = /^(--[A-Za-z][A-Za-z0-9-]{0,40}|-[A-Za-z])$/;

/**
 * Parses argv for one command. Errors name the option at fault, never an argument that could be a
 * value (`ass secrets set PATH -s3cr3t` must not print `-s3cr3t`).
 */
export function parse(cmd: Command, name: string, argv: string[]): { values: Values; positionals: string[]; help: boolean } {
  const options: Record<string, OptionSpec> = { ...cmd.options, help: { type: 'boolean', short: 'h' } };
  if (cmd.remote) {
    options.url = { type: 'string' };
    options.insecure = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage(describeParseError(e, argv, options, cmd.sensitivePositionals === true), name);
  }
  const values = parsed.values as Values;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  const names = cmd.positionals ?? [];
  const min = cmd.minPositionals ?? names.length;
  if (parsed.positionals.length < min) {
    const missing = names.slice(parsed.positionals.length, min).join(' ');
    throw usage(`Missing ${missing}.`, name);
  }
  if (parsed.positionals.length > names.length && !cmd.variadic) {
    const extra = parsed.positionals.length - names.length;
    const shown = cmd.sensitivePositionals
      ? ''
      : `: ${parsed.positionals
          .slice(names.length)
          .map((p) => JSON.stringify(p.slice(0, 60)))
          .join(' ')}`;
    throw usage(
      `Too many arguments (${extra} more than ${names.length ? names.join(' ') : 'none'})${shown}. Quote values that contain spaces.`,
      name,
    );
  }
  return { values, positionals: parsed.positionals, help: false };
}

function describeParseError(e: unknown, argv: string[], options: Record<string, OptionSpec>, sensitive: boolean): string {
  const code = (e as { code?: string }).code;
  const known = new Set<string>();
  for (const [k, v] of Object.entries(options)) {
    known.add(`--${k}`);
    if (v.short) known.add(`-${v.short}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const bad = argv.find((a, i) => a.startsWith('-') && a !== '-' && !argv.slice(0, i).includes('--') && !known.has(a.split('=')[0]!));
    // Where an argument may be a secret value (`secrets set PATH -s3cr3t`) nothing is echoed.
    if (bad && !sensitive && OPTION_NAME.test(bad.split('=')[0]!)) {
      return `Unknown option ${bad.split('=')[0]}. A value that starts with '-' goes after '--' (or on stdin for secret values).`;
    }
    return "An argument starting with '-' is not a known option. A value that starts with '-' goes after '--' (or on stdin for secret values).";
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = Object.keys(options).find((k) => String((e as Error).message).includes(`'--${k}`));
    if (name && options[name]!.type === 'boolean') return `The option --${name} takes no value.`;
    return name ? `The option --${name} needs a value.` : 'An option is missing its value.';
  }
  return 'The arguments could not be parsed.';
}

// -------------------------------------------------------------------------------------------
// Option readers

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(values: Values, key: string, hint: string, helpFor: string): string {
  const v = str(values, key);
  if (v === undefined || v.trim() === '') throw usage(`--${key} is required: ${hint}.`, helpFor);
  return v;
}

export function list(values: Values, key: string): string[] {
  const v = values[key];
  if (v === undefined || typeof v === 'boolean') return [];
  const items = Array.isArray(v) ? v : [v];
  return items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function int(values: Values, key: string, { min, helpFor }: { min: number; helpFor: string }): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw usage(
      `--${key} must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, not ${JSON.stringify(v.slice(0, 20))}.`,
      helpFor,
    );
  }
  return Number(v);
}

export function oneOf<T extends string>(values: Values, key: string, allowed: readonly T[], helpFor: string): T | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(`--${key} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v.slice(0, 30))}.`, helpFor);
  }
  return v as T;
}

// -------------------------------------------------------------------------------------------
// Credentials and clients

export function vaultUrl(ctx: Ctx, values: Values): string {
  const fromFlag = str(values, 'url');
  const fromEnv = ctx.io.env.ASS_URL;
  return fromFlag || fromEnv?.trim() || DEFAULT_URL;
}

export function envCredential(ctx: Ctx, name: 'ASS_TOKEN' | 'ASS_AGENT_KEY'): string | undefined {
  const v = ctx.io.env[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/** ASS_CA_CERT: a PEM file to trust for an https vault whose certificate comes from a private CA. */
function caCert(ctx: Ctx): string | undefined {
  const file = ctx.io.env.ASS_CA_CERT?.trim();
  if (!file) return undefined;
  try {
    return readFileSync(path.resolve(ctx.io.cwd, file), 'utf8');
  } catch (err) {
    throw new AppError(
      'invalid_input',
      `ASS_CA_CERT names ${JSON.stringify(file)}, which could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); point it at a PEM certificate file.`,
    );
  }
}

/**
 * A credential crosses the network only encrypted: plain http is for loopback (a local vault, or a
 * TLS proxy on the same host), unless the user says --insecure for a network they trust.
 */
function refusePlainHttp(ctx: Ctx, values: Values, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // the client names what is wrong with the URL
  }
  if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname)) return;
  if (values.insecure === true) {
    ctx.err(
      `warning: sending your credential to ${parsed.host} over plain http (--insecure): anyone on the network path can read it and the secrets.\n`,
    );
    return;
  }
  throw new AppError(
    'invalid_input',
    `Refusing to send your credential to ${parsed.host} over plain http: anyone on the network path could read it, and the secrets with it. Use https:// (ASS_CA_CERT trusts a private CA), or add --insecure if you trust the network.`,
  );
}

export function makeClient(ctx: Ctx, values: Values, credential: string | undefined): VaultClient {
  const ca = caCert(ctx);
  const url = vaultUrl(ctx, values);
  if (credential !== undefined) refusePlainHttp(ctx, values, url);
  return createClient({
    url,
    ...(ca ? { caCert: ca } : {}),
    credential,
    userAgent: 'ass-cli/0.1.0',
    timeoutMs: 30_000,
    retry: { attempts: 3, baseMs: 250, maxMs: 2_000, ...(ctx.deps.sleep ? { sleep: ctx.deps.sleep } : {}) },
    ...ctx.deps.client,
  });
}

/** A client with the user's token (ASS_TOKEN), for admin/user commands. */
export function userClient(ctx: Ctx, values: Values, what: string): VaultClient {
  const token = envCredential(ctx, 'ASS_TOKEN');
  if (!token) {
    throw new AppError(
      'unauthenticated',
      `${what} needs a user token: set ASS_TOKEN (ass init prints the first admin token; ass users create makes more).${
        /^(audit|incident)/.test(what) && what !== 'incident'
          ? ' An agent holding the audit:read scope can use one of its tokens instead: ASS_TOKEN=$(ass tokens issue --scopes audit:read --ttl 1h --json | jq -r .token).'
          : ''
      }`,
    );
  }
  return makeClient(ctx, values, token);
}

/** A client with the agent key (ASS_AGENT_KEY), for `tokens issue` and `tokens exchange`. */
export function agentClient(ctx: Ctx, values: Values, what: string): VaultClient {
  const key = envCredential(ctx, 'ASS_AGENT_KEY');
  if (!key) {
    throw new AppError('unauthenticated', `${what} needs an agent key: set ASS_AGENT_KEY to the key \`ass agents create\` printed.`);
  }
  return makeClient(ctx, values, key);
}

/** Runs `fn` with a client and always closes its connection pool. */
export async function withClient<T>(client: VaultClient, fn: (c: VaultClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

// -------------------------------------------------------------------------------------------
// Output

/** JSON for scripts: pretty, one trailing newline. */
export function json(value: unknown): string {
  // JSON.stringify leaves C1 controls (U+009B is an 8-bit CSI) and direction overrides as they are:
  // they are escaped, which is the same JSON, so a vault's text cannot drive the terminal.
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/**
 * Text for a person's terminal from anywhere (a message, a line naming what the vault sent): every
 * control character but newline and tab, and direction overrides, become `?`.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** Replaces control characters and direction overrides so that data from the vault cannot drive the terminal or reorder what it shows. */
export function clean(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  const text = Array.isArray(value) ? value.join(',') : String(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** An aligned table with a header row; every cell cleaned. */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(clean))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** `key  value` lines, aligned. */
export function fields(pairs: Array<[string, unknown]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return `${pairs.map(([k, v]) => `${k.padEnd(width)}  ${clean(v)}`).join('\n')}\n`;
}

/** Reads all of stdin as UTF-8. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Strips exactly one trailing newline (`\n` or `\r\n`), as `echo` and heredocs add one. */
export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/** An AbortSignal that fires on SIGINT/SIGTERM (or the injected one), and a cleanup. */
export function stopSignal(ctx: Ctx): { signal: AbortSignal; dispose: () => void } {
  if (ctx.deps.stopSignal) return { signal: ctx.deps.stopSignal, dispose: () => {} };
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function sleepUntil(ms: number, signal: AbortSignal, sleep?: (ms: number) => Promise<void>): Promise<void> {
  if (sleep) return sleep(ms);
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Writes a file only its owner can read: a new file (0600, never an existing one, never through a
 * symlink planted at the name) renamed into place, so an earlier file's mode or a link never decides
 * who reads what was written. Throws a usage error naming the file when it cannot.
 */
export async function writePrivateFile(file: string, content: string, hint = 'pass --output with a writable path'): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new AppError('invalid_input', `Could not write ${file} (${(e as { code?: string }).code ?? 'error'}); ${hint}.`);
  }
}

/** How many records a CSV text holds (its rows after the header; quoted cells may hold line breaks). */
export function csvRecordCount(text: string): number {
  let rows = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && c === '\n') {
      if (content) rows++;
      content = false;
    } else if (c !== '\r') content = true;
  }
  if (content) rows++;
  return Math.max(0, rows - 1);
}
