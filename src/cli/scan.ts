/**
 * `ass scan`: find hardcoded credentials in trees, diffs, staged changes or stdin.
 * Exit codes: 0 no findings, 1 findings, 2 bad usage.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, EXIT, errorMessage, isAppError } from '../core/errors.js';
import { streamLogger } from '../core/logger.js';
import { applyBaseline, newBaselineSalt, readBaseline, writeBaseline } from '../scan/baseline.js';
import { parseRange, type DiffSpec } from '../scan/diff.js';
import { FORMATS, formatReport, type Format, safeText } from '../scan/formats.js';
import { DEFAULT_MAX_FILE_SIZE, scanDiff, scanString, scanTree, sortFindings, type Finding, type ScanStats } from '../scan/index.js';
import { addStats, emptyStats } from '../scan/files.js';
import { RULES } from '../scan/rules.js';
import type { CliIo } from './io.js';

export const SCAN_USAGE = `Usage: ass scan [options] [PATH...]

Find hardcoded credentials. PATH defaults to the current directory; "-" reads stdin.

Modes:
  (default)              scan every file under each PATH (skips .git/, node_modules/, binaries)
  --diff BASE..HEAD      scan only lines HEAD adds since it left BASE (merge-base), e.g. origin/main..HEAD
  --staged               scan only lines added in the git index (pre-commit hook)
  --stdin, -             scan text piped to stdin (--stdin-name NAME sets the reported path)

Output:
  -f, --format FORMAT    text (default), json or sarif (2.1.0)
  -o, --output FILE      write the report to FILE instead of stdout

Filtering:
  -e, --exclude GLOB     skip paths matching GLOB (repeatable; gitignore-like: "*.test.ts", "fixtures/")
  --baseline FILE        ignore findings recorded in FILE
  --write-baseline FILE  record all current findings in FILE and exit 0
  --max-file-size SIZE   skip larger files (default 64MB; suffixes KB, MB)
  --workers N            worker threads for tree scans (default: CPU cores; 1 = none)
  --list-rules           print the rules and exit

Inline suppression: put "ass:allow" (or gitleaks:allow, secretlint-disable-line,
"pragma: allowlist secret", trufflehog:ignore) in a comment on the line.

Exit codes: 0 no findings, 1 findings, 2 bad usage.
`;

function usageError(message: string): AppError {
  return new AppError('invalid_input', `${message}\nRun \`ass scan --help\` for usage.`);
}

function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!m) throw usageError(`--max-file-size must be a size like 10MB or 500KB, got "${value.slice(0, 40)}"`);
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function runScanCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await scanCommand(argv, io);
  } catch (err) {
    if (isAppError(err) && err.isUserError) {
      io.stderr(`ass scan: ${err.message}\n`);
      return EXIT.usage;
    }
    // Messages of unexpected errors could carry anything; report the kind only.
    io.stderr(`ass scan: internal error (${err instanceof Error ? err.name : 'unknown'}): ${safeText(errorMessage(err)).slice(0, 200)}\n`);
    return EXIT.failure;
  }
}

async function scanCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        diff: { type: 'string' },
        staged: { type: 'boolean' },
        stdin: { type: 'boolean' },
        'stdin-name': { type: 'string' },
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        exclude: { type: 'string', short: 'e', multiple: true },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'max-file-size': { type: 'string' },
        workers: { type: 'string' },
        'list-rules': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw usageError(errorMessage(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(SCAN_USAGE);
    return EXIT.ok;
  }
  if (values['list-rules']) {
    for (const r of RULES) io.stdout(`${r.id}\t${r.provider}\t${r.severity}\t${r.description}\n`);
    return EXIT.ok;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${String(values.format).slice(0, 40)}"`);
  const stdin = values.stdin === true || positionals.includes('-');
  const modes = [stdin, values.diff !== undefined, values.staged === true].filter(Boolean).length;
  if (modes > 1) throw usageError('choose one of --diff, --staged and --stdin/-');
  if (stdin && positionals.some((p) => p !== '-')) throw usageError('--stdin reads only stdin; do not also pass paths');
  if ((values.diff !== undefined || values.staged) && positionals.length > 1) {
    throw usageError('diff modes take at most one PATH (the repository or a directory inside it)');
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    if (!/^\d{1,3}$/.test(values.workers)) throw usageError(`--workers must be a whole number, got "${values.workers.slice(0, 20)}"`);
    workers = Number(values.workers);
  }
  const maxFileSize = values['max-file-size'] !== undefined ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE;
  const logger = streamLogger(io.stderr, { debug: io.env.ASS_DEBUG === '1' });
  // Baseline keys are salted per file: read the baseline (or pick a new salt) before scanning.
  const writing = values['write-baseline'] !== undefined;
  const baseline =
    values.baseline !== undefined && !writing ? await readBaseline(path.resolve(io.cwd, values.baseline), safeText(values.baseline)) : undefined;
  const baselineSalt = writing ? newBaselineSalt() : baseline?.salt;
  const options = { exclude: values.exclude ?? [], maxFileSize, workers, logger, baselineSalt };

  let findings: Finding[] = [];
  const stats: ScanStats = emptyStats();
  if (stdin) {
    const name = values['stdin-name'] ?? 'stdin';
    const r = scanString(await readAll(io.stdin), name, options);
    findings = r.findings;
    addStats(stats, r.stats);
  } else if (values.diff !== undefined || values.staged) {
    const spec: DiffSpec = values.staged ? { kind: 'staged' } : { kind: 'range', ...parseRange(values.diff!) };
    const dir = path.resolve(io.cwd, positionals[0] ?? '.');
    const r = await scanDiff(dir, spec, options);
    findings = r.findings;
    addStats(stats, r.stats);
  } else {
    const roots = positionals.length > 0 ? positionals : ['.'];
    for (const root of roots) {
      const abs = path.resolve(io.cwd, root);
      // One root: paths relative to it. Several: relative to the working directory, so they stay apart.
      const prefix = roots.length > 1 ? `${path.relative(io.cwd, abs).split(path.sep).join('/') || '.'}/` : '';
      let r;
      try {
        r = await scanTree(abs, { ...options, pathPrefix: prefix === './' ? '' : prefix });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`no such file or directory: ${safeText(root)}`);
        throw err;
      }
      findings.push(...r.findings);
      addStats(stats, r.stats);
    }
    sortFindings(findings);
  }

  if (values['write-baseline'] !== undefined) {
    const file = path.resolve(io.cwd, values['write-baseline']);
    await writeBaseline(file, findings, baselineSalt!);
    io.stderr(`Wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${safeText(values['write-baseline'])}.\n`);
    return EXIT.ok;
  }
  let baselined = 0;
  if (baseline !== undefined) {
    const applied = applyBaseline(findings, baseline);
    findings = applied.findings;
    baselined = applied.suppressed;
    if (applied.unused.length > 0) {
      logger.info(`${applied.unused.length} baseline entr${applied.unused.length === 1 ? 'y is' : 'ies are'} no longer found; rewrite the baseline to drop them.`);
    }
  }
  const report = formatReport(format, { findings, stats, baselined });
  if (values.output !== undefined) {
    await writeFile(path.resolve(io.cwd, values.output), report);
    io.stderr(`${findings.length} finding${findings.length === 1 ? '' : 's'}; ${format} report written to ${safeText(values.output)}.\n`);
  } else io.stdout(report);
  return findings.length > 0 ? EXIT.failure : EXIT.ok;
}
