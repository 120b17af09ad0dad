/**
 * A tree whose file names and contents try to drive whatever shows the scan's findings: terminal
 * escapes (ESC, the 8-bit CSI U+009B), direction overrides, NUL, CR, line breaks and GitHub
 * workflow commands (`::error::`). Every file holds a finding, so each name and each hostile
 * value reaches the report.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './scan-git.js';
import { githubToken, rng } from './scan-tokens.js';

/** Characters none of which may reach a terminal, an annotation, a summary or a comment raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const UNSHOWABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A workflow command a hostile file would like the runner to obey. */
export const INJECTED_COMMAND = '::error::pwned';

export interface HostileTree {
  dir: string;
  /** The file names, as on disk. */
  names: string[];
  /** How many findings the tree holds. */
  findings: number;
}

export function hostileTree(): HostileTree {
  const dir = tempDir('ass-scan-hostile-');
  const n = rng(1212);
  const names = [
    // ESC CSI, an 8-bit CSI and a right-to-left override ("txt.env" shows as "vne.txt").
    'esc\u001b[2J\u009b31m\u202etxt.env',
    // A line break and a workflow command in the name, and a carriage return.
    `line\n${INJECTED_COMMAND}\r.env`,
    'values.py',
  ];
  writeFileSync(path.join(dir, names[0]!), `GH=${githubToken(n)}\n`);
  writeFileSync(path.join(dir, names[1]!), `GH=${githubToken(n)}\n`);
  // Generic secrets whose previews (their first few characters) are hostile: an OSC title change,
  // an 8-bit CSI, a direction override, a workflow command, and (past the first 8 KiB, which would
  // make the file binary) NUL. Each is high-entropy enough to be reported.
  const lines = [
    `password = "\u001b]0;pwned\u0007Zq8vR4xLmT9kW2pQ7"`,
    `api_token = "\u009b31mZq8vR4xLmT9kW2pQ7x"`,
    `secret_key = "\u202eZq8vR4xLmT9kW2pQ7xY"`,
    `auth_token = "${INJECTED_COMMAND}Zq8vR4xLmT9kW2pQ7"`,
    `${INJECTED_COMMAND} written in the file`,
    `# ${'padding '.repeat(1200)}`,
    `db_password = "\u0000\u001b[2JZq8vR4xLmT9kW2pQ"`,
  ];
  writeFileSync(path.join(dir, names[2]!), `${lines.join('\r\n')}\r\n`);
  return { dir, names, findings: 7 };
}
