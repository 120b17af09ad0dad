/**
 * Text that came from outside (a request, a token's claims, an error about either) before it is
 * stored, hashed or shown. JavaScript strings can hold what a database will not keep as written:
 * PostgreSQL refuses NUL, and UTF-8 has no lone surrogates (a stored one comes back as U+FFFD, so a
 * hash taken before storing no longer matches). Made safe once, the text is the same everywhere.
 */

/** Control characters other than tab and line feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Well-formed, without control characters (tab and line feed kept), at most `max` code points. */
export function storableText(text: string, max = Number.POSITIVE_INFINITY): string {
  let out = text.toWellFormed().replace(CONTROL, '\uFFFD');
  if (out.length > max) {
    // Cut by code point, never between the halves of a surrogate pair.
    out = Array.from(out).slice(0, max).join('');
  }
  return out;
}

/** A credential-shaped string (`ass_u_…`, `ass_t_…`): never echoed, even in part. */
const CREDENTIAL_LIKE = /ass_[uatp]_/;

/**
 * A name from the request (an unknown field or parameter) as an error message may quote it: JSON
 * quoted, cut short, and not at all when it looks like a credential pasted in the wrong place.
 */
export function quoteName(name: string, max = 40): string {
  if (CREDENTIAL_LIKE.test(name)) return '(a value that looks like a credential)';
  return JSON.stringify(storableText(name, max));
}

/**
 * One line for a log that a runner parses (GitHub's workflow commands start a line with `::`):
 * text from a server or a file never starts a line of its own.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/**
 * Text for Slack's mrkdwn (approval notices, the audit action's webhook): `&`, `<` and `>` are its
 * markup, so a requester's or a log record's text cannot mention @channel, open a link or hide one.
 */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Characters that must not reach a person's screen from text they did not write (a scanned file's
 * contents or name): C0 and C1 controls and DEL (terminal escapes start with ESC or the 8-bit CSI
 * U+009B; NUL and CR can hide what came before), the line and paragraph separators, and the
 * direction marks and overrides that reorder what is shown (U+202E makes `exe.txt` read `txt.exe`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` for a terminal, an annotation, a job summary or a comment: each unshowable character becomes `?`. */
export function shownText(text: string): string {
  return text.replace(UNSHOWABLE, '?');
}

/**
 * JSON text with the unshowable characters that `JSON.stringify` leaves as they are (DEL, C1
 * controls, separators, direction marks) written as `\uXXXX` escapes: the same JSON, but it cannot
 * drive a terminal it is printed to.
 */
export function escapeUnshowableJson(json: string): string {
  // Not C0: JSON.stringify escapes those inside strings, and its own line breaks are layout.
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
