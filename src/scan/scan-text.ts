/**
 * Turns raw matches in one text into findings: line and column, redacted preview and, with a
 * baseline salt, the baseline key. The report fingerprint is set later, once a file's findings are
 * sorted (`assignFingerprints`).
 */
import { type CompiledRules, type Finding, findMatches, redact, rulesActiveFor } from './engine.js';
import { baselineKey } from './fingerprint.js';

export interface TextContext {
  /** Path relative to the scanned directory (`/`-separated). */
  path: string;
  compiled: CompiledRules;
  /** The text was decoded as latin1 (one char per byte); columns and secrets are re-decoded as UTF-8. */
  latin1?: boolean;
  /** Lines before this text (chunked reads of large files). */
  lineOffset?: number;
  /** Diff mode: line i (0-based) of the text is line `lineMap[i]` of the file. */
  lineMap?: readonly number[];
  /** Keep only matches starting before this offset (the rest are in the next chunk's overlap). */
  acceptBefore?: number;
  /** Baseline salt (hex): each finding gets `baselineKey` (scrypt; only computed when set). */
  baselineSalt?: string;
}

function utf8Length(segment: string, latin1: boolean): number {
  return latin1 ? Buffer.from(segment, 'latin1').toString('utf8').length : segment.length;
}

export function scanText(text: string, ctx: TextContext): Finding[] {
  const active = rulesActiveFor(ctx.compiled, ctx.path);
  const matches = findMatches(text, ctx.compiled, active);
  if (matches.length === 0) return [];
  const latin1 = ctx.latin1 ?? false;
  const out: Finding[] = [];
  // The same secret twice in one text costs one scrypt.
  const keys = new Map<string, string>();
  let line = 0;
  let lineStart = 0;
  let cursor = 0;
  const advance = (to: number) => {
    for (let i = text.indexOf('\n', cursor); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    cursor = to;
  };
  for (const m of matches) {
    if (ctx.acceptBefore !== undefined && m.start >= ctx.acceptBefore) continue;
    const rule = ctx.compiled.rules[m.ruleIndex]!;
    advance(m.start);
    const startLine = line;
    const column = utf8Length(text.slice(lineStart, m.start), latin1) + 1;
    const startLineStart = lineStart;
    // End position without moving the shared cursor past later matches' starts.
    let endLine = startLine;
    let endLineStart = startLineStart;
    for (let i = text.indexOf('\n', m.start); i !== -1 && i < m.end; i = text.indexOf('\n', i + 1)) {
      endLine++;
      endLineStart = i + 1;
    }
    const endColumn = utf8Length(text.slice(endLineStart, m.end), latin1) + 1;
    const secret = latin1 ? Buffer.from(m.secret, 'latin1').toString('utf8') : m.secret;
    const toReal = (l: number) => (ctx.lineMap ? (ctx.lineMap[l] ?? l + 1) : l + 1 + (ctx.lineOffset ?? 0));
    let key: string | undefined;
    if (ctx.baselineSalt !== undefined) {
      const memo = `${rule.id}\0${secret}`;
      key = keys.get(memo);
      if (key === undefined) {
        key = baselineKey(ctx.baselineSalt, rule.id, ctx.path, secret);
        keys.set(memo, key);
      }
    }
    out.push({
      ruleId: rule.id,
      description: rule.description,
      provider: rule.provider,
      severity: rule.severity,
      path: ctx.path,
      line: toReal(startLine),
      column,
      endLine: toReal(endLine),
      endColumn,
      preview: redact(secret),
      fingerprint: '',
      ...(key !== undefined ? { baselineKey: key } : {}),
    });
  }
  return out;
}
