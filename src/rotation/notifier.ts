/**
 * Tells the services that hold a rotated secret: a signed webhook per policy (HMAC-SHA256 under a
 * key kept in the vault, the way GitHub signs its webhooks), and a `repository_dispatch` event so a
 * deploy workflow can restart them. Neither carries the value.
 */
import type { RotationPolicy } from '../client/client.js';
import { sendRepositoryDispatch } from './dispatch.js';
import { notifyRotation } from './notify.js';
import type { RotateContext, RotationResult } from './types.js';

export interface NotifierDeps {
  /** For repository_dispatch: a token that may dispatch to the repository. */
  githubToken?: string;
  githubApiUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export function makeNotifier(deps: NotifierDeps = {}) {
  return async (policy: RotationPolicy, result: RotationResult, ctx: RotateContext): Promise<void> => {
    const notify = policy.notify;
    if (!notify || result.status !== 'rotated' || result.toVersion === null || result.rotationId === null) return;
    const notice = {
      path: result.path,
      version: result.toVersion,
      previousVersion: result.fromVersion,
      graceEnds: result.graceEnds,
      rotationId: result.rotationId,
      rotatedAt: new Date().toISOString(),
    };
    if (notify.webhook && notify.webhookSecret) {
      const secret = await ctx.readSecret(notify.webhookSecret);
      await notifyRotation(notice, { url: notify.webhook, secret, logger: ctx.logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    }
    if (notify.dispatch) {
      const token = deps.githubToken ?? ctx.env.ASS_GITHUB_TOKEN ?? ctx.env.GITHUB_TOKEN;
      if (!token)
        throw new Error(
          `no GitHub token to send repository_dispatch to ${notify.dispatch.repository} (give github-token or ASS_GITHUB_TOKEN)`,
        );
      await sendRepositoryDispatch(
        { repository: notify.dispatch.repository, eventType: notify.dispatch.eventType, clientPayload: { ...notice } },
        {
          token,
          ...(deps.githubApiUrl ? { apiUrl: deps.githubApiUrl } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          logger: ctx.logger,
        },
      );
    }
  };
}
