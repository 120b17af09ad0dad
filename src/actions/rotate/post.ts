import * as core from '@actions/core';
import { logRevocation, revocationFailure, revokePipelineToken } from '../common/revoke.js';
import { INPUT, STATE } from './constants.js';

/**
 * The post step (runs after the job, also after a failure): revokes the pipeline token
 * (`DELETE /v1/tokens/self`). A failed revocation fails the step: a live token someone believes
 * revoked is worse than a red post step.
 */
export async function runPost(): Promise<void> {
  const token = core.getState(STATE.token);
  if (!token) {
    core.info('No pipeline token was issued by the main step; nothing to revoke.');
    return;
  }
  core.setSecret(token);
  const url = core.getState(STATE.url);
  const tokenId = core.getState(STATE.tokenId);
  const expiresAt = core.getState(STATE.expiresAt) || 'it expires';
  if (!url) {
    core.setFailed(
      `Could not revoke pipeline token ${tokenId}: the vault URL is missing from the step state. Revoke it with \`ass tokens revoke ${tokenId}\`.`,
    );
    return;
  }
  const r = await revokePipelineToken(url, token, core.getInput(INPUT.caCert));
  logRevocation(tokenId, r);
  if (r.state === 'failed') core.setFailed(revocationFailure(tokenId, expiresAt, r.message));
}
