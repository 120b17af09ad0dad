import * as core from '@actions/core';
import { approvalOf } from '../../client/approvals.js';
import type { BatchSecret, IssuedToken } from '../../client/client.js';
import { createClient } from '../../client/client.js';
import { AppError, errorMessage, isAppError } from '../../core/errors.js';
import { isRetryableError, withRetry } from '../../core/retry.js';
import { oneLine } from '../../core/text.js';
import { StageError, stage } from '../common/stage.js';
import { ApprovalLog, announceHeld, awaitApproval, type Held, noWaitError } from './approval.js';
import type { FetchConfig } from './config.js';
import { parseConfig } from './config.js';
import { INPUT, OUTPUT, STATE } from './constants.js';
import { writeExportFile } from './export-file.js';
import { planMasks } from './masking.js';
import { requestOidcToken } from './oidc-token.js';
import { batchRequestFor, resolveExports } from './secrets-spec.js';
import type { ReadRecord } from './summary.js';

export type Stage = 'inputs' | 'oidc-token' | 'exchange' | 'approval' | 'read' | 'mask' | 'export';

const STAGE_TITLE: Record<Stage, string> = {
  inputs: 'reading the inputs',
  'oidc-token': "requesting the job's OIDC token",
  exchange: 'exchanging the agent key and OIDC token for a pipeline token',
  approval: 'waiting for a human approval',
  read: 'reading the secrets',
  mask: 'masking the secrets',
  export: 'exporting the secrets',
};

/** The failure message: stage, the vault's (or our) message, and the fix for the common cases. */
export function failureMessage(err: unknown): string {
  const stageName = err instanceof StageError ? (err.stage as Stage) : undefined;
  const original = err instanceof StageError ? err.original : err;
  const head = stageName
    ? `Agent Secret Store failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
    : 'Agent Secret Store failed:\n';
  const message = errorMessage(original);
  let hint = '';
  if (isAppError(original)) {
    if (stageName === 'exchange') {
      if (original.code === 'oidc_rejected')
        hint =
          "The vault refused the job's OIDC token. Compare the agent's trust policy (issuer and claims, `ass agents list`) with this job: repository_id, environment, ref... and make sure the action's audience equals the vault's public URL.";
      else if (original.code === 'unauthenticated' || original.code === 'token_revoked' || original.code === 'token_expired')
        hint =
          'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault. Create a new one with `ass agents create` and store it as a secret.';
      else if (original.code === 'scope_missing' || original.code === 'denied')
        hint =
          "The agent may not read everything the `secrets` input lists; widen the agent's scopes or trim the list (the `scopes` input sets what is requested).";
    } else if (stageName === 'read') {
      if (original.code === 'scope_missing' || original.code === 'denied')
        hint =
          "The pipeline token's scopes do not cover a requested path; the message above names the missing scope. Grant it to the agent (its scopes bound what a pipeline token can get), or remove the path from `secrets`.";
      else if (original.code === 'not_found')
        hint = 'Check the path in the `secrets` input (paths are case-sensitive), or create the secret.';
    }
    if (original.code === 'unavailable')
      hint = 'Check the `url` input and that the vault is up and reachable from the runner; the `timeout` input bounds the whole step.';
  }
  return `${head}${message}${hint ? `\n${hint}` : ''}`;
}

export interface MainEnv {
  [name: string]: string | undefined;
}

/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
export async function runMain(env: MainEnv = process.env): Promise<void> {
  try {
    await fetchSecrets(env);
  } catch (err) {
    core.setFailed(failureMessage(err));
  }
}

async function fetchSecrets(env: MainEnv): Promise<void> {
  // The agent key is a secret even when the workflow passed it as plain text: mask it before
  // anything can print it (an input error message, a debug log).
  const rawKey = core.getInput(INPUT.agentKey);
  if (rawKey.trim()) core.setSecret(rawKey.trim());
  const config = await stage('inputs', () => parseConfig((name) => core.getInput(name)));
  core.saveState(STATE.url, config.url);
  core.saveState(STATE.revoke, String(config.revoke));
  // `timeout` bounds the work, not a wait for a person: it starts again after an approval.
  let deadline = Date.now() + config.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const retry = () => ({ attempts: 4, baseMs: 250, maxMs: 3000, deadline });
  const onRetry = (what: string) => (attempt: number, delay: number, err: unknown) =>
    core.info(oneLine(`${what}: attempt ${attempt} failed (${errorMessage(err).split('\n')[0]}); retrying in ${delay} ms`));
  const approvals = new ApprovalLog();
  const client = (credential: string, retries: boolean, timeoutMs = remaining()) =>
    createClient({
      url: config.url,
      urlSource: 'the `url` input',
      credential,
      timeoutMs,
      ...(retries ? { retry: { attempts: 4, baseMs: 250, maxMs: 3000 } } : {}),
      ...(config.caCert ? { caCert: config.caCert } : {}),
    });
  const oidcToken = async () => {
    const jwt = await stage('oidc-token', () =>
      requestOidcToken(env, config.audience, { ...retry(), onRetry: onRetry('OIDC token request') }),
    );
    core.setSecret(jwt);
    return jwt;
  };

  /**
   * Announces a held request and waits for its decision within `approval-timeout` (never past
   * `pollUntil`, when the poller's credential expires); returns once it is approved, else throws.
   */
  let approvalEnds: number | undefined;
  const approved = async (held: Held, poller: string, pollUntil?: { at: number; what: string }): Promise<void> => {
    approvals.note(held);
    if (held.status === 'approved') {
      // Approved already (a re-run of a run whose earlier attempt asked): collect it now.
      core.info(`Approval ${held.id} was already approved; collecting it.`);
      return;
    }
    // One budget for every wait of the step (an exchange held, then a read held): approval-timeout in all.
    approvalEnds ??= Date.now() + config.approvalTimeoutMs;
    const budget = Math.max(0, approvalEnds - Date.now());
    await announceHeld(held, budget, env.GITHUB_STEP_SUMMARY);
    if (config.approvalTimeoutMs === 0) throw noWaitError(held);
    let timeoutMs = budget;
    let limit: string | undefined;
    if (pollUntil && pollUntil.at - Date.now() < timeoutMs) {
      timeoutMs = Math.max(0, pollUntil.at - Date.now());
      limit = pollUntil.what;
    }
    // Each poll gets its own short limit; one that fails to arrive is asked again (waitForDecision).
    const c = client(poller, false, 15_000);
    try {
      const decided = await awaitApproval(c, held, { timeoutMs, limit, onPoll: (a) => approvals.note(a) });
      approvals.note(decided);
    } finally {
      await c.close();
    }
    deadline = Date.now() + config.timeoutMs;
  };

  // Each exchange attempt uses a fresh OIDC token: a token whose jti the vault consumed before an
  // error reached us could not be replayed anyway.
  let exchanged: IssuedToken;
  try {
    exchanged = await withRetry(
      async () => {
        const jwt = await oidcToken();
        return stage('exchange', async () => {
          const c = client(config.agentKey, false);
          try {
            const res: IssuedToken = await c.exchangeToken({ oidcToken: jwt, scopes: config.scopes, ttl: config.ttlSeconds });
            // The pipeline token is masked the moment it exists in this process.
            if (typeof res.token === 'string' && res.token) core.setSecret(res.token);
            return res;
          } finally {
            await c.close();
          }
        });
      },
      { ...retry(), onRetry: onRetry('Token exchange') },
      (err: unknown) => err instanceof StageError && err.stage === 'exchange' && isRetryableError(err.original),
    );
  } catch (err) {
    const held = approvalOf(err instanceof StageError ? err.original : err);
    if (!held) throw err;
    exchanged = await stage('approval', async () => {
      await approved(held, config.agentKey);
      // The vault gives the token to the agent key with an OIDC token of the same run, once.
      const jwt = await oidcToken();
      const c = client(config.agentKey, false);
      try {
        const collected = await c.collectApproval(held.id, jwt);
        const token = collected.token;
        if (typeof token?.token === 'string' && token.token) core.setSecret(token.token);
        approvals.note(collected.approval);
        if (!token) throw new AppError('internal', `The vault released approval ${held.id} without a token.`);
        return token;
      } finally {
        await c.close();
      }
    });
  }
  if (typeof exchanged.token !== 'string' || !exchanged.token) {
    throw new StageError('exchange', new AppError('internal', 'The vault answered the exchange without a token.'));
  }
  // Masked above; only now may it go to the state file (the runner logs state names and values in
  // debug mode, masked only if already registered).
  const pipelineToken = exchanged.token;
  core.saveState(STATE.token, pipelineToken);
  core.saveState(STATE.tokenId, exchanged.id);
  core.saveState(STATE.expiresAt, exchanged.expiresAt);
  core.saveState(STATE.agent, exchanged.agent);
  core.saveState(STATE.scopes, JSON.stringify(exchanged.scopes ?? []));
  core.setOutput(OUTPUT.tokenId, exchanged.id);
  core.setOutput(OUTPUT.expiresAt, exchanged.expiresAt);
  // What the vault sent is printed on one line: it must never start a workflow command of its own.
  core.info(
    oneLine(
      `Pipeline token ${exchanged.id} issued to agent ${exchanged.agent}, scopes ${(exchanged.scopes ?? []).join(', ')}, expires ${exchanged.expiresAt}.`,
    ),
  );

  let secrets: BatchSecret[];
  try {
    secrets = await stage('read', async () => {
      const c = client(pipelineToken, true);
      try {
        return (await c.batchRead(batchRequestFor(config.secrets))).secrets;
      } finally {
        await c.close();
      }
    });
  } catch (err) {
    // A read can be held too (a secret relabelled critical since the exchange): only the pipeline
    // token that asked may collect it, so it is also what polls, while it lives.
    const held = approvalOf(err instanceof StageError ? err.original : err);
    if (!held) throw err;
    secrets = await stage('approval', async () => {
      await approved(held, pipelineToken, {
        at: Date.parse(exchanged.expiresAt),
        what: `the pipeline token expires at ${exchanged.expiresAt}; a longer ttl allows a longer wait`,
      });
      const c = client(pipelineToken, false);
      try {
        const collected = await c.collectApproval(held.id);
        approvals.note(collected.approval);
        if (!collected.secrets) throw new AppError('internal', `The vault released approval ${held.id} without the values.`);
        return collected.secrets;
      } finally {
        await c.close();
      }
    });
  }
  await stage('mask', () => maskAll(secrets, config));
  await stage('export', () => exportAll(secrets, config, env));
}

/** Registers every mask of every value before any value is exported, logged or written. */
function maskAll(secrets: readonly BatchSecret[], config: FetchConfig): void {
  for (const s of secrets) {
    if (typeof s.value !== 'string') throw new AppError('internal', `The vault returned a non-text value for ${s.path}.`);
    const plan = planMasks(s.value, config.maskMinLength);
    for (const m of plan.masks) core.setSecret(m);
    if (plan.wholeTooShort && s.value.trim() !== '') {
      core.warning(
        `The value of ${s.path} is shorter than ${config.maskMinLength} characters and was NOT masked: a mask that short would hide every occurrence of those characters in the log. Store a longer value, or lower mask-min-length if you accept that.`,
      );
    } else if (plan.tooShort > 0) {
      core.warning(
        `${plan.tooShort} part(s) of ${s.path} (lines or JSON fields) are shorter than ${config.maskMinLength} characters and were not masked on their own (mask-min-length).`,
      );
    }
  }
}

async function exportAll(secrets: readonly BatchSecret[], config: FetchConfig, env: MainEnv): Promise<void> {
  const exports = resolveExports(config.secrets, secrets);
  const byPath = new Map(secrets.map((s) => [s.path, s]));
  for (const e of exports) {
    const value = (byPath.get(e.path) as BatchSecret).value;
    if (config.exportEnv) core.exportVariable(e.name, value);
    core.setOutput(e.name, value);
  }
  if (config.exportFile) {
    const file = await writeExportFile(
      env.RUNNER_TEMP,
      exports.map((e) => ({ name: e.name, value: (byPath.get(e.path) as BatchSecret).value })),
      config.exportFileFormat,
    );
    core.saveState(STATE.exportFile, file);
    core.setOutput(OUTPUT.exportFile, file);
  }
  const report: ReadRecord[] = secrets
    .map((s) => ({
      path: s.path,
      version: s.version,
      tier: s.tier,
      type: s.type,
      names: exports.filter((e) => e.path === s.path).map((e) => e.name),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
  core.saveState(STATE.report, JSON.stringify(report));
  for (const r of report)
    core.info(oneLine(`Read ${r.path} (version ${r.version}, ${r.tier}) → ${r.names.join(', ') || '(not exported)'}`));
  core.info(
    `${exports.length} secret(s) ${config.exportEnv ? 'exported to the environment and ' : ''}set as step outputs${config.exportFile ? ', and written to the export file' : ''}.`,
  );
}
