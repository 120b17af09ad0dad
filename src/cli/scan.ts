/**
 * `ass scan`: find hardcoded credentials in trees, diffs, commit ranges, the whole git history,
 * staged changes or stdin.
 * Exit codes: 0 no findings, 1 findings, 2 bad usage. The scanner itself is loaded only when the
 * command runs, so the vault commands do not pay for it.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../core/errors.js';
import { streamLogger } from '../core/logger.js';
import { type Command, type CommandGroup, int, list, readStdin, str, usage } from './common.js';

const HELP = 'ass scan';

const FORMAT_NAMES = ['text', 'json', 'sarif'] as const;

/** `--max-file-size 10MB` → bytes. */
export async function parseSize(value: string): Promise<number> {
  const { parseByteSize } = await import('../scan/files.js');
  const bytes = parseByteSize(value);
  if (bytes === undefined)
    throw usage(`--max-file-size must be a size like 10MB or 500KB, got ${JSON.stringify(value.slice(0, 40))}.`, HELP);
  return bytes;
}

const scan: Command = {
  usage:
    'ass scan [PATH...] [--diff BASE..HEAD | --commits BASE..HEAD | --history | --staged | --stdin | -] [--format text|json|sarif] [--json] [--output FILE] [--baseline FILE]',
  summary: 'Scan files, diffs, commits, git history or staged changes for leaked secrets (exit 1 on findings).',
  details: `PATH defaults to the current directory; "-" reads stdin.

Modes:
  (default)              scan every file under each PATH (skips .git/, node_modules/, binaries)
  --diff BASE..HEAD      scan only lines HEAD adds since it left BASE (merge-base), e.g. origin/main..HEAD
  --commits BASE..HEAD   scan the lines each commit of HEAD that BASE lacks adds, reporting the commit
                         that introduced each finding (a key added and removed again is still found)
  --history              scan every blob reachable from any ref (all branches, tags, stashes) once,
                         reporting the commit that introduced each finding and whether HEAD still has it
  --staged               scan only lines added in the git index (pre-commit hook)
  --stdin, -             scan text piped to stdin (--stdin-name NAME sets the reported path)

Output:
  -f, --format FORMAT    text (default), json or sarif (2.1.0)
  --json                 the same as --format json
  -o, --output FILE      write the report to FILE instead of stdout

Filtering:
  -e, --exclude GLOB     skip paths matching GLOB (repeatable; gitignore-like: "*.test.ts", "fixtures/")
  --baseline FILE        ignore findings recorded in FILE
  --write-baseline FILE  record all current findings in FILE and exit 0
  --max-file-size SIZE   skip larger files, or larger added content in a diff (default 64MB; KB, MB);
                         what it skips is listed in the report
  --workers N            worker threads for large scans (default: CPU cores; 1 = none)
  --config FILE          custom rules, disabled rules and allowlists (default: .ass-scan.json in the
                         scanned directory, if there is one; docs/scan.md, "Custom rules")
  --list-rules           print the rules (with the configuration's) and exit

Leaked vault credentials:
  --revoke-leaked        revoke at once each of this vault's own credentials the scan finds (ass_u_,
                         ass_a_, ass_t_, ass_p_ with a valid checksum) at the vault at ASS_URL (or
                         --url): a token revokes itself; an agent is revoked with the admin token in
                         ASS_TOKEN, else its leaked key replaces itself (the new key is discarded); a
                         user is revoked with ASS_TOKEN. Each result goes to stderr, never a secret

Inline suppression: put "ass:allow" (or gitleaks:allow, secretlint-disable-line,
"pragma: allowlist secret", trufflehog:ignore) in a comment on the line, "ass:allow-next-line"
(or secretlint-disable-next-line, "pragma: allowlist nextline secret") on the line before, or
"ass:disable" ... "ass:enable" (or secretlint-disable ... secretlint-enable) around a block.

Exit codes: 0 no findings, 1 findings, 2 bad usage.`,
  options: {
    diff: { type: 'string' },
    commits: { type: 'string' },
    history: { type: 'boolean' },
    staged: { type: 'boolean' },
    stdin: { type: 'boolean' },
    'stdin-name': { type: 'string' },
    format: { type: 'string', short: 'f' },
    json: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    exclude: { type: 'string', short: 'e', multiple: true },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    'max-file-size': { type: 'string' },
    workers: { type: 'string' },
    config: { type: 'string' },
    'list-rules': { type: 'boolean' },
    'revoke-leaked': { type: 'boolean' },
    url: { type: 'string' },
    insecure: { type: 'boolean' },
  },
  positionals: ['PATH'],
  minPositionals: 0,
  variadic: true,
  async run(ctx, values, positionals) {
    const [
      { applyBaseline, newBaselineSalt, readBaseline, writeBaseline },
      { parseRange },
      formats,
      scanner,
      { addStats, emptyStats },
      { RULES },
      { repositoryUrl },
      { configuredRules, findScanConfig },
    ] = await Promise.all([
      import('../scan/baseline.js'),
      import('../scan/diff.js'),
      import('../scan/formats.js'),
      import('../scan/index.js'),
      import('../scan/files.js'),
      import('../scan/rules.js'),
      import('../scan/git.js'),
      import('../scan/config.js'),
    ]);
    const { safeText } = formats;
    // The project's configuration: --config, else .ass-scan.json where the scan looks (one PATH that
    // is a directory, or the working directory). Checked before anything is scanned.
    const configFile = str(values, 'config');
    const only = positionals.length === 1 && positionals[0] !== '-' ? path.resolve(ctx.io.cwd, positionals[0]!) : undefined;
    const configDir = only && (await stat(only).catch(() => undefined))?.isDirectory() ? only : ctx.io.cwd;
    const config = await findScanConfig(configDir, configFile !== undefined ? path.resolve(ctx.io.cwd, configFile) : undefined);
    if (values['list-rules']) {
      for (const r of config?.rules ?? RULES) ctx.out(`${r.id}\t${r.provider}\t${r.severity}\t${r.description}\n`);
      return EXIT.ok;
    }
    const formatText = str(values, 'format');
    if (formatText !== undefined && values.json) throw usage('Give --json or --format, not both.', HELP);
    const format = values.json ? 'json' : (formatText ?? 'text');
    if (!(FORMAT_NAMES as readonly string[]).includes(format)) {
      throw usage(`--format must be one of ${FORMAT_NAMES.join(', ')}, got ${JSON.stringify(format.slice(0, 40))}.`, HELP);
    }
    const diff = str(values, 'diff');
    const commits = str(values, 'commits');
    const history = values.history === true;
    const stdin = values.stdin === true || positionals.includes('-');
    const modes = [stdin, diff !== undefined, commits !== undefined, history, values.staged === true].filter(Boolean).length;
    if (modes > 1) throw usage('Choose one of --diff, --commits, --history, --staged and --stdin (or -).', HELP);
    if (stdin && positionals.some((p) => p !== '-')) throw usage('--stdin reads only stdin; do not also pass paths.', HELP);
    const gitMode = diff !== undefined || commits !== undefined || history || values.staged === true;
    if (gitMode && positionals.length > 1) {
      throw usage('Git modes take at most one PATH (the repository or a directory inside it).', HELP);
    }
    // Parsed before anything runs, so a malformed range is a usage error whatever the repository.
    const range = commits !== undefined ? parseRange(commits, '--commits') : diff !== undefined ? parseRange(diff) : undefined;
    const workers = int(values, 'workers', { min: 0, helpFor: HELP });
    const sizeText = str(values, 'max-file-size');
    const maxFileSize = sizeText !== undefined ? await parseSize(sizeText) : scanner.DEFAULT_MAX_FILE_SIZE;
    const logger = streamLogger(ctx.err, { debug: ctx.io.env.ASS_DEBUG === '1' });
    // Baseline keys are salted per file: read the baseline (or pick a new salt) before scanning.
    const writeTo = str(values, 'write-baseline');
    const baselineFile = str(values, 'baseline');
    const baseline =
      baselineFile !== undefined && writeTo === undefined
        ? await readBaseline(path.resolve(ctx.io.cwd, baselineFile), safeText(baselineFile))
        : undefined;
    const baselineSalt = writeTo !== undefined ? newBaselineSalt() : baseline?.salt;
    const compiled = configuredRules(config);
    if (config && compiled) {
      logger.info(
        `${safeText(config.source)}: ${config.customRules.length} custom rule${config.customRules.length === 1 ? '' : 's'}, ${config.disabled.length} disabled.`,
      );
    }
    const options = { exclude: list(values, 'exclude'), maxFileSize, workers, logger, baselineSalt, ...(compiled ? { compiled } : {}) };

    let findings: import('../scan/index.js').Finding[] = [];
    let lastStdin: string | undefined;
    const stats = emptyStats();
    const skipped: import('../scan/index.js').SkippedFile[] = [];
    let mode: import('../scan/index.js').ScanMode = 'tree';
    let head: string | undefined;
    let repositoryUri: string | undefined;
    if (stdin) {
      mode = 'stdin';
      lastStdin = await readStdin(ctx.io.stdin);
      const r = scanner.scanString(lastStdin, str(values, 'stdin-name') ?? 'stdin', options);
      findings = r.findings;
      addStats(stats, r.stats);
    } else if (gitMode) {
      const dir = path.resolve(ctx.io.cwd, positionals[0] ?? '.');
      let r: import('../scan/index.js').ScanResult;
      if (history) {
        mode = 'history';
        r = await scanner.scanHistory(dir, options);
      } else if (commits !== undefined) {
        mode = 'commits';
        r = await scanner.scanCommits(dir, { kind: 'range', ...range! }, options);
      } else {
        mode = values.staged ? 'staged' : 'diff';
        r = await scanner.scanDiff(dir, values.staged ? { kind: 'staged' } : { kind: 'range', ...range! }, options);
      }
      findings = r.findings;
      addStats(stats, r.stats);
      skipped.push(...r.skipped);
      head = r.head;
      if (format === 'sarif' && head) repositoryUri = await repositoryUrl(dir);
    } else {
      const roots = positionals.length > 0 ? positionals : ['.'];
      for (const root of roots) {
        const abs = path.resolve(ctx.io.cwd, root);
        // One root: paths relative to it. Several: relative to the working directory, so they stay apart.
        const prefix = roots.length > 1 ? `${path.relative(ctx.io.cwd, abs).split(path.sep).join('/') || '.'}/` : '';
        const r = await scanner.scanTree(abs, { ...options, pathPrefix: prefix === './' ? '' : prefix }).catch((err: unknown) => {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usage(`No such file or directory: ${safeText(root)}.`, HELP);
          throw err;
        });
        findings.push(...r.findings);
        addStats(stats, r.stats);
        skipped.push(...r.skipped);
      }
      scanner.sortFindings(findings);
    }

    if (writeTo !== undefined) {
      await writeBaseline(path.resolve(ctx.io.cwd, writeTo), findings, baselineSalt as string);
      ctx.err(`Wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${safeText(writeTo)}.\n`);
      return EXIT.ok;
    }
    let baselined = 0;
    if (baseline !== undefined) {
      const applied = applyBaseline(findings, baseline);
      findings = applied.findings;
      baselined = applied.suppressed;
      if (applied.unused.length > 0) {
        logger.info(
          `${applied.unused.length} baseline entr${applied.unused.length === 1 ? 'y is' : 'ies are'} no longer found; rewrite the baseline to drop them.`,
        );
      }
    }
    const report = formats.formatReport(format as (typeof FORMAT_NAMES)[number], {
      findings,
      stats,
      baselined,
      skipped,
      mode,
      ...(head ? { head } : {}),
      ...(repositoryUri ? { repositoryUri } : {}),
    });
    if (values['revoke-leaked'] && findings.length > 0) {
      const { leakedCredentials, revokeLeaked } = await import('./revoke-leaked.js');
      const stdinText = stdin ? lastStdin : undefined;
      const source: import('./revoke-leaked.js').Source =
        stdinText !== undefined
          ? { kind: 'text', text: stdinText }
          : gitMode
            ? { kind: 'git', dir: path.resolve(ctx.io.cwd, positionals[0] ?? '.'), rev: values.staged ? '' : range?.head }
            : {
                kind: 'tree',
                root: positionals.length === 1 && positionals[0] !== undefined ? path.resolve(ctx.io.cwd, positionals[0]) : ctx.io.cwd,
              };
      const leaked = await leakedCredentials(findings, source);
      if (leaked.length > 0) {
        const admin = ctx.io.env.ASS_TOKEN?.trim() || undefined;
        for (const r of await revokeLeaked(ctx, values, leaked, admin)) {
          ctx.err(
            safeText(
              `${r.result === 'revoked' || r.result === 'key-replaced' ? 'revoked' : r.result}: ${r.kind} credential ${r.id} found at ${r.where}: ${r.message}`,
            ) + '\n',
          );
        }
      }
    }
    const output = str(values, 'output');
    if (output !== undefined) {
      await writeFile(path.resolve(ctx.io.cwd, output), report);
      ctx.err(`${findings.length} finding${findings.length === 1 ? '' : 's'}; ${format} report written to ${safeText(output)}.\n`);
    } else ctx.out(report);
    return findings.length > 0 ? EXIT.failure : EXIT.ok;
  },
};

export const scanGroup: CommandGroup = { name: 'scan', summary: scan.summary, commands: {}, fallback: scan };
