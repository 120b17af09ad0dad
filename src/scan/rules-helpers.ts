/**
 * Builders for the provider rules (rules-*.ts). Every expression they make runs in linear time by
 * construction: each repetition is bounded, no two adjacent repetitions can take the same
 * characters, and nothing is quantified inside a quantified group. Each rule starts at a literal
 * (its prefix or the setting's name), which is also the keyword the prefilter looks for.
 */
import type { Rule, Severity } from './rules.js';

/** The families rules are grouped by in docs, `--list-rules` and the precision/recall figures. */
export const FAMILIES = [
  'cloud',
  'source-ci',
  'secrets-management',
  'package-registry',
  'ai',
  'payment',
  'messaging',
  'observability',
  'saas',
  'database',
  'private-key',
  'generic',
] as const;
export type Family = (typeof FAMILIES)[number];

/** Escapes a literal for use inside an expression. */
export function lit(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A literal matched in either case, without the `i` flag (which would loosen the value's alphabet). */
export function ci(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).replace(/[.+?^$(){}|\\/]/g, '\\$&');
}

interface Base {
  id: string;
  description: string;
  provider: string;
  severity?: Severity;
  keywords?: readonly string[];
  validate?: (secret: string) => boolean;
  minEntropy?: number;
  checksum?: boolean;
  generic?: boolean;
  path?: RegExp;
  placeholderPart?: (secret: string) => string;
}

function finish(base: Base, pattern: RegExp, keywords: readonly string[], extra: Partial<Rule> = {}): Rule {
  const { severity = 'high', keywords: _k, ...rest } = base;
  return { ...rest, severity, keywords: base.keywords ?? keywords, pattern, ...extra };
}

/**
 * A token that starts with a literal prefix: `prefix` + `body` (an expression of bounded
 * repetitions), standing alone: no token character right before or after it.
 */
export function prefixed(
  base: Base & {
    /** One literal prefix or several (matched case-sensitively unless `anyCase`). */
    prefix: string | readonly string[];
    body: string;
    /** Characters that may not touch the token on either side (default: word characters and `-`). */
    edge?: string;
    anyCase?: boolean;
  },
): Rule {
  const prefixes = typeof base.prefix === 'string' ? [base.prefix] : base.prefix;
  const edge = base.edge ?? 'A-Za-z0-9_-';
  const alt = prefixes.map((p) => (base.anyCase ? ci(p) : lit(p))).join('|');
  // `=` can end a base64 token but also introduces one (`KEY=token`): it only bounds the end.
  const before = edge.replace('=', '');
  const pattern = new RegExp(`(?<![${before}])((?:${alt})${base.body})(?![${edge}])`);
  const { prefix: _p, body: _b, edge: _e, anyCase: _a, ...rest } = base;
  return finish(
    rest,
    pattern,
    prefixes.map((p) => p.toLowerCase()),
  );
}

/** Setting-name endings that label an identifier, an address or a user, not a secret. */
const NOT_A_SECRET_NAME = `(?<![_.-](?:[iI][dD]|[uU][rR][lLiI]|[hH][oO][sS][tT]|[nN][aA][mM][eE]|[uU][sS][eE][rR]|[eE][mM][aA][iI][lL]|[rR][eE][gG][iI][oO][nN]|[dD][oO][mM][aA][iI][nN]|[pP][aA][tT][hH]|[fF][iI][lL][eE]|[vV][eE][rR][sS][iI][oO][nN]))`;

/**
 * A setting name in any of its spellings: `ALGOLIA_ADMIN`, `algoliaAdmin`, `algolia-admin`,
 * `algolia.admin` all match `algolia_admin`. The prefilter keyword is its first word (or, when that
 * is under three letters, the name as written).
 */
function nameSpellings(names: readonly string[]): { pattern: string; keywords: string[] } {
  const seen = new Map<string, string[]>();
  for (const n of names) {
    const parts = n.toLowerCase().split(/[_.-]/);
    const key = parts.join('');
    if (!seen.has(key)) seen.set(key, parts);
  }
  const spellings = [...seen.values()];
  const pattern = spellings.map((parts) => parts.map(ci).join('[_.-]?')).join('|');
  const keywords = [...new Set(spellings.map((parts) => (parts[0]!.length >= 3 ? parts[0]! : parts.join('-'))))];
  return { pattern, keywords };
}

/**
 * A value assigned to a setting whose name contains one of `names` (for providers whose keys have
 * no distinctive prefix): `ACME_API_KEY=...`, `"acmeToken": "..."`, `acme_secret: ...`,
 * `$acmeKey = '...'`. The name matches in either case and any spelling, the value in its own
 * alphabet only; names that end like an id, URL, host or user name do not count.
 */
export function assigned(
  base: Base & {
    /** Name parts, one of which the setting's name must contain (`MY_APP_MAILGUN_KEY`). */
    names: readonly string[];
    value: string;
  },
): Rule {
  const spelled = nameSpellings(base.names);
  const pattern = new RegExp(
    String.raw`(?:${spelled.pattern})[A-Za-z0-9_.-]{0,32}${NOT_A_SECRET_NAME}["']?[ \t]{0,4}(?::=|=>|:|=)[ \t]{0,4}["'\x60]?(${base.value})(?![A-Za-z0-9_+/=-])`,
  );
  const { names: _n, value: _v, ...rest } = base;
  return finish(rest, pattern, spelled.keywords);
}

/**
 * A token on a line that mentions the provider (`keywords`), for formats too plain to stand on
 * their own but unmistakable next to the provider's name or host (`key-<32 hex>` near `mailgun`).
 */
export function nearby(base: Base & { keywords: readonly string[]; token: string; edge?: string }): Rule {
  const edge = base.edge ?? 'A-Za-z0-9_-';
  const pattern = new RegExp(`(?<![${edge}])(${base.token})(?![${edge}])`);
  const { token: _t, edge: _e, ...rest } = base;
  return finish(rest, pattern, base.keywords);
}

/** Any rule written out in full (its expression built by hand, still under the rules above). */
export function custom(
  base: Base & { keywords: readonly string[]; pattern: RegExp; secretGroup?: number; multiline?: boolean; lineAnchored?: boolean },
): Rule {
  const { pattern, keywords, ...rest } = base;
  return finish(rest, pattern, keywords);
}

// ---- structure checks shared by several rules ----

/** Decodes base64 or base64url (padding optional); undefined when the text is not base64. */
export function b64(text: string): Buffer | undefined {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,3}$/.test(std)) return undefined;
  return Buffer.from(std, 'base64');
}

/** The decoded text when it is printable ASCII (a token that wraps readable data), else undefined. */
export function b64Text(text: string): string | undefined {
  const bytes = b64(text);
  if (!bytes) return undefined;
  const s = bytes.toString('latin1');
  return /^[\x20-\x7e\r\n\t]*$/.test(s) ? s : undefined;
}

/** The JSON object a base64 text decodes to, or undefined. */
export function b64Json(text: string): Record<string, unknown> | undefined {
  const s = b64Text(text);
  if (s === undefined) return undefined;
  try {
    const v = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a JWT (header must name a signing algorithm), or undefined. */
export function jwtClaims(jwt: string): Record<string, unknown> | undefined {
  const [h, p, sig] = jwt.split('.');
  if (!h || !p || !sig) return undefined;
  const header = b64Json(h);
  if (!header || typeof header.alg !== 'string' || header.alg === 'none') return undefined;
  return b64Json(p);
}

/** Mixed letters and digits: a generated key, not a word or a number. */
export function mixed(value: string): boolean {
  return /[A-Za-z]/.test(value) && /[0-9]/.test(value);
}

/** At least two of lower case, upper case and digits (a long random string may lack one class). */
export function twoClasses(value: string): boolean {
  return (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) >= 2;
}

/** Upper and lower case letters and digits: a random base62 string, not an identifier. */
export function mixedCase(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}

/** Common fragments. */
export const HEX = '[a-f0-9]';
export const HEXU = '[A-Fa-f0-9]';
export const ALNUM = '[A-Za-z0-9]';
export const B64 = '[A-Za-z0-9+/]';
export const B64URL = '[A-Za-z0-9_-]';
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID_ANYCASE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
