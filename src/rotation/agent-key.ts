/**
 * The `agent-key` rotator: an agent's own key, with an overlap (the old key keeps working for the
 * policy's grace period, so jobs that hold it finish), and, when the key lives in a GitHub secret
 * (the one `ASS_AGENT_KEY` a workflow stores), the new key written there through GitHub's REST API,
 * sealed to the repository's public key. This closes the loop: the one credential kept in CI is
 * itself rotated on a schedule. The secret at the policy's path keeps the key too, versioned.
 */
import { z } from 'zod';
import type { VaultClient } from '../client/client.js';
import { describeTarget, parseSecretTarget, validateSecretName, writeGitHubSecret } from './github-secrets.js';
import { parseSettingsWith } from './settings.js';
import { type RotateContext, RotationStepError, type Rotator } from './types.js';

export interface AgentKeySettings {
  agent: string;
  /** `repo:OWNER/REPO`, `env:OWNER/REPO:ENV` or `org:ORG[:visibility]`: where the key is kept for CI. */
  githubSecret?: string;
  /** The GitHub secret's name (default ASS_AGENT_KEY). */
  secretName: string;
  /** How long the old key keeps working, in seconds (default 1 h). */
  overlapSeconds: number;
}

const schema = z.strictObject({
  agent: z.string({ error: 'give the agent whose key rotates (--agent NAME).' }).min(1).max(64),
  githubSecret: z
    .string()
    .max(300)
    .optional()
    .refine(
      (s) => {
        if (s === undefined) return true;
        try {
          parseSecretTarget(s);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'write it as repo:OWNER/REPO, env:OWNER/REPO:ENVIRONMENT or org:ORG.' },
    ),
  secretName: z
    .string()
    .default('ASS_AGENT_KEY')
    .refine(
      (n) => {
        try {
          validateSecretName(n);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'a GitHub secret name is letters, digits and _, not starting with a digit or GITHUB_.' },
    ),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(3600),
});

export interface AgentKeyRotatorDeps {
  /** The vault, as the rotation runs against it (an admin, or the agent's own key). */
  client?: VaultClient;
  /** A token that may write the GitHub secret (the workflow's GITHUB_TOKEN cannot: a fine-grained token or an App). */
  githubToken?: string;
  githubApiUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export function agentKeyRotator(deps: AgentKeyRotatorDeps = {}): Rotator {
  const need = (): VaultClient => {
    if (!deps.client) throw new RotationStepError('create', 'the agent-key rotator needs the vault client of the rotation run');
    return deps.client;
  };
  return {
    name: 'agent-key',
    parseSettings: (raw) => parseSettingsWith('agent-key', schema, raw),
    async create(ctx: RotateContext) {
      const s = ctx.settings as unknown as AgentKeySettings;
      // The path lets a rotator holding only secrets:rotate on it (a pipeline token, the server's own
      // rotator) rotate the key its policy names.
      const rotated = await need().rotateAgentKey(s.agent, s.overlapSeconds, ctx.path);
      ctx.mask(rotated.agentKey);
      ctx.logger.info(
        `${ctx.path}: agent ${s.agent} has key ${rotated.keyId}; the old key ${rotated.previousKeyId} works until ${rotated.previousKeyUntil ?? 'now'}`,
      );
      return rotated.agentKey;
    },
    async test(ctx: RotateContext, value: string) {
      const s = ctx.settings as unknown as AgentKeySettings;
      const me = await need()
        .withCredential(value)
        .whoami()
        .catch((err: unknown) => {
          throw new RotationStepError('test', `the new key of ${s.agent} was refused (${err instanceof Error ? err.message : 'error'})`);
        });
      if (me.kind !== 'agent' || me.name !== s.agent)
        throw new RotationStepError('test', `the new key opens ${me.kind} ${'name' in me ? me.name : ''}, not agent ${s.agent}`);
    },
    async afterFinish(ctx: RotateContext, value: string) {
      const s = ctx.settings as unknown as AgentKeySettings;
      if (!s.githubSecret) return;
      const token = deps.githubToken ?? ctx.env.ASS_GITHUB_TOKEN;
      const target = parseSecretTarget(s.githubSecret);
      if (!token) {
        throw new RotationStepError(
          'after',
          `the new key could not be written to the GitHub secret ${s.secretName} (${describeTarget(target)}): no GitHub token`,
          'give a token with "Secrets: write" (the github-token input, or ASS_GITHUB_TOKEN); the old key works until its overlap ends',
        );
      }
      await writeGitHubSecret(
        { target, name: s.secretName, value },
        {
          token,
          ...(deps.githubApiUrl ? { apiUrl: deps.githubApiUrl } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          logger: ctx.logger,
        },
      );
      ctx.logger.info(`${ctx.path}: wrote the new key to the GitHub secret ${s.secretName} (${describeTarget(target)})`);
    },
  };
}
