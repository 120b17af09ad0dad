/**
 * The scan action. `mode: auto` scans what lands: on pull_request every commit of the PR
 * (base..head from the event payload), on push the pushed commits (before..after; a new branch or
 * tag, or a force push whose old tip is gone, scans the commits no other branch or tag has), and on
 * any other event the whole tree. `mode: history` scans the whole git history (the scheduled job),
 * `diff` the net change from the merge-base, `tree` the files. Findings become error annotations
 * at the file and line of the commit that introduced them, a job summary, a SARIF file (its path is
 * an output) and optionally one PR comment, updated in place.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { AppError, errorMessage, isAppError } from '../../core/errors.js';
import { applyBaseline, type Baseline, readBaseline } from '../../scan/baseline.js';
import { configuredRules, findScanConfig } from '../../scan/config.js';
import type { CompiledRules } from '../../scan/engine.js';
import { formatSarif, safeText, scannedText, skippedLines } from '../../scan/formats.js';
import { hasCommit, isShallow } from '../../scan/git.js';
import {
  type CommitSelection,
  type Finding,
  type ScanMode,
  type ScanResult,
  scanCommits,
  scanDiff,
  scanHistory,
  scanTree,
} from '../../scan/index.js';
import { actionsLogger } from '../common/logger.js';
import { type ActionConfig, OUTPUT, readConfig } from './config.js';
import { annotationMessage, annotationTitle, COMMENT_MARKER, commentBody, summaryMarkdown } from './report.js';

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
const ZERO = /^0+$/;

interface PullRequestInfo {
  number: number;
  base: string;
  head: string;
}

interface PushInfo {
  ref: string;
  before: string;
  after: string;
  deleted: boolean;
}

interface EventInfo {
  name: string;
  pr?: PullRequestInfo;
  push?: PushInfo;
}

function readPayload(name: string, file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AppError(
      'invalid_input',
      `cannot read the ${name} event payload at GITHUB_EVENT_PATH; set input mode: tree to scan the whole tree`,
    );
  }
}

function readEvent(): EventInfo {
  const name = process.env.GITHUB_EVENT_NAME ?? '';
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file || (!PR_EVENTS.has(name) && name !== 'push')) return { name };
  const payload = readPayload(name, file);
  if (name === 'push') {
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const after = str(payload.after) || process.env.GITHUB_SHA || '';
    const ref = str(payload.ref) || process.env.GITHUB_REF || '';
    if (!after || !ref) {
      throw new AppError(
        'invalid_input',
        'the push event payload has no "after" commit or "ref"; set input mode: tree to scan the whole tree',
      );
    }
    return { name, push: { ref, before: str(payload.before), after, deleted: payload.deleted === true || ZERO.test(after) } };
  }
  const pr = payload.pull_request as { number?: number; base?: { sha?: string }; head?: { sha?: string } } | undefined;
  if (!pr?.base?.sha || !pr.head?.sha || typeof pr.number !== 'number') {
    throw new AppError(
      'invalid_input',
      `the ${name} event payload has no pull_request base/head SHAs; set input mode: tree to scan the whole tree`,
    );
  }
  return { name, pr: { number: pr.number, base: pr.base.sha, head: pr.head.sha } };
}

/** What a summary says was scanned. */
interface Scanned {
  result: ScanResult;
  mode: ScanMode;
  scope: string;
}

/** The commits of a push: before..after, or for a new ref (or a rewritten one whose old tip is gone) those no other ref has. */
async function pushSelection(root: string, push: PushInfo): Promise<{ selection: CommitSelection; note?: string }> {
  if (push.before && !ZERO.test(push.before)) {
    if ((await hasCommit(root, push.before)) || (await isShallow(root))) {
      // In a shallow clone a missing `before` gets the fetch-depth advice from the scan itself.
      return { selection: { kind: 'range', base: push.before, head: push.after } };
    }
    return {
      selection: { kind: 'new-ref', head: push.after, ref: push.ref },
      note: `The push's previous tip ${push.before.slice(0, 12)} is not in this clone (a force push replaced it), so the commits of ${push.ref} that no other branch or tag has are scanned.`,
    };
  }
  return {
    selection: { kind: 'new-ref', head: push.after, ref: push.ref },
    note: `${push.ref} is new, so the commits it has that no other branch or tag has are scanned.`,
  };
}

async function scan(
  cfg: ActionConfig,
  root: string,
  event: EventInfo,
  baseline: Baseline | undefined,
  compiled: CompiledRules | undefined,
): Promise<Scanned | undefined> {
  // The baseline's salt keys each finding's baseline entry (scrypt), so it is read before scanning.
  const options = {
    exclude: cfg.exclude,
    workers: cfg.workers,
    logger: actionsLogger,
    baselineSalt: baseline?.salt,
    ...(cfg.maxFileSize !== undefined ? { maxFileSize: cfg.maxFileSize } : {}),
    ...(compiled ? { compiled } : {}),
  };
  const { pr, push } = event;
  const mode = cfg.mode === 'auto' ? (pr || push ? 'commits' : 'tree') : cfg.mode;
  if (mode === 'history') {
    core.info('Scanning the whole git history: every blob reachable from any branch, tag or other ref.');
    const result = await scanHistory(root, options);
    return { result, mode, scope: `the whole git history (${result.stats.commits} commits)` };
  }
  if (mode === 'tree') {
    core.info(`Scanning the whole tree: ${path.relative(process.env.GITHUB_WORKSPACE ?? process.cwd(), root) || '.'}`);
    return { result: await scanTree(root, options), mode, scope: 'the whole tree' };
  }
  const base = cfg.base || pr?.base;
  const head = cfg.head || pr?.head;
  if (mode === 'diff') {
    if (!base || !head) {
      throw new AppError('invalid_input', 'mode: diff needs a pull_request event or the base and head inputs (commit SHAs or refs)');
    }
    core.info(`Scanning lines added between ${base.slice(0, 12)} and ${head.slice(0, 12)} (from their merge-base).`);
    const scope = pr && !cfg.base && !cfg.head ? 'lines added by this pull request' : 'lines added since the merge-base of base and head';
    return { result: await scanDiff(root, { kind: 'range', base, head }, options), mode, scope };
  }
  // Commits: inputs first, then the pull request, then the push.
  let selection: CommitSelection;
  let what: string;
  if (base && head) {
    selection = { kind: 'range', base, head };
    what = pr && !cfg.base && !cfg.head ? 'this pull request' : `${base.slice(0, 12)}..${head.slice(0, 12)}`;
  } else if (push && !base && !head) {
    if (push.deleted) {
      core.info(`The push deleted ${push.ref}: no commits to scan.`);
      return undefined;
    }
    const chosen = await pushSelection(root, push);
    if (chosen.note) core.info(chosen.note);
    selection = chosen.selection;
    what = 'this push';
  } else {
    throw new AppError(
      'invalid_input',
      'mode: commits needs a pull_request or push event, or the base and head inputs (commit SHAs or refs)',
    );
  }
  core.info(
    selection.kind === 'range'
      ? `Scanning every commit of ${selection.head.slice(0, 12)} that ${selection.base.slice(0, 12)} lacks, each against its parent.`
      : `Scanning the commits of ${selection.head.slice(0, 12)} that no other branch or tag has, each against its parent.`,
  );
  const result = await scanCommits(root, selection, options);
  return { result, mode, scope: `the ${result.stats.commits} commit${result.stats.commits === 1 ? '' : 's'} of ${what}` };
}

async function upsertComment(cfg: ActionConfig, pr: PullRequestInfo, body: string, findings: number): Promise<void> {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new AppError('invalid_input', 'GITHUB_REPOSITORY is not set; the PR comment needs it');
  if (!cfg.githubToken)
    throw new AppError('invalid_input', 'input github-token is empty; the PR comment needs a token with pull-requests: write');
  // Loaded here, not at the top: octokit and its own undici are most of the bundle, and only a
  // run with comment: true on a pull request needs them.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(cfg.githubToken);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 });
  const existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    core.info(`Updated the scan comment on pull request #${pr.number}.`);
  } else if (findings > 0) {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body });
    core.info(`Commented on pull request #${pr.number}.`);
  }
}

export async function run(): Promise<void> {
  try {
    const cfg = readConfig();
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const root = path.resolve(workspace, cfg.path);
    const event = readEvent();
    const baseline = cfg.baseline ? await readBaseline(path.resolve(workspace, cfg.baseline), cfg.baseline) : undefined;
    // Custom rules and allowlists: the `config` input, else .ass-scan.json under `path`.
    const scanConfig = await findScanConfig(root, cfg.config ? path.resolve(workspace, cfg.config) : undefined);
    const compiled = configuredRules(scanConfig);
    if (scanConfig && compiled) {
      core.info(
        `${scanConfig.source}: ${scanConfig.customRules.length} custom rule(s), ${scanConfig.disabled.length} built-in rule(s) disabled.`,
      );
    }
    const scanned = (await scan(cfg, root, event, baseline, compiled)) ?? {
      result: { findings: [], stats: { commits: 0, files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, excluded: 0 }, skipped: [] },
      mode: 'commits' as const,
      scope: 'this push (it deleted a ref)',
    };
    const { result, mode, scope } = scanned;
    let findings = result.findings;
    let baselined = 0;
    if (baseline) {
      const applied = applyBaseline(findings, baseline);
      findings = applied.findings;
      baselined = applied.suppressed;
    }
    // Annotations and SARIF want repository-relative paths; the scan's are relative to `path`.
    const prefix = path.relative(workspace, root).split(path.sep).join('/');
    const inRepo = prefix && !prefix.startsWith('..');
    const shown: Finding[] = inRepo ? findings.map((f) => ({ ...f, path: `${prefix}/${f.path}` })) : findings;
    const skipped = inRepo ? result.skipped.map((s) => ({ ...s, path: `${prefix}/${s.path}` })) : result.skipped;

    for (const f of shown) {
      core.error(annotationMessage(f, mode), {
        title: annotationTitle(f),
        // The runner shows this as it is: a file name's controls and direction overrides must not reach it.
        file: safeText(f.path),
        startLine: f.line,
        endLine: f.endLine,
        startColumn: f.column,
        ...(f.endLine === f.line ? { endColumn: f.endColumn } : {}),
      });
    }
    if (skipped.length > 0) {
      core.warning(
        `${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} not scanned, over the size cap:\n${skippedLines(skipped).join('\n')}`,
      );
    }
    const sarifFile = path.resolve(workspace, cfg.sarifFile || path.join(process.env.RUNNER_TEMP ?? workspace, 'ass-scan.sarif'));
    const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repository = process.env.GITHUB_REPOSITORY;
    await mkdir(path.dirname(sarifFile), { recursive: true });
    await writeFile(
      sarifFile,
      formatSarif({
        findings: shown,
        stats: result.stats,
        baselined,
        skipped,
        mode,
        ...(result.head ? { head: result.head } : {}),
        ...(repository && /^[\w.-]+\/[\w.-]+$/.test(repository) ? { repositoryUri: `${server}/${repository}` } : {}),
      }),
    );
    core.setOutput(OUTPUT.sarifFile, sarifFile);
    core.setOutput(OUTPUT.findingsCount, String(shown.length));
    core.setOutput(OUTPUT.mode, mode);
    const summary = summaryMarkdown(shown, { scope, mode, baselined, skipped });
    await core.summary.addRaw(summary).write();
    if (cfg.comment && event.pr) await upsertComment(cfg, event.pr, commentBody(summary), shown.length);

    core.info(`${scannedText(result.stats, mode)}; ${shown.length} finding(s).`);
    if (shown.length > 0) {
      const msg = `${shown.length} possible secret${shown.length === 1 ? '' : 's'} found; see the annotations and the job summary.`;
      if (cfg.failOnFindings) core.setFailed(msg);
      else core.warning(`${msg} Not failing because fail-on-findings is false.`);
    }
  } catch (err) {
    if (isAppError(err) && err.isUserError) core.setFailed(err.message);
    else core.setFailed(`internal error in the scan action: ${errorMessage(err).slice(0, 300)}`);
  }
}
