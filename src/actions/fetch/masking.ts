/**
 * What to register with `::add-mask::` for one secret value, beyond what the runner does itself.
 *
 * The runner masks a registered value, each of its lines, and some encodings of it (base64,
 * JSON-string, URI-data and XML escaping). It does not mask: leaves inside a JSON value, base64url,
 * hex, or URL form-encoding (space as `+`). And it masks any registered piece however short, so a
 * `}` line of a JSON secret or a 2-character value would turn into `***` across the whole job log.
 *
 * Rules (docs/fetch-action.md):
 * - each line (trimmed, non-empty) of at least `minLength` characters;
 * - the whole value, unless one of its lines is shorter than `minLength` (the runner would register
 *   those short lines itself): then its single-line encodings stand in for it;
 * - each string or number leaf of a JSON object or array, recursively with these same rules;
 * - base64url, hex (lower and upper case), URL component and form encodings of the whole value,
 *   of each line and of each leaf, when they differ from the text;
 * - pieces shorter than `minLength` are not registered; they are counted and reported as a warning.
 */
export interface MaskPlan {
  /** Strings to pass to core.setSecret, deduplicated, longest first. */
  masks: string[];
  /** Pieces that were too short to mask safely. */
  tooShort: number;
  /** True when the whole value itself was too short (nothing of it is masked). */
  wholeTooShort: boolean;
}

export const DEFAULT_MASK_MIN_LENGTH = 4;

function encodings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const hex = bytes.toString('hex');
  return [
    bytes.toString('base64url'),
    bytes.toString('base64'), // the runner does this too; cheap insurance for older runners
    hex,
    hex.toUpperCase(),
    encodeURIComponent(text),
    new URLSearchParams({ v: text }).toString().slice(2),
    JSON.stringify(text).slice(1, -1),
  ].filter((e) => e !== text && e !== '');
}

function splitLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function parseJsonContainer(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    const parsed: unknown = JSON.parse(t);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function planMasks(value: string, minLength = DEFAULT_MASK_MIN_LENGTH): MaskPlan {
  const masks = new Set<string>();
  let tooShort = 0;

  const addText = (text: string, depth: number) => {
    const lines = splitLines(text);
    if (lines.length === 0) return;
    let shortLine = false;
    for (const line of lines) {
      if (line.length >= minLength) {
        masks.add(line);
        for (const e of encodings(line)) masks.add(e);
      } else {
        shortLine = true;
        tooShort++;
      }
    }
    const whole = text.trim();
    if (lines.length > 1 && whole.length >= minLength) {
      // A multi-line registration makes the runner mask every line, short ones included.
      if (!shortLine) masks.add(text);
      for (const e of encodings(text)) masks.add(e);
      if (whole !== text) for (const e of encodings(whole)) masks.add(e);
    } else if (lines.length === 1 && text !== whole && whole.length >= minLength) {
      for (const e of encodings(text)) masks.add(e);
    }
    if (depth < 16) {
      const json = parseJsonContainer(text);
      if (json !== undefined) addLeaves(json, depth + 1);
    }
  };

  const addLeaves = (node: unknown, depth: number) => {
    if (typeof node === 'string') return addText(node, depth);
    if (typeof node === 'number' && Number.isFinite(node)) return addText(String(node), depth);
    if (Array.isArray(node)) for (const item of node) addLeaves(item, depth);
    else if (typeof node === 'object' && node !== null) for (const item of Object.values(node)) addLeaves(item, depth);
  };

  const wholeTooShort = value.trim().length < minLength;
  if (wholeTooShort) {
    if (value.trim() !== '') tooShort++;
  } else {
    addText(value, 0);
  }
  // Every mask must itself be long enough: an encoding of a long text always is.
  const list = [...masks].filter((m) => m.trim().length >= minLength).sort((a, b) => b.length - a.length);
  return { masks: list, tooShort, wholeTooShort };
}
