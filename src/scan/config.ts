/**
 * The project's scanner configuration (`.ass-scan.json`): custom rules, as gitleaks users write
 * them in `.gitleaks.toml` (id, description, regex, keywords, entropy, secretGroup, path,
 * allowlist), built-in rules to switch off, and an allowlist for every rule. The file is checked
 * before anything is scanned; a mistake names its field and says how to fix it. Custom
 * expressions are refused when their shape can make the engine backtrack without end
 * (regex-safety.ts), and run on the same engine as the built-in rules (keyword prefilter, windows,
 * filters, inline suppression).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { type CompiledRules, compileRules } from './engine.js';
import { regexShapeProblems } from './regex-safety.js';
import { RULES, type Rule } from './rules.js';

/** Looked for in the scanned directory when no `--config` is given. */
export const CONFIG_FILE_NAME = '.ass-scan.json';

const DOCS = 'docs/scan.md, "Custom rules"';

const allowlistSchema = z
  .object({
    description: z.string().max(500).optional(),
    /** Expressions tested against the secret: a match means "not a finding". */
    regexes: z.array(z.string().min(1).max(1000)).max(200).optional(),
    /** Expressions tested against the file path. */
    paths: z.array(z.string().min(1).max(1000)).max(200).optional(),
    /** Words: a secret that contains one (any case) is not a finding. */
    stopwords: z.array(z.string().min(1).max(200)).max(5000).optional(),
  })
  .strict();

const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits in words joined by hyphens, like "acme-api-key"')
      .max(80),
    description: z.string().min(1, 'must say what the secret is').max(300),
    provider: z.string().min(1).max(100).optional(),
    regex: z.string().min(1, 'must not be empty').max(2000),
    keywords: z
      .array(z.string().min(2, 'must be at least 2 characters').max(100))
      .min(1, 'must list at least one literal the secret or its line always contains (the prefilter runs the expression only near one)')
      .max(50),
    entropy: z.number().min(0).max(8, 'is bits per character: between 0 and 8').optional(),
    severity: z.enum(['critical', 'high', 'medium', 'low']).optional(),
    secretGroup: z.number().int().min(0).max(20).optional(),
    path: z.string().min(1).max(1000).optional(),
    allowlist: allowlistSchema.optional(),
  })
  .strict();

const configSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().max(1000).optional(),
    rules: z.array(ruleSchema).max(500).optional(),
    disabledRules: z.array(z.string()).max(1000).optional(),
    allowlist: allowlistSchema.optional(),
  })
  .strict();

export type ScanConfigInput = z.infer<typeof configSchema>;

/** A checked configuration: the rules to scan with. */
export interface ScanConfig {
  /** Where it came from (shown in messages). */
  source: string;
  customRules: readonly Rule[];
  disabled: readonly string[];
  /** The built-in rules (minus disabled, with the global allowlist) followed by the custom ones. */
  rules: readonly Rule[];
}

function fail(source: string, field: string, message: string): never {
  throw new AppError('invalid_input', `${source}: ${field} ${message} (${DOCS}).`);
}

/** `rules[2].keywords[0]` from a zod issue path. */
function fieldName(pathParts: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of pathParts) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || 'the top level';
}

/** Compiles a user expression, taking gitleaks' leading `(?i)` as the `i` flag. */
function compile(source: string, field: string, src: string): RegExp {
  let flags = '';
  let body = src;
  const inline = /^\(\?([a-z]+)\)/.exec(body);
  if (inline) {
    if (!/^[ims]+$/.test(inline[1]!)) fail(source, field, `starts with the flags (?${inline[1]}); only i, m and s are supported`);
    flags = [...new Set(inline[1]!.split(''))].join('');
    body = body.slice(inline[0].length);
  }
  if (/\(\?[a-z]*\)/.test(body)) fail(source, field, 'sets flags in the middle of the expression; put (?i) at its start, for all of it');
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch (err) {
    fail(
      source,
      field,
      `is not a valid JavaScript regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
  const problem = regexShapeProblems(body)[0];
  if (problem) fail(source, field, `could take time that grows faster than the input: ${problem.message}`);
  return re;
}

/** Number of capture groups in an expression. */
function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags).exec('')!.length - 1;
}

interface Allow {
  secret: RegExp[];
  paths: RegExp[];
  stopwords: string[];
}

function parseAllowlist(source: string, field: string, a: z.infer<typeof allowlistSchema> | undefined): Allow {
  return {
    secret: (a?.regexes ?? []).map((r, i) => compile(source, `${field}.regexes[${i}]`, r)),
    paths: (a?.paths ?? []).map((r, i) => compile(source, `${field}.paths[${i}]`, r)),
    stopwords: (a?.stopwords ?? []).map((w) => w.toLowerCase()),
  };
}

function allowed(allow: Allow, secret: string): boolean {
  if (allow.secret.some((re) => re.test(secret))) return true;
  const lower = secret.toLowerCase();
  return allow.stopwords.some((w) => lower.includes(w));
}

/** A path expression: matches `include` (when given) and none of `exclude`. */
function pathFilter(include: RegExp | undefined, exclude: readonly RegExp[]): RegExp | undefined {
  if (!include && exclude.length === 0) return undefined;
  const pos = include ? `(?=[\\s\\S]*?(?:${include.source}))` : '';
  const neg = exclude.length ? `(?![\\s\\S]*?(?:${exclude.map((r) => r.source).join('|')}))` : '';
  const flags = [include, ...exclude].some((r) => r?.flags.includes('i')) ? 'i' : '';
  return new RegExp(`^${pos}${neg}`, flags);
}

/** Applies an allowlist to a rule: a wrapper around its structure check and its path filter. */
function withAllowlist(rule: Rule, allow: Allow): Rule {
  if (allow.secret.length === 0 && allow.stopwords.length === 0 && allow.paths.length === 0) return rule;
  const validate = rule.validate;
  const out: Rule = {
    ...rule,
    validate: (secret) => !allowed(allow, secret) && (validate ? validate(secret) : true),
  };
  const p = pathFilter(rule.path, allow.paths);
  if (p) out.path = p;
  return out;
}

/**
 * Checks a configuration's JSON text; throws a user error (exit 2) naming the field at fault.
 * `source` names the file in messages.
 */
export function parseScanConfig(text: string, source: string, base: readonly Rule[] = RULES): ScanConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_input', `${source} is not JSON (${(err as Error).message}); ${DOCS} shows the format.`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldName(issue.path);
    const message =
      issue.code === 'unrecognized_keys'
        ? `has an unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : /received undefined$/.test(issue.message)
          ? 'is required'
          : /^(?:must|is) /.test(issue.message)
            ? issue.message
            : `is not valid: ${issue.message.replace(/^Invalid (?:input|option): /, '')}`;
    fail(source, field, message);
  }
  const cfg = parsed.data;
  const builtIn = new Map(base.map((r) => [r.id, r]));
  const disabled = cfg.disabledRules ?? [];
  disabled.forEach((id, i) => {
    if (!builtIn.has(id))
      fail(
        source,
        `disabledRules[${i}]`,
        `names ${JSON.stringify(id.slice(0, 80))}, which is not a built-in rule (\`ass scan --list-rules\` lists them)`,
      );
  });
  const global = parseAllowlist(source, 'allowlist', cfg.allowlist);
  const seen = new Set<string>();
  const custom = (cfg.rules ?? []).map((r, i): Rule => {
    const at = `rules[${i}]`;
    if (seen.has(r.id)) fail(source, `${at}.id`, `repeats ${JSON.stringify(r.id)}; every rule needs its own id`);
    seen.add(r.id);
    if (builtIn.has(r.id) && !disabled.includes(r.id)) {
      fail(source, `${at}.id`, `is the built-in rule ${JSON.stringify(r.id)}; pick another id, or list it in disabledRules to replace it`);
    }
    const pattern = compile(source, `${at}.regex`, r.regex);
    if (pattern.test('')) fail(source, `${at}.regex`, 'matches the empty string; it must match the secret');
    const groups = groupCount(pattern);
    if (r.secretGroup !== undefined && r.secretGroup > groups) {
      fail(source, `${at}.secretGroup`, `is ${r.secretGroup} but the expression has ${groups} capture group${groups === 1 ? '' : 's'}`);
    }
    r.keywords.forEach((k, j) => {
      if (/[^\x20-\x7e]/.test(k)) fail(source, `${at}.keywords[${j}]`, 'must be printable ASCII (the prefilter compares bytes)');
    });
    const pathRe = r.path !== undefined ? compile(source, `${at}.path`, r.path) : undefined;
    const allow = parseAllowlist(source, `${at}.allowlist`, r.allowlist);
    const rule: Rule = {
      id: r.id,
      description: r.description,
      provider: r.provider ?? 'Custom',
      severity: r.severity ?? 'high',
      keywords: r.keywords.map((k) => k.toLowerCase()),
      pattern,
      secretGroup: r.secretGroup ?? (groups > 0 ? 1 : 0),
      ...(r.entropy !== undefined ? { minEntropy: r.entropy } : {}),
      ...(pathRe ? { path: pathRe } : {}),
    };
    return withAllowlist(withAllowlist(rule, allow), global);
  });
  const rules = [...base.filter((r) => !disabled.includes(r.id)).map((r) => withAllowlist(r, global)), ...custom];
  return { source, customRules: custom, disabled, rules };
}

/** Reads and checks a configuration file. */
export async function readScanConfig(file: string, shown = file): Promise<ScanConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'invalid_input',
      `${shown} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); fix the path or create it (${DOCS}).`,
    );
  }
  return parseScanConfig(text, shown);
}

/** The configuration file for a scan: the one given, else `.ass-scan.json` in `dir` if it exists. */
export async function findScanConfig(dir: string, explicit?: string): Promise<ScanConfig | undefined> {
  if (explicit !== undefined) return readScanConfig(explicit, explicit);
  const candidate = path.join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(candidate, 'utf8');
  } catch {
    return undefined;
  }
  return parseScanConfig(text, CONFIG_FILE_NAME);
}

/** The compiled rules of a configuration, or undefined when it changes nothing (so the default rules and workers are used). */
export function configuredRules(config: ScanConfig | undefined): CompiledRules | undefined {
  if (!config) return undefined;
  const changes = config.customRules.length > 0 || config.disabled.length > 0 || config.rules.some((r, i) => r !== RULES[i]);
  return changes ? compileRules(config.rules) : undefined;
}
