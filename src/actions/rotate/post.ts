import * as core from '@actions/core';
import { createClient } from '../../client/client.js';
import { errorMessage, isAppError } from '../../core/errors.js';
import { parseCaCert } from '../fetch/config.js';
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
  let caCert: string | undefined;
  try {
    caCert = parseCaCert(core.getInput(INPUT.caCert));
  } catch {
    caCert = undefined; // main reported a bad ca-cert already
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
    core.info(`Pipeline token ${tokenId} revoked.`);
  } catch (err) {
    if (isAppError(err) && (err.code === 'token_revoked' || err.code === 'token_expired')) {
      core.info(`Pipeline token ${tokenId} was already inactive (${err.code}).`);
    } else {
      core.setFailed(
        `Could not revoke pipeline token ${tokenId}: ${errorMessage(err)} It stays valid until ${expiresAt}; revoke it with \`ass tokens revoke ${tokenId}\`.`,
      );
    }
  } finally {
    await client.close();
  }
}
