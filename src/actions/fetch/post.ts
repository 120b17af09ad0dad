import * as core from '@actions/core';
import { createClient } from '../../client/client.js';
import { errorMessage, isAppError } from '../../core/errors.js';
import { parseCaCert } from './config.js';
import { INPUT, STATE } from './constants.js';
import { deleteExportFile } from './export-file.js';
import type { ReadRecord, SummaryInput } from './summary.js';
import { renderSummary } from './summary.js';

function parseJson<T>(text: string, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * The post step (runs after the job, also after a failure): revoke the pipeline token, delete the
 * export file, write the job summary. After a failed main some state is missing; do what can be
 * done. A failed revocation fails the step: a live token the user believes revoked is worse than a
 * red post step.
 */
export async function runPost(env: Record<string, string | undefined> = process.env): Promise<void> {
  const token = core.getState(STATE.token);
  if (token) core.setSecret(token);
  const url = core.getState(STATE.url);
  const revoke = core.getState(STATE.revoke) !== 'false';
  const summary: SummaryInput = {
    vaultUrl: url || undefined,
    tokenId: core.getState(STATE.tokenId) || undefined,
    agent: core.getState(STATE.agent) || undefined,
    expiresAt: core.getState(STATE.expiresAt) || undefined,
    scopes: parseJson<string[]>(core.getState(STATE.scopes), []),
    secrets: parseJson<ReadRecord[]>(core.getState(STATE.report), []),
    revocation: { state: 'no-token' },
  };
  const failures: string[] = [];

  if (!token) {
    core.info('No pipeline token was issued by the main step; nothing to revoke.');
  } else if (!revoke) {
    summary.revocation = { state: 'skipped' };
    core.info(`Pipeline token ${summary.tokenId ?? ''} left to expire at ${summary.expiresAt ?? 'its expiry'} (revoke: false).`);
  } else if (!url) {
    summary.revocation = { state: 'failed', detail: 'the vault URL is missing from the state' };
    failures.push('Could not revoke the pipeline token: the vault URL is missing from the step state.');
  } else {
    // The post step sees the same inputs; a bad ca-cert was already reported by main.
    let caCert: string | undefined;
    try {
      caCert = parseCaCert(core.getInput(INPUT.caCert));
    } catch {
      caCert = undefined;
    }
    const client = createClient({
      url,
      urlSource: 'the `url` input',
      credential: token,
      timeoutMs: 15_000,
      retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
      ...(caCert ? { caCert } : {}),
    });
    try {
      await client.revokeSelf();
      summary.revocation = { state: 'revoked' };
      core.info(`Pipeline token ${summary.tokenId ?? ''} revoked.`);
    } catch (err) {
      if (isAppError(err) && (err.code === 'token_revoked' || err.code === 'token_expired')) {
        summary.revocation = { state: 'already-inactive' };
        core.info(`Pipeline token ${summary.tokenId ?? ''} was already inactive (${err.code}).`);
      } else {
        summary.revocation = { state: 'failed', detail: isAppError(err) ? err.code : 'error' };
        failures.push(
          `Could not revoke pipeline token ${summary.tokenId ?? ''}: ${errorMessage(err)} It stays valid until ${summary.expiresAt ?? 'it expires'}; revoke it with \`ass tokens revoke ${summary.tokenId ?? '<id>'}\`.`,
        );
      }
    } finally {
      await client.close();
    }
  }

  const file = core.getState(STATE.exportFile);
  if (file) {
    try {
      const deleted = await deleteExportFile(file, env.RUNNER_TEMP);
      summary.exportFile = { path: file, deleted };
      if (!deleted) failures.push(`The export file ${file} is not one this action wrote under RUNNER_TEMP; it was left alone.`);
    } catch (err) {
      summary.exportFile = { path: file, deleted: false };
      failures.push(`Could not delete the export file ${file}: ${errorMessage(err)}`);
    }
  }

  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(renderSummary(summary)).write();
    } catch (err) {
      core.warning(`Could not write the job summary: ${errorMessage(err)}`);
    }
  }
  if (failures.length) core.setFailed(failures.join('\n'));
}
