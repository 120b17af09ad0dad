import * as core from '@actions/core';
import { errorMessage } from '../../core/errors.js';
import { logRevocation, revocationFailure, revokePipelineToken } from '../common/revoke.js';
import { INPUT, STATE } from './constants.js';
import { deleteExportFile } from './export-file.js';
import type { ApprovalRecord, ReadRecord, SummaryInput } from './summary.js';
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
    approvals: parseJson<ApprovalRecord[]>(core.getState(STATE.approvals), []),
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
    const r = await revokePipelineToken(url, token, core.getInput(INPUT.caCert));
    logRevocation(summary.tokenId, r);
    if (r.state === 'failed') {
      summary.revocation = { state: 'failed', detail: r.code };
      failures.push(revocationFailure(summary.tokenId, summary.expiresAt, r.message));
    } else {
      summary.revocation = { state: r.state };
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
