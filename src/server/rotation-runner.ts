/**
 * `ass server --rotate`: the built-in rotators that need nothing from outside the vault's host
 * (random, postgres, agent-key without its GitHub secret) run on their schedules inside the server.
 * `command` runs programs, so those policies are skipped, with a reason.
 *
 * The server runs the same engine as `ass rotate --due`, against itself over loopback with the
 * typed client, as a dedicated agent (`vault-rotator`). Before each pass it issues that agent a
 * short-lived scoped token in-process and revokes it when the pass ends, so no long-lived
 * credential exists: the agent's own key is made once and thrown away unseen, and nothing is
 * written to disk or to the log. Every step of a rotation then goes through the request pipeline
 * and is authorised and audited as that token, like any other rotator's.
 *
 * Several replicas on one PostgreSQL store may each run --rotate: the per-path lease taken by
 * `begin` lets one replica rotate a secret; another gets 409 (busy) and reports that secret as
 * failed for this pass, harmlessly, and finds it no longer due on the next.
 */
import type { Dispatcher } from 'undici';
import { createClient, type VaultClient } from '../client/client.js';
import type { AuditEntry } from '../core/audit-chain.js';
import { generateCredential, newId } from '../core/credentials.js';
import { formatDuration } from '../core/duration.js';
import { AppError, isAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { formatScopes, intersectScopes, parseScopes, parseScopesCached } from '../core/scopes.js';
import { plan, rotateAll } from '../rotation/engine.js';
import { makeNotifier } from '../rotation/notifier.js';
import { rotatorFor } from '../rotation/registry.js';
import type { RotationResult, Rotator, RotatorName } from '../rotation/types.js';
import type { AuditSealer, Store } from '../store/types.js';
import { systemEntry } from './audit.js';
import type { VaultKeys } from './keys.js';
import { newToken } from './routes/tokens.js';

/** The agent the server rotates as. */
export const ROTATOR_AGENT = 'vault-rotator';
/** What the agent is made with; an admin may create it first with narrower scopes to limit what the server rotates. */
export const ROTATOR_SCOPES = ['secrets:rotate:*', 'secrets:read:*'] as const;
const TOKEN_DESCRIPTION = 'ass server --rotate';
/** A pass's token lives this long at most. */
export const TOKEN_TTL_SECONDS = 5 * 60;

/** The rotators the server runs: random and postgres; the others are refused with the reason. */
export function serverRotatorFor(name: RotatorName, deps: { client: VaultClient }): Rotator {
  if (name === 'command') {
    throw new AppError(
      'invalid_input',
      'the command rotator runs programs, so it runs where the operator runs `ass rotate --allow-commands` (or the rotate action with allow-commands: true), never inside the vault server',
    );
  }
  // No GitHub token, no environment: the server writes nowhere outside its own host.
  return rotatorFor(name, { client: deps.client });
}

export interface RotationRunnerDeps {
  store: Pick<Store, 'getAgentByName' | 'commit' | 'changes'>;
  keys: Pick<VaultKeys, 'credentialHash'>;
  sealer: AuditSealer;
  now: () => number;
  logger: Logger;
  /** The server's own address (loopback where it can be). */
  url: string;
  /** How to reach it over TLS (trusting exactly the server's own certificate); the server closes it. */
  dispatcher?: Dispatcher;
  /** Addresses the token may be used from: the ones the server reaches itself from. */
  allowedIps: string[];
  maxTokenTtlSeconds: number;
  everyMs: number;
}

/**
 * An audit record for what the server did on its own (no request, no credential). A pass's token
 * is named in its issue and revocation: those records, which no request can write, are how the
 * anomaly checks tell the runner's reads from those of any other token of an agent with its name.
 */
function serverEntry(event: 'agent.create' | 'token.issue' | 'token.revoke', time: number, reason: string, tokenId?: string): AuditEntry {
  return systemEntry(event, time, reason, { actorName: TOKEN_DESCRIPTION, agent: ROTATOR_AGENT, tokenId: tokenId ?? null });
}

export class RotationRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RotationResult[]> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  /** Paths whose policy the server will not run, reported once per start rather than every pass. */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: RotationRunnerDeps) {}

  /** Makes sure the agent exists (creating it, audited, if not); the first pass comes one interval later. */
  async start(): Promise<void> {
    await this.agent();
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runPass().finally(() => this.schedule());
    }, this.deps.everyMs);
    this.timer.unref();
  }

  /** The rotator agent, created on first use; a revoked one or one bound to OIDC stops the server's rotations. */
  private async agent() {
    const { store, now, logger } = this.deps;
    let agent = await store.getAgentByName(ROTATOR_AGENT);
    if (!agent) {
      const time = now();
      // The key is never shown or kept: the agent only ever gets tokens from this process.
      const key = generateCredential('agent');
      const row = {
        id: newId(),
        name: ROTATOR_AGENT,
        scopes: [...ROTATOR_SCOPES],
        description: 'rotates secrets inside the vault server (ass server --rotate); its key was never shown',
        trustPolicy: null,
        keyId: key.id,
        keyHash: this.deps.keys.credentialHash(key.secret),
        createdAt: time,
        revokedAt: null,
      };
      // Another replica may create it at the same moment: then its row is the one used.
      await store.commit(
        store.changes.createAgent(row),
        (r) =>
          r === 'created'
            ? [
                serverEntry(
                  'agent.create',
                  time,
                  `agent ${ROTATOR_AGENT} created by ass server --rotate with scopes ${row.scopes.join(' ')}`,
                ),
              ]
            : [],
        this.deps.sealer,
      );
      agent = await store.getAgentByName(ROTATOR_AGENT);
      if (agent?.id === row.id) logger.info(`created the agent ${ROTATOR_AGENT} for ass server --rotate`);
    }
    if (!agent) throw new AppError('internal', `The agent ${ROTATOR_AGENT} could not be created.`);
    if (agent.revokedAt !== null || agent.trustPolicy) {
      throw new AppError(
        'conflict',
        `The agent ${ROTATOR_AGENT} is ${agent.revokedAt !== null ? 'revoked' : 'bound to an OIDC trust policy'}, so ass server --rotate cannot rotate as it: run the server without --rotate and rotate with ass rotate --due instead.`,
      );
    }
    return agent;
  }

  /** A token for one pass: the agent's rotate and read scopes, within what the agent holds, for 5 minutes at most. */
  private async issueToken(): Promise<{ secret: string; id: string }> {
    const { store, now } = this.deps;
    const agent = await this.agent();
    const scopes = formatScopes(intersectScopes(parseScopes([...ROTATOR_SCOPES]), parseScopesCached(agent.scopes)));
    if (scopes.length === 0) {
      throw new AppError('denied', `The agent ${ROTATOR_AGENT} holds no rotate or read scope (${agent.scopes.join(', ')}).`);
    }
    const ttl = Math.min(TOKEN_TTL_SECONDS, this.deps.maxTokenTtlSeconds);
    const time = now();
    const { secret, row } = newToken(this.deps.keys, {
      kind: 'token',
      agent,
      scopes,
      now: time,
      ttlSeconds: ttl,
      maxUses: null,
      allowedIps: this.deps.allowedIps,
      description: TOKEN_DESCRIPTION,
      claims: null,
    });
    await store.commit(
      store.changes.createToken(row),
      () => [
        serverEntry(
          'token.issue',
          time,
          `token ${row.id} issued for a rotation pass, scopes ${scopes.join(' ')}, ttl ${formatDuration(ttl)}`,
          row.id,
        ),
      ],
      this.deps.sealer,
    );
    return { secret, id: row.id };
  }

  private async revokeToken(id: string): Promise<void> {
    const { store, now } = this.deps;
    const time = now();
    await store.commit(
      store.changes.revokeToken(id, time),
      () => [serverEntry('token.revoke', time, `token ${id} revoked at the end of its rotation pass`, id)],
      this.deps.sealer,
    );
  }

  /**
   * One pass: every due rotation the agent may do, one at a time. A pass already running is joined,
   * not doubled. A pass that fails is logged and tried again at the next interval.
   */
  runPass(): Promise<RotationResult[]> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve([]);
    const pass = this.pass()
      .catch((err: unknown) => {
        this.deps.logger.error(
          `rotation pass failed: ${isAppError(err) ? err.message : err instanceof Error ? err.name : 'unknown error'}; trying again in ${formatDuration(this.deps.everyMs / 1000)}`,
        );
        return [] as RotationResult[];
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = pass;
    return pass;
  }

  private async pass(): Promise<RotationResult[]> {
    const { logger } = this.deps;
    const token = await this.issueToken();
    const client = createClient({
      url: this.deps.url,
      credential: token.secret,
      urlSource: 'the vault server itself',
      userAgent: 'ass-server-rotate',
      ...(this.deps.dispatcher ? { dispatcher: this.deps.dispatcher } : {}),
    });
    try {
      const { items } = await plan(client, { due: true });
      const runnable: typeof items = [];
      const skipped: RotationResult[] = [];
      for (const item of items) {
        try {
          serverRotatorFor(item.policy.rotator, { client }).parseSettings(item.policy.settings);
          runnable.push(item);
        } catch (err) {
          const reason = isAppError(err) ? err.message : 'its rotator cannot run here';
          skipped.push({
            path: item.status.path,
            rotator: item.status.rotator,
            status: 'skipped',
            fromVersion: item.status.version,
            toVersion: null,
            test: 'none',
            rotationId: null,
            nextDue: item.status.nextDue,
            graceEnds: null,
            reason,
          });
          const key = `${item.status.path}\n${item.policy.rotator}`;
          if (!this.reported.has(key)) {
            this.reported.add(key);
            logger.warning(`${item.status.path}: skipped by ass server --rotate (${item.policy.rotator} rotator): ${reason}`);
          }
        }
      }
      const results = await rotateAll(
        {
          client,
          rotatorFor: (name) => serverRotatorFor(name, { client }),
          logger,
          // The server prints no value: every line the engine logs names paths and versions only.
          mask: () => {},
          // No environment: nothing of the server's own (a GitHub token, say) reaches a rotator.
          env: {},
          notify: makeNotifier(),
          signal: this.abort.signal,
        },
        runnable,
      );
      for (const r of results) {
        if (r.status === 'failed') logger.error(`${r.path}: not rotated: ${r.reason ?? 'failed'}${r.fix ? ` (${r.fix})` : ''}`);
        else if (r.status === 'skipped') logger.info(`${r.path}: skipped: ${r.reason ?? ''}`);
      }
      return [...results, ...skipped];
    } finally {
      await client.close();
      await this.revokeToken(token.id).catch((err: unknown) => {
        logger.warning(
          `could not revoke rotation token ${token.id} (${err instanceof Error ? err.message : 'error'}); it expires within ${formatDuration(TOKEN_TTL_SECONDS)}`,
        );
      });
    }
  }

  /** No new pass; the running one finishes the secret in hand (the rest wait for the next start), and is awaited. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }
}
