import * as core from '@actions/core';
import type { VaultClient } from '../../client/client.js';
import { createClient } from '../../client/client.js';
import { errorMessage, isAppError } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import { plan, rotateAll } from '../../rotation/engine.js';
import { makeNotifier } from '../../rotation/notifier.js';
import { rotatorFor } from '../../rotation/registry.js';
import type { RotationResult } from '../../rotation/types.js';
import { exchangeForPipelineToken } from '../common/exchange.js';
import { actionsLogger } from '../common/logger.js';
import { StageError, stage } from '../common/stage.js';
import { planMasks } from '../fetch/masking.js';
import { parseConfig } from './config.js';
import { INPUT, OUTPUT, STATE } from './constants.js';
import { renderRotateSummary } from './summary.js';

export type Stage = 'inputs' | 'oidc-token' | 'exchange' | 'plan';

const STAGE_TITLE: Record<Stage, string> = {
  inputs: 'reading the inputs',
  'oidc-token': "requesting the job's OIDC token",
  exchange: 'exchanging the agent key and OIDC token for a pipeline token',
  plan: 'listing what to rotate',
};

/** The failure message of a step that could not rotate at all: the stage, the vault's (or our) message, and the fix. */
export function failureMessage(err: unknown): string {
  const stageName = err instanceof StageError ? (err.stage as Stage) : undefined;
  const original = err instanceof StageError ? err.original : err;
  const head = stageName
    ? `Agent Secret Store rotation failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
    : 'Agent Secret Store rotation failed:\n';
  let hint = '';
  if (isAppError(original)) {
    if (stageName === 'exchange' && original.code === 'oidc_rejected')
      hint =
        "The vault refused the job's OIDC token. Compare the agent's trust policy (`ass agents list`) with this job's claims, and make sure `audience` equals the vault's public URL.";
    else if (stageName === 'exchange' && (original.code === 'denied' || original.code === 'scope_missing'))
      hint =
        "The agent may not grant the requested scopes (the vault refuses rather than narrows). With `paths` empty the action asks for secrets:rotate:* and secrets:read:*; set the `scopes` input to the agent's own, such as `secrets:rotate:app/* secrets:read:app/*`, or name the `paths`.";
    else if (stageName === 'exchange' && ['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code))
      hint = 'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault.';
    else if (original.code === 'unavailable') hint = 'Check the `url` input and that the vault is reachable from the runner.';
  }
  return `${head}${errorMessage(original)}${hint ? `\n${hint}` : ''}`;
}

/** Rotation results as the outputs show them: paths, versions and ids, never a value. */
export function outputEntries(results: readonly RotationResult[]) {
  return results.map((r) => ({
    path: r.path,
    rotator: r.rotator,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    rotationId: r.rotationId,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
}

/**
 * What rotators (the command rotator's scripts) see of the environment: the job's, without the
 * step's inputs (the agent key, the github-token), state, and the runner's OIDC request handle.
 */
export function rotatorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(INPUT_|STATE_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Registers a value, each of its lines and the encodings the runner misses, before anything can print it. */
function maskValue(value: string): void {
  if (value.trim() === '') return;
  const { masks } = planMasks(value);
  for (const m of masks) core.setSecret(m);
  // A value too short for the fetch action's masking policy is still masked: a rotated value must
  // never show, and rotators make long ones anyway.
  if (masks.length === 0) core.setSecret(value);
}

/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
export async function runMain(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await rotate(env);
  } catch (err) {
    core.setFailed(failureMessage(err));
  }
}

async function rotate(env: NodeJS.ProcessEnv): Promise<void> {
  // Secrets even when a workflow passed them as plain text: masked before an input error could echo them.
  for (const name of [INPUT.agentKey, INPUT.githubToken]) {
    const raw = core.getInput(name).trim();
    if (raw) core.setSecret(raw);
  }
  const config = await stage('inputs', () => parseConfig((name) => core.getInput(name)));
  core.saveState(STATE.url, config.url);

  const issued = await exchangeForPipelineToken(
    {
      url: config.url,
      agentKey: config.agentKey,
      audience: config.audience,
      scopes: config.scopes,
      ttlSeconds: config.ttlSeconds,
      caCert: config.caCert,
    },
    env,
  );
  // Masked above; only now may it go to the state file, which the runner logs in debug mode.
  core.saveState(STATE.token, issued.token);
  core.saveState(STATE.tokenId, issued.id);
  core.saveState(STATE.expiresAt, issued.expiresAt);
  core.setOutput(OUTPUT.tokenId, issued.id);
  core.info(oneLine(`Pipeline token ${issued.id} issued to agent ${issued.agent}, scopes ${(issued.scopes ?? []).join(', ')}.`));

  const client: VaultClient = createClient({
    url: config.url,
    urlSource: 'the `url` input',
    credential: issued.token,
    timeoutMs: 60_000,
    retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
    ...(config.caCert ? { caCert: config.caCert } : {}),
  });
  let results: RotationResult[];
  try {
    const due = config.paths.length === 0;
    const planned = await stage('plan', () => plan(client, due ? { due: true } : { paths: config.paths }));
    const missing: RotationResult[] = planned.missing.map((path) => ({
      path,
      rotator: 'random',
      status: 'failed',
      fromVersion: null,
      toVersion: null,
      test: 'none',
      rotationId: null,
      nextDue: null,
      graceEnds: null,
      reason: 'no rotation policy covers this path, or the pipeline token may not rotate it',
      fix: `set a policy (ass rotation set ${path} ...) and give the agent secrets:rotate and secrets:read on it`,
    }));
    core.info(
      due
        ? `${planned.items.length} secret(s) due for rotation within the token's scopes.`
        : `${planned.items.length} of ${config.paths.length} named secret(s) have a rotation policy.`,
    );
    // The runner's API URL: api.github.com, or the GHES host's /api/v3.
    const github = {
      ...(config.githubToken ? { githubToken: config.githubToken } : {}),
      ...(env.GITHUB_API_URL?.trim() ? { githubApiUrl: env.GITHUB_API_URL.trim() } : {}),
    };
    const rotated = await rotateAll(
      {
        client,
        rotatorFor: (name) => rotatorFor(name, { client, ...github }),
        notify: makeNotifier(github),
        logger: actionsLogger,
        mask: maskValue,
        env: rotatorEnv(env),
        allowCommands: config.allowCommands,
      },
      planned.items,
      // Named paths rotate whether or not they are due; with none, only what is due.
      { ...(config.dryRun ? { dryRun: true } : {}), explicit: config.paths.length > 0 },
    );
    results = [...missing, ...rotated];
  } finally {
    await client.close();
  }

  const of = (status: RotationResult['status']) => outputEntries(results.filter((r) => r.status === status));
  core.setOutput(OUTPUT.rotated, JSON.stringify(of('rotated')));
  core.setOutput(OUTPUT.failed, JSON.stringify(of('failed')));
  core.setOutput(OUTPUT.skipped, JSON.stringify(of('skipped')));
  core.setOutput(OUTPUT.wouldRotate, JSON.stringify([...of('would-rotate'), ...of('would-revoke')]));
  core.setOutput(OUTPUT.revoked, JSON.stringify(of('revoked')));
  for (const r of results) {
    const line = `${r.path}: ${r.status}${r.status === 'rotated' ? ` (version ${r.fromVersion} → ${r.toVersion})` : ''}${r.reason ? `: ${r.reason}` : ''}`;
    // A recap: the engine has already annotated each failure as it happened.
    core.info(oneLine(line));
  }
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary
        .addRaw(
          renderRotateSummary({
            vaultUrl: config.url,
            dryRun: config.dryRun,
            due: config.paths.length === 0,
            tokenId: issued.id,
            agent: issued.agent ?? undefined,
            results,
          }),
        )
        .write();
    } catch (err) {
      core.warning(`Could not write the job summary: ${errorMessage(err)}`);
    }
  }
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    const message = `${failed.length} rotation(s) failed: ${failed.map((r) => r.path).join(', ')}. The current values of those secrets are unchanged; the job summary says why and how to fix it.`;
    if (config.failOnError) core.setFailed(message);
    else core.warning(message);
  }
}
