/**
 * The scan action: on pull_request, scans the lines the PR adds (merge-base...head, from the
 * event payload); elsewhere the whole tree. Findings become error annotations, a job summary,
 * a SARIF file (its path is an output) and optionally one PR comment, updated in place.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { AppError, errorMessage, isAppError } from '../../core/errors.js';
import { applyBaseline, type Baseline, readBaseline } from '../../scan/baseline.js';
import { formatSarif, safeText } from '../../scan/formats.js';
import { type Finding, type ScanResult, scanDiff, scanTree } from '../../scan/index.js';
import { actionsLogger } from '../common/logger.js';
import { type ActionConfig, OUTPUT, readConfig } from './config.js';
import { annotationMessage, COMMENT_MARKER, commentBody, summaryMarkdown } from './report.js';

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

interface PullRequestInfo {
  number: number;
  base: string;
  head: string;
}

function readEvent(): { name: string; pr: PullRequestInfo | undefined } {
  const name = process.env.GITHUB_EVENT_NAME ?? '';
  const file = process.env.GITHUB_EVENT_PATH;
  if (!PR_EVENTS.has(name) || !file) return { name, pr: undefined };
  let payload: { pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } } };
  try {
    payload = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AppError(
      'invalid_input',
      `cannot read the ${name} event payload at GITHUB_EVENT_PATH; set input mode: tree to scan the whole tree`,
    );
  }
  const pr = payload.pull_request;
  if (!pr?.base?.sha || !pr.head?.sha || typeof pr.number !== 'number') {
    throw new AppError(
      'invalid_input',
      `the ${name} event payload has no pull_request base/head SHAs; set input mode: tree to scan the whole tree`,
    );
  }
  return { name, pr: { number: pr.number, base: pr.base.sha, head: pr.head.sha } };
}

async function scan(
  cfg: ActionConfig,
  root: string,
  pr: PullRequestInfo | undefined,
  baseline: Baseline | undefined,
): Promise<{ result: ScanResult; mode: 'diff' | 'tree' }> {
  // The baseline's salt keys each finding's baseline entry (scrypt), so it is read before scanning.
  const options = { exclude: cfg.exclude, workers: cfg.workers, logger: actionsLogger, baselineSalt: baseline?.salt };
  const base = cfg.base || pr?.base;
  const head = cfg.head || pr?.head;
  const wantDiff = cfg.mode === 'diff' || (cfg.mode === 'auto' && pr !== undefined);
  if (wantDiff) {
    if (!base || !head) {
      throw new AppError('invalid_input', 'mode: diff needs a pull_request event or the base and head inputs (commit SHAs or refs)');
    }
    core.info(`Scanning lines added between ${base.slice(0, 12)} and ${head.slice(0, 12)} (from their merge-base).`);
    return { result: await scanDiff(root, { kind: 'range', base, head }, options), mode: 'diff' };
  }
  core.info(`Scanning the whole tree: ${path.relative(process.env.GITHUB_WORKSPACE ?? process.cwd(), root) || '.'}`);
  return { result: await scanTree(root, options), mode: 'tree' };
}

async function upsertComment(cfg: ActionConfig, pr: PullRequestInfo, findings: readonly Finding[], baselined: number): Promise<void> {
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
  const body = commentBody(findings, baselined);
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    core.info(`Updated the scan comment on pull request #${pr.number}.`);
  } else if (findings.length > 0) {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body });
    core.info(`Commented on pull request #${pr.number}.`);
  }
}

export async function run(): Promise<void> {
  try {
    const cfg = readConfig();
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const root = path.resolve(workspace, cfg.path);
    const { pr } = readEvent();
    const baseline = cfg.baseline ? await readBaseline(path.resolve(workspace, cfg.baseline), cfg.baseline) : undefined;
    const { result, mode } = await scan(cfg, root, pr, baseline);
    let findings = result.findings;
    let baselined = 0;
    if (baseline) {
      const applied = applyBaseline(findings, baseline);
      findings = applied.findings;
      baselined = applied.suppressed;
    }
    // Annotations and SARIF want repository-relative paths; the scan's are relative to `path`.
    const prefix = path.relative(workspace, root).split(path.sep).join('/');
    const shown = prefix && !prefix.startsWith('..') ? findings.map((f) => ({ ...f, path: `${prefix}/${f.path}` })) : findings;

    for (const f of shown) {
      core.error(annotationMessage(f), {
        title: `Hardcoded secret (${f.ruleId})`,
        // The runner shows this as it is: a file name's controls and direction overrides must not reach it.
        file: safeText(f.path),
        startLine: f.line,
        endLine: f.endLine,
        startColumn: f.column,
        ...(f.endLine === f.line ? { endColumn: f.endColumn } : {}),
      });
    }
    const sarifFile = path.resolve(workspace, cfg.sarifFile || path.join(process.env.RUNNER_TEMP ?? workspace, 'ass-scan.sarif'));
    await mkdir(path.dirname(sarifFile), { recursive: true });
    await writeFile(sarifFile, formatSarif({ findings: shown, stats: result.stats, baselined }));
    core.setOutput(OUTPUT.sarifFile, sarifFile);
    core.setOutput(OUTPUT.findingsCount, String(shown.length));
    core.setOutput(OUTPUT.mode, mode);
    await core.summary.addRaw(summaryMarkdown(shown, mode, baselined)).write();
    if (cfg.comment && pr) await upsertComment(cfg, pr, shown, baselined);

    const mb = (result.stats.bytes / 1e6).toFixed(1);
    core.info(`Scanned ${result.stats.files} file(s), ${mb} MB; ${shown.length} finding(s).`);
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
