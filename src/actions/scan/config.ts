/** The scan action's inputs, read once and validated. */
import * as core from '@actions/core';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { parseByteSize } from '../../scan/files.js';
import { booleanField, inputField } from '../common/inputs.js';

export const INPUT = {
  path: 'path',
  mode: 'mode',
  base: 'base',
  head: 'head',
  exclude: 'exclude',
  baseline: 'baseline',
  failOnFindings: 'fail-on-findings',
  sarifFile: 'sarif-file',
  comment: 'comment',
  githubToken: 'github-token',
  workers: 'workers',
  maxFileSize: 'max-file-size',
  config: 'config',
} as const;

export const OUTPUT = {
  findingsCount: 'findings-count',
  sarifFile: 'sarif-file',
  mode: 'mode',
} as const;

/** What the action can scan; `auto` picks by event (see main.ts). */
export const MODES = ['auto', 'diff', 'commits', 'history', 'tree'] as const;
export type ActionMode = (typeof MODES)[number];

const schema = z.object({
  path: z.string(),
  mode: z.enum(MODES, { message: `Input "mode" must be ${MODES.slice(0, -1).join(', ')} or ${MODES[MODES.length - 1]}.` }),
  base: z.string(),
  head: z.string(),
  exclude: z.array(z.string()),
  baseline: z.string(),
  config: z.string(),
  failOnFindings: booleanField(INPUT.failOnFindings, true),
  sarifFile: z.string(),
  comment: booleanField(INPUT.comment, false),
  githubToken: z.string(),
  workers: z.string().regex(/^(?:\d{1,2})?$/, { message: 'Input "workers" must be a whole number.' }),
  maxFileSize: inputField(INPUT.maxFileSize, (value) => {
    if (value.trim() === '') return undefined;
    const bytes = parseByteSize(value);
    if (bytes === undefined || bytes <= 0) {
      throw new Error(`Input "${INPUT.maxFileSize}" must be a size like 10MB or 500KB, not ${JSON.stringify(value.slice(0, 40))}.`);
    }
    return bytes;
  }),
});

export interface ActionConfig {
  path: string;
  mode: ActionMode;
  base: string;
  head: string;
  exclude: string[];
  baseline: string;
  /** The scan configuration file (custom rules); '' = `.ass-scan.json` under `path`, if present. */
  config: string;
  failOnFindings: boolean;
  sarifFile: string;
  comment: boolean;
  githubToken: string;
  workers: number | undefined;
  /** Bytes; undefined = the scanner's default (64 MiB). */
  maxFileSize: number | undefined;
}

export function readConfig(): ActionConfig {
  const raw = {
    path: core.getInput(INPUT.path) || '.',
    mode: (core.getInput(INPUT.mode) || 'auto').toLowerCase(),
    base: core.getInput(INPUT.base),
    head: core.getInput(INPUT.head),
    exclude: core.getMultilineInput(INPUT.exclude),
    baseline: core.getInput(INPUT.baseline),
    config: core.getInput(INPUT.config),
    failOnFindings: core.getInput(INPUT.failOnFindings),
    sarifFile: core.getInput(INPUT.sarifFile),
    comment: core.getInput(INPUT.comment),
    githubToken: core.getInput(INPUT.githubToken),
    workers: core.getInput(INPUT.workers),
    maxFileSize: core.getInput(INPUT.maxFileSize),
  };
  if (raw.githubToken) core.setSecret(raw.githubToken);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid_input', parsed.error.issues.map((i) => i.message).join(' '));
  }
  const c = parsed.data;
  return { ...c, workers: c.workers === '' ? undefined : Number(c.workers) };
}
