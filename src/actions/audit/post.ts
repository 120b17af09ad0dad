import * as core from '@actions/core';
import { logRevocation, revocationFailure, revokePipelineToken } from '../common/revoke.js';
import { INPUT, STATE } from './constants.js';

/**
 * The post step: revokes the pipeline token if the main step did not get to (it was cancelled, or
 * crashed, between the exchange and the end of the report). Main revokes it itself once the report
 * is made, so usually there is nothing to do. A failed revocation fails the step.
 */
export async function runPost(): Promise<void> {
  const token = core.getState(STATE.token);
  if (!token) {
    core.info('No pipeline token was issued by the main step; nothing to revoke.');
    return;
  }
  core.setSecret(token);
  const tokenId = core.getState(STATE.tokenId);
  if (core.getState(STATE.revokeTried) === 'true') return; // main revoked it, or reported why it could not

  const url = core.getState(STATE.url);
  const expiresAt = core.getState(STATE.expiresAt) || 'it expires';
  if (!url) {
    core.setFailed(revocationFailure(tokenId, expiresAt, 'the vault URL is missing from the step state.'));
    return;
  }
  const r = await revokePipelineToken(url, token, core.getInput(INPUT.caCert));
  logRevocation(tokenId, r);
  if (r.state === 'failed') core.setFailed(revocationFailure(tokenId, expiresAt, r.message));
}
