import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../core/errors.js';

export interface FileEntry {
  name: string;
  value: string;
}

/**
 * One dotenv line. A value on one line without `'` or `\` is written single-quoted, verbatim
 * (`NAME='value'`): docker compose, the npm `dotenv` package and a POSIX shell read it back
 * unchanged; python-dotenv too, except that it interpolates `${VAR}` in every value unless
 * loaded with `interpolate=False`. Any other value is double-quoted with `\`, `"`, newline and
 * carriage return escaped (`\\`, `\"`, `\n`, `\r`), and nothing else: docker compose reads that back
 * unchanged unless the value holds `$` (interpolated); python-dotenv unless it holds `${VAR}`
 * (interpolated) or ends with `\` (it cannot parse that line); the npm `dotenv` package turns `\n`
 * and `\r` back but keeps `\\` and `\"` as written, so it is exact only for values without `\`
 * and `"`. `json` is exact for any value.
 */
export function formatDotenvLine(name: string, value: string): string {
  if (!/['\\\r\n]/.test(value)) return `${name}='${value}'\n`;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `${name}="${escaped}"\n`;
}

/** The export file: dotenv lines (see formatDotenvLine), or one JSON object, exact for any value. */
export function formatExportFile(entries: readonly FileEntry[], format: 'dotenv' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(Object.fromEntries(entries.map((e) => [e.name, e.value])), null, 2)}\n`;
  return entries.map((e) => formatDotenvLine(e.name, e.value)).join('');
}

/**
 * Writes the file under RUNNER_TEMP (never the workspace, where it could be committed, cached or
 * uploaded), created exclusively with mode 0600 so an existing file or symlink is never followed.
 */
export async function writeExportFile(
  runnerTemp: string | undefined,
  entries: readonly FileEntry[],
  format: 'dotenv' | 'json',
): Promise<string> {
  if (!runnerTemp)
    throw new AppError(
      'invalid_input',
      'RUNNER_TEMP is not set, so export-file has nowhere safe to write; run on a GitHub Actions runner or set export-file: false.',
    );
  const file = path.join(runnerTemp, `ass-secrets-${randomBytes(8).toString('hex')}.${format === 'json' ? 'json' : 'env'}`);
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(formatExportFile(entries, format), 'utf8');
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
  return file;
}

/** Deletes an export file, but only one this action could have written (inside RUNNER_TEMP, our name). */
export async function deleteExportFile(file: string, runnerTemp: string | undefined): Promise<boolean> {
  const resolved = path.resolve(file);
  if (
    !runnerTemp ||
    path.dirname(resolved) !== path.resolve(runnerTemp) ||
    !/^ass-secrets-[0-9a-f]{16}\.(env|json)$/.test(path.basename(resolved))
  ) {
    return false;
  }
  await rm(resolved, { force: true });
  return true;
}
