import * as core from '@actions/core';
import { MAX_SPAN_DAYS, Since } from '../../api/schemas.js';
import type { AnomalyReport, AuditCheckpoint, AuditSummary, AuditVerification, IssuedToken, VaultClient } from '../../client/client.js';
import { createClient } from '../../client/client.js';
import type { AuditRecord, Checkpoint } from '../../core/audit-chain.js';
import { errorMessage, isAppError } from '../../core/errors.js';
import { isRetryableError, withRetry } from '../../core/retry.js';
import { oneLine } from '../../core/text.js';
import { exchangeForPipelineToken } from '../common/exchange.js';
import { escapeMarkdown } from '../common/markdown.js';
import { logRevocation, type Revocation, revocationFailure, revokePipelineToken } from '../common/revoke.js';
import { StageError, stage } from '../common/stage.js';
import { readPreviousCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { type AuditConfig, parseConfig } from './config.js';
import { AUDIT_SCOPES, INPUT, OUTPUT, PAGE, STATE, TOKEN_TTL_SECONDS } from './constants.js';
import { buildFindings, compactFindings, type Finding, type FindingsInput, isVerified, shouldFail } from './findings.js';
import { noticeFindings, sendNotice } from './notify.js';
import { type ReportView, renderAuditSummary } from './summary.js';
import { type ChainCheck, verifyAgainstCheckpoints } from './verify.js';

export type Stage = 'inputs' | 'oidc-token' | 'exchange' | 'checkpoint' | 'summary' | 'anomalies' | 'records' | 'verify';

const STAGE_TITLE: Record<Stage, string> = {
  inputs: 'reading the inputs',
  'oidc-token': "requesting the job's OIDC token",
  exchange: 'exchanging the agent key and OIDC token for a pipeline token',
  checkpoint: 'getting a signed checkpoint',
  summary: 'getting the summary of the window',
  anomalies: 'running the anomaly checks',
  records: 'reading the records since the previous checkpoint',
  verify: "running the vault's verification",
};

/** The failure message of a run that could not make its report: the stage, the vault's (or our) message, and the fix. */
export function failureMessage(err: unknown): string {
  const stageName = err instanceof StageError ? (err.stage as Stage) : undefined;
  const original = err instanceof StageError ? err.original : err;
  const head = stageName
    ? `Agent Secret Store audit report failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
    : 'Agent Secret Store audit report failed:\n';
  let hint = '';
  if (isAppError(original)) {
    if (stageName === 'exchange' && original.code === 'oidc_rejected') {
      hint =
        "The vault refused the job's OIDC token. Compare the agent's trust policy (`ass agents list`) with this job's claims, and make sure `audience` equals the vault's public URL.";
    } else if (stageName === 'exchange' && (original.code === 'denied' || original.code === 'scope_missing')) {
      hint =
        'The agent must hold audit:read (and its trust policy, if it lists scopes, too): `ass agents create --name auditor-bot --scopes audit:read --oidc-claim repository_id=...`.';
    } else if (stageName === 'exchange' && ['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code)) {
      hint = 'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault.';
    } else if (['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code)) {
      hint = 'The vault did not accept the `token` input: it may be revoked, expired, mistyped, or for another vault.';
    } else if (original.code === 'denied' || original.code === 'scope_missing') {
      hint =
        'The `token` input must belong to a user with the auditor (or admin) role (`ass users create NAME --role auditor`), or be a token with audit:read.';
    } else if (original.code === 'unavailable') {
      hint = 'Check the `url` input and that the vault is reachable from the runner.';
    }
  }
  return `${head}${errorMessage(original)}${hint ? `\n${hint}` : ''}`;
}

const isAuditUnavailable = (err: unknown) => isAppError(err) && err.code === 'audit_unavailable';

/** Retries what may pass on a second try; never `audit_unavailable` (a broken log stays broken within a run). */
const RETRY = { attempts: 4, baseMs: 250, maxMs: 3000 };
const retryable = (err: unknown) => !isAuditUnavailable(err) && isRetryableError(err);

/** A record as the API shows it (ISO time) back in the form its hash covers (milliseconds). */
function chainRecord(e: Awaited<ReturnType<VaultClient['queryAudit']>>['events'][number]): AuditRecord {
  return { ...e, time: Date.parse(e.time) };
}

/** GitHub's link to this run, from the runner's environment. */
function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = `${env.GITHUB_SERVER_URL ?? ''}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
  return /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/actions\/runs\/\d+$/.test(url) ? url : undefined;
}

interface Gathered {
  current: Checkpoint | undefined;
  summary: AuditSummary | undefined;
  anomalies: AnomalyReport | undefined;
  chain: ChainCheck | undefined;
  vaultVerification: AuditVerification | undefined;
  window: ReportView['window'];
}

/**
 * Asks the vault for the report's parts. The checkpoint comes first, so the next run's window (from
 * this checkpoint's time) overlaps this one rather than leaving a gap; the vault's verification comes
 * last, since a log it finds broken makes the vault refuse what follows. A refusal because the log
 * is broken (`audit_unavailable`) is a finding (`noteUnavailable`), not an error: the report goes on
 * with what the vault still serves (records, anomalies and verification are served while broken).
 */
async function gather(
  config: AuditConfig,
  credential: string,
  previous: Checkpoint | undefined,
  noteUnavailable: (during: string, err: unknown) => void,
): Promise<Gathered> {
  const client = createClient({
    url: config.url,
    urlSource: 'the `url` input',
    credential,
    timeoutMs: 120_000,
    ...(config.caCert ? { caCert: config.caCert } : {}),
  });
  const call = async <T>(name: Stage, during: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await stage(name, () => withRetry(fn, { ...RETRY, deadline: Date.now() + 120_000 }, retryable));
    } catch (err) {
      const original = err instanceof StageError ? err.original : err;
      if (!isAuditUnavailable(original)) throw err;
      noteUnavailable(during, original);
      return undefined;
    }
  };
  try {
    // Since the last run: the previous checkpoint's time, when it is one the vault can take (the
    // anomaly checks look back a year at most; the chain check still reads every record since it).
    const last =
      previous && Since().safeParse(previous.time).success && Date.now() - Date.parse(previous.time) < (MAX_SPAN_DAYS - 1) * 86_400_000
        ? previous.time
        : undefined;
    const since = config.since ?? last ?? '24h';
    const basis = config.since ? 'input' : last ? 'last-run' : 'default';
    const current: AuditCheckpoint | undefined = await call('checkpoint', 'to sign a checkpoint', () => client.auditCheckpoint());
    const summary = await call('summary', 'the summary', () => client.auditSummary({ since, limit: 15 }));
    const anomalies = await call('anomalies', 'the anomaly checks', () =>
      client.auditAnomalies({ since, ...(config.anomalyConfig ? { config: config.anomalyConfig } : {}) }),
    );
    const chain = await stage('records', () =>
      verifyAgainstCheckpoints({
        previous,
        current,
        pinnedKey: config.publicKey,
        maxRecords: config.maxRecords,
        pageSize: PAGE,
        page: async (afterSeq, limit) =>
          (
            await withRetry(() => client.queryAudit({ afterSeq, limit }), { ...RETRY, deadline: Date.now() + 120_000 }, retryable)
          ).events.map(chainRecord),
      }),
    );
    const vaultVerification = await call('verify', 'its own verification', () => client.verifyAudit());
    const w = summary ?? anomalies;
    return { current, summary, anomalies, chain, vaultVerification, window: w ? { since: w.since, until: w.until, basis } : undefined };
  } finally {
    await client.close();
  }
}

/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
export async function runMain(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let pipeline: IssuedToken | undefined;
  let config: AuditConfig | undefined;
  let revocation: Revocation | undefined;
  const revoke = async () => {
    if (!pipeline || !config || revocation) return;
    revocation = await revokePipelineToken(config.url, pipeline.token, core.getInput(INPUT.caCert));
    logRevocation(pipeline.id, revocation);
    core.saveState(STATE.revokeTried, 'true');
  };
  try {
    // Credentials even when a workflow passed them as plain text: masked before an input error could echo them.
    for (const name of [INPUT.agentKey, INPUT.token, INPUT.webhookUrl]) {
      const raw = core.getInput(name).trim();
      if (raw) core.setSecret(raw);
    }
    config = await stage('inputs', () => parseConfig((name) => core.getInput(name), env.GITHUB_WORKSPACE || process.cwd()));
    const cfg = config;
    const previous = await readPreviousCheckpoint(cfg.checkpointPath);

    let unavailable: FindingsInput['unavailable'];
    const noteUnavailable = (during: string, err: unknown) => {
      unavailable ??= { during, message: errorMessage(err) };
    };

    let credential: string | undefined;
    if (cfg.credential.kind === 'agent-key') {
      try {
        pipeline = await exchangeForPipelineToken(
          {
            url: cfg.url,
            agentKey: cfg.credential.agentKey,
            audience: cfg.audience,
            scopes: AUDIT_SCOPES,
            ttlSeconds: TOKEN_TTL_SECONDS,
            caCert: cfg.caCert,
          },
          env,
        );
        // Masked by the exchange; only now may it go to the state file, which the runner logs in debug mode.
        core.saveState(STATE.url, cfg.url);
        core.saveState(STATE.token, pipeline.token);
        core.saveState(STATE.tokenId, pipeline.id);
        core.saveState(STATE.expiresAt, pipeline.expiresAt);
        core.info(
          oneLine(`Pipeline token ${pipeline.id} issued to agent ${pipeline.agent}, scopes ${(pipeline.scopes ?? []).join(', ')}.`),
        );
        credential = pipeline.token;
      } catch (err) {
        const original = err instanceof StageError ? err.original : err;
        if (!isAuditUnavailable(original)) throw err;
        noteUnavailable('the token exchange', original);
      }
    } else {
      credential = cfg.credential.token;
    }

    const g: Gathered = credential
      ? await gather(cfg, credential, previous.checkpoint, noteUnavailable)
      : { current: undefined, summary: undefined, anomalies: undefined, chain: undefined, vaultVerification: undefined, window: undefined };
    await revoke();

    const input: FindingsInput = {
      unavailable,
      previous: previous.state,
      chain: g.chain,
      vaultVerification: g.vaultVerification,
      anomalies: g.anomalies,
    };
    const findings = buildFindings(input);
    const verified = isVerified(input, findings);
    const failing = shouldFail(findings, cfg.failOn);
    const failures: string[] = [];

    // Never replace a good checkpoint with one of a log that failed verification.
    let checkpointFile: ReportView['checkpointFile'];
    if (!cfg.checkpointPath) checkpointFile = { state: 'not-configured' };
    else if (!g.current) checkpointFile = { state: 'kept', path: cfg.checkpointPath, reason: 'the vault signed no new checkpoint.' };
    else if (findings.some((f) => f.verification)) {
      checkpointFile = {
        state: 'kept',
        path: cfg.checkpointPath,
        reason: 'the log failed verification, so its checkpoint does not replace the last good one.',
      };
    } else {
      try {
        await writeCheckpoint(cfg.checkpointPath, g.current);
        checkpointFile = { state: 'written', path: cfg.checkpointPath };
      } catch (err) {
        checkpointFile = { state: 'failed', path: cfg.checkpointPath, reason: (err as { code?: string }).code ?? errorMessage(err) };
        failures.push(
          `Could not write the new checkpoint to ${cfg.checkpointPath} (${checkpointFile.reason}); the next run cannot hold the log to this one.`,
        );
      }
    }

    core.setOutput(OUTPUT.anomalies, JSON.stringify(compactFindings(findings)));
    core.setOutput(OUTPUT.verified, String(verified));
    core.setOutput(OUTPUT.checkpoint, g.current ? JSON.stringify(g.current) : '');
    annotate(findings);
    logReport(g, findings, verified);

    let webhook: string | undefined;
    const notice = noticeFindings(findings, cfg.failOn);
    if (cfg.webhookUrl && notice.length > 0) {
      const sent = await sendNotice(cfg.webhookUrl, notice, {
        vaultUrl: cfg.url,
        verified,
        runUrl: runUrl(env),
        window: g.window ? { since: g.window.since, until: g.window.until } : undefined,
      });
      webhook = sent.message;
      if (sent.ok) core.info(oneLine(`Webhook: ${sent.message}.`));
      else failures.push(`Could not post the findings to the webhook: ${sent.message}`);
    } else if (cfg.webhookUrl) {
      webhook = 'nothing to post (no finding at or above the notice threshold)';
    }

    if (revocation?.state === 'failed') {
      failures.push(
        revocationFailure(
          pipeline?.id,
          pipeline?.expiresAt,
          revocation.code === 'audit_unavailable' ? 'the vault refuses every change while its audit log is broken.' : revocation.message,
        ),
      );
    }

    if (env.GITHUB_STEP_SUMMARY) {
      try {
        const view: ReportView = {
          vaultUrl: cfg.url,
          window: g.window,
          credential: pipeline
            ? { kind: 'pipeline', tokenId: pipeline.id, agent: pipeline.agent ?? null, revocation: revocationText(revocation) }
            : cfg.credential.kind === 'token'
              ? { kind: 'token' }
              : { kind: 'none' },
          summary: g.summary,
          anomalies: g.anomalies,
          findings,
          verified,
          failing,
          failOn: cfg.failOn,
          vaultVerification: g.vaultVerification,
          chain: g.chain,
          previous: previous.state,
          previousCheckpoint: previous.checkpoint,
          current: g.current,
          checkpointFile,
          webhook,
        };
        await core.summary.addRaw(renderAuditSummary(view)).write();
      } catch (err) {
        failures.push(`Could not write the job summary: ${errorMessage(err)}`);
      }
    }

    if (failing) failures.unshift(failingMessage(findings, cfg.failOn));
    if (failures.length) core.setFailed(oneLine(failures.join(' ')));
  } catch (err) {
    core.setOutput(OUTPUT.verified, 'false');
    await revoke().catch(() => undefined);
    const message = failureMessage(err);
    // Monitoring that breaks must say so where people look: the job summary, and the webhook.
    const failed: Finding = {
      check: 'report_failed',
      severity: 'critical',
      title: 'The audit report could not be made',
      detail: message,
      action: 'Fix what the message names; until then nothing checks the vault’s audit log.',
      subject: {},
      count: 1,
      verification: false,
    };
    if (env.GITHUB_STEP_SUMMARY) {
      await core.summary
        .addRaw(
          `## Audit report: not made\n\n**${escapeMarkdown(message)}**\n\nNo summary, anomaly check or verification ran, so nothing checked the vault's audit log in this run.\n`,
        )
        .write()
        .catch(() => undefined);
    }
    if (config?.webhookUrl) {
      await sendNotice(config.webhookUrl, [failed], {
        vaultUrl: config.url,
        verified: false,
        runUrl: runUrl(env),
        window: undefined,
      }).catch(() => undefined);
    }
    core.setFailed(message);
  }
}

function revocationText(r: Revocation | undefined): string {
  if (!r) return 'not revoked';
  if (r.state === 'failed') return `NOT revoked (${r.code}); it expires on its own`;
  return r.state === 'revoked' ? 'revoked at the end of the report' : 'already inactive at the end of the report';
}

function failingMessage(findings: readonly Finding[], failOn: AuditConfig['failOn']): string {
  const top = findings[0] as Finding;
  if (top.verification) return `The audit log fails verification: ${top.title}.`;
  const count = findings.filter((f) => failOn !== 'none' && f.severity !== 'info' && f.severity === top.severity).length;
  return `The audit report has ${count} ${top.severity} finding(s) (fail-on: ${failOn}); the first: ${top.title}.`;
}

/** Each finding as an annotation: critical → error, warning → warning, info → notice. The toolkit escapes their text. */
function annotate(findings: readonly Finding[]): void {
  for (const f of findings) {
    const message = clip(`${sentence(f.title)} ${sentence(f.detail)} What to do: ${f.action}`, 1500);
    const props = { title: clip(`Audit ${f.severity}: ${f.check}`, 100) };
    if (f.severity === 'critical') core.error(message, props);
    else if (f.severity === 'warning') core.warning(message, props);
    else core.notice(message, props);
  }
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);
const sentence = (s: string) => (/[.!?)]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** A few lines for the job log; what the vault sent is printed on one line each, so it never starts a workflow command. */
function logReport(g: Gathered, findings: readonly Finding[], verified: boolean): void {
  if (g.window) core.info(oneLine(`Audit report from ${g.window.since} to ${g.window.until}.`));
  if (g.summary) {
    core.info(`${g.summary.requests} request(s): ${g.summary.granted} granted, ${g.summary.denied} refused, ${g.summary.errors} failed.`);
  }
  if (g.chain) {
    core.info(
      `Chain check: ${g.chain.count} record(s) read${g.chain.from !== null ? ` (${g.chain.from} to ${g.chain.to})` : ''}, ${g.chain.problems.length} problem(s)${g.chain.complete ? '' : ', partial'}.`,
    );
  }
  if (g.vaultVerification)
    core.info(`The vault's verification: ${g.vaultVerification.ok ? 'intact' : `${g.vaultVerification.problems.length} problem(s)`}.`);
  core.info(`${findings.length} finding(s); verified: ${verified}.`);
}
