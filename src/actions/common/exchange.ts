/** The two-factor exchange every action that works for a pipeline starts with. */
import * as core from '@actions/core';
import type { IssuedToken } from '../../client/client.js';
import { createClient } from '../../client/client.js';
import { AppError, errorMessage, isAppError } from '../../core/errors.js';
import { isRetryableError, withRetry } from '../../core/retry.js';
import { oneLine } from '../../core/text.js';
import { type OidcRequestEnv, requestOidcToken } from '../fetch/oidc-token.js';
import { StageError, stage } from './stage.js';

export interface ExchangeRequest {
  url: string;
  agentKey: string;
  /** Audience of the OIDC token: the vault's public URL. */
  audience: string;
  scopes: string[];
  ttlSeconds: number;
  caCert?: string | undefined;
  /** How long the OIDC request and the exchange may take in all, retries included (default 60 s). */
  timeoutMs?: number;
}

/**
 * Exchanges the agent key plus a fresh OIDC token of this job for a pipeline token (stages
 * `oidc-token`, then `exchange`), retrying what may pass on a second try. Each attempt asks the
 * runner for a new OIDC token: the vault accepts each `jti` once. The pipeline token is masked the
 * moment it exists in this process. A vault that refuses because its audit log is broken
 * (`audit_unavailable`) is not asked again: it will not change its mind within the step.
 *
 * @throws StageError tagged `oidc-token` or `exchange`
 */
export async function exchangeForPipelineToken(req: ExchangeRequest, env: OidcRequestEnv): Promise<IssuedToken> {
  const deadline = Date.now() + (req.timeoutMs ?? 60_000);
  const retry = { attempts: 4, baseMs: 250, maxMs: 3000, deadline };
  const onRetry = (what: string) => (attempt: number, delay: number, err: unknown) =>
    core.info(oneLine(`${what}: attempt ${attempt} failed (${errorMessage(err).split('\n')[0]}); retrying in ${delay} ms`));
  const issued = await withRetry(
    async () => {
      const jwt = await stage('oidc-token', () =>
        requestOidcToken(env, req.audience, { ...retry, onRetry: onRetry('OIDC token request') }),
      );
      core.setSecret(jwt);
      return stage('exchange', async () => {
        const client = createClient({
          url: req.url,
          urlSource: 'the `url` input',
          credential: req.agentKey,
          timeoutMs: Math.max(1, deadline - Date.now()),
          ...(req.caCert ? { caCert: req.caCert } : {}),
        });
        try {
          const res = await client.exchangeToken({ oidcToken: jwt, scopes: req.scopes, ttl: req.ttlSeconds });
          if (typeof res.token === 'string' && res.token) core.setSecret(res.token);
          return res;
        } finally {
          await client.close();
        }
      });
    },
    { ...retry, onRetry: onRetry('Token exchange') },
    (err: unknown) =>
      err instanceof StageError &&
      err.stage === 'exchange' &&
      !(isAppError(err.original) && err.original.code === 'audit_unavailable') &&
      isRetryableError(err.original),
  );
  if (typeof issued.token !== 'string' || !issued.token) {
    throw new StageError('exchange', new AppError('internal', 'The vault answered the exchange without a token.'));
  }
  return issued;
}
