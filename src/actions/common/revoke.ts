/** The post steps' last duty: revoke the pipeline token the main step received. */
import * as core from '@actions/core';
import { createClient } from '../../client/client.js';
import { errorMessage, isAppError } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import { parseCaCert } from '../fetch/config.js';

export type Revocation = { state: 'revoked' | 'already-inactive' } | { state: 'failed'; code: string; message: string };

/**
 * `DELETE /v1/tokens/self` with the token, against the vault main used (trusting the `ca-cert`
 * input the post step sees too; main already reported a bad one). Never throws: the caller says
 * what a failure means for its step.
 */
export async function revokePipelineToken(url: string, token: string, caCertInput: string): Promise<Revocation> {
  let caCert: string | undefined;
  try {
    caCert = parseCaCert(caCertInput);
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
    return { state: 'revoked' };
  } catch (err) {
    if (isAppError(err) && (err.code === 'token_revoked' || err.code === 'token_expired')) return { state: 'already-inactive' };
    return { state: 'failed', code: isAppError(err) ? err.code : 'error', message: errorMessage(err) };
  } finally {
    await client.close();
  }
}

/** The line for a failed revocation: what stays valid until when, and the command that ends it. */
export function revocationFailure(tokenId: string | undefined, expiresAt: string | undefined, message: string): string {
  return `Could not revoke pipeline token ${tokenId ?? ''}: ${message} It stays valid until ${expiresAt ?? 'it expires'}; revoke it with \`ass tokens revoke ${tokenId ?? '<id>'}\`.`;
}

/** The id comes from the vault's answer: one line, so it never starts a workflow command of its own. */
export function logRevocation(tokenId: string | undefined, r: Revocation): void {
  if (r.state === 'revoked') core.info(oneLine(`Pipeline token ${tokenId ?? ''} revoked.`));
  else if (r.state === 'already-inactive') core.info(oneLine(`Pipeline token ${tokenId ?? ''} was already inactive.`));
}

/** The step-state names under which a main step leaves its pipeline token for the post step. */
export const TOKEN_STATE = {
  url: 'url',
  token: 'token',
  tokenId: 'token-id',
  expiresAt: 'expires-at',
  /** `true` once main tried to revoke the token itself (and reported how that went). */
  revokeTried: 'revoke-tried',
} as const;

/**
 * A post step's revocation of the pipeline token main left in the step state (DELETE
 * /v1/tokens/self), unless main already tried. A failed revocation fails the step: a live token
 * someone believes revoked is worse than a red post step.
 */
export async function revokeLeftoverToken(caCertInput: string): Promise<void> {
  const token = core.getState(TOKEN_STATE.token);
  if (!token) {
    core.info('No pipeline token was issued by the main step; nothing to revoke.');
    return;
  }
  core.setSecret(token);
  const tokenId = core.getState(TOKEN_STATE.tokenId);
  if (core.getState(TOKEN_STATE.revokeTried) === 'true') return;
  const url = core.getState(TOKEN_STATE.url);
  const expiresAt = core.getState(TOKEN_STATE.expiresAt) || 'it expires';
  if (!url) {
    core.setFailed(revocationFailure(tokenId, expiresAt, 'the vault URL is missing from the step state.'));
    return;
  }
  const r = await revokePipelineToken(url, token, caCertInput);
  logRevocation(tokenId, r);
  if (r.state === 'failed') core.setFailed(revocationFailure(tokenId, expiresAt, r.message));
}
