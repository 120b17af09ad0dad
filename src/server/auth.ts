import { addressAllowed, parseCidr } from '../core/cidr.js';
import { parseCredential } from '../core/credentials.js';
import { AppError } from '../core/errors.js';
import type { Store } from '../store/types.js';
import type { Principal } from './context.js';
import type { VaultKeys } from './keys.js';

export interface LockoutPolicy {
  /** Failed authentications from one address within `windowMs` before it is locked out. */
  ipFailures: number;
  /** Failed authentications against one credential id before that id is locked out. */
  credentialFailures: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  ipFailures: 20,
  credentialFailures: 5,
  windowMs: 60_000,
  lockoutMs: 15 * 60_000,
};

interface Counter {
  failures: number[];
  lockedUntil: number;
  /** Requests refused during the current lockout. */
  refusals: number;
}

/**
 * Counts authentication failures per client address and per credential id, and locks either out
 * for a while once it crosses its limit. Held in process memory: a multi-replica deployment
 * needs the shared store for it (noted in the README).
 */
export class AuthGuard {
  private readonly byKey = new Map<string, Counter>();
  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number,
  ) {}

  /** The lockout in force for `key`, if any; `first` is true for the first request it refuses. */
  state(key: string): { retryAfter: number; first: boolean } | undefined {
    const c = this.byKey.get(key);
    const now = this.now();
    if (!c || c.lockedUntil <= now) return undefined;
    c.refusals += 1;
    return { retryAfter: Math.ceil((c.lockedUntil - now) / 1000), first: c.refusals === 1 };
  }

  check(key: string): void {
    const s = this.state(key);
    if (s) throw lockedOut(s.retryAfter, !s.first);
  }

  fail(key: string, limit: number): void {
    const now = this.now();
    const c = this.byKey.get(key) ?? { failures: [], lockedUntil: 0, refusals: 0 };
    c.failures = c.failures.filter((t) => t > now - this.policy.windowMs);
    c.failures.push(now);
    if (c.failures.length >= limit) {
      c.lockedUntil = now + this.policy.lockoutMs;
      c.failures = [];
      c.refusals = 0;
    }
    this.byKey.set(key, c);
    if (this.byKey.size > 100_000) this.prune(now);
  }

  private prune(now: number) {
    for (const [k, c] of this.byKey) {
      if (c.lockedUntil <= now && c.failures.every((t) => t <= now - this.policy.windowMs)) this.byKey.delete(k);
    }
  }
}

/** The lockout counter that rejected OIDC exchanges feed, per agent key id. */
export function exchangeLockoutKey(keyId: string): string {
  return `exchange:${keyId}`;
}

/** `repeated`: not the first request this lockout refused (its refusal was recorded already). */
export function lockedOut(retryAfter: number, repeated = false): AppError {
  return new AppError(
    'locked_out',
    `Too many failed requests from this address or for this credential; try again in ${retryAfter} s. If this is unexpected, someone may be guessing credentials: check \`ass audit --status denied\`.`,
    { retryAfter, ...(repeated ? { details: { repeated: true } } : {}) },
  );
}

export interface AuthDeps {
  store: Pick<Store, 'getUser' | 'getAgentByKeyId' | 'getTokenWithAgent'>;
  keys: Pick<VaultKeys, 'credentialMatches'>;
  guard: AuthGuard;
  lockout: LockoutPolicy;
  now: () => number;
}

const BAD_CREDENTIAL = 'The credential is not valid: it is unknown, revoked, or mistyped. Check ASS_TOKEN / ASS_AGENT_KEY.';

/** Turns an Authorization header into a principal, or throws a 401/403/429 AppError. */
export async function authenticate(deps: AuthDeps, header: string | undefined, ip: string): Promise<Principal> {
  if (!header) {
    throw new AppError(
      'unauthenticated',
      'No credential was sent: set the Authorization header to "Bearer <token>" (the CLI reads ASS_TOKEN or ASS_AGENT_KEY).',
    );
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const parsed = m ? parseCredential(m[1] as string) : undefined;
  if (!m || !parsed) {
    throw new AppError(
      'unauthenticated',
      'The Authorization header does not hold an Agent Secret Store credential: expected "Bearer ass_..." (a user token, agent key, or scoped token).',
    );
  }
  // Wrong secrets for a known id count per (address, id): ids are public (listings, logs, job
  // summaries), so a per-id counter alone would let anyone lock a real credential out.
  const idKey = `id:${ip}:${parsed.kind}:${parsed.id}`;
  deps.guard.check(idKey);
  // Rejected OIDC tokens count against the agent key itself: only its holder can make them.
  if (parsed.kind === 'agent') deps.guard.check(exchangeLockoutKey(parsed.id));
  const failed = (): never => {
    deps.guard.fail(idKey, deps.lockout.credentialFailures);
    throw new AppError('unauthenticated', BAD_CREDENTIAL);
  };
  const now = deps.now();
  switch (parsed.kind) {
    case 'user': {
      const user = await deps.store.getUser(parsed.id);
      if (!user || !deps.keys.credentialMatches(parsed.secret, user.tokenHash) || user.revokedAt !== null) return failed();
      return { kind: 'user', id: user.id, name: user.name, role: user.role };
    }
    case 'agent': {
      const agent = await deps.store.getAgentByKeyId(parsed.id);
      if (!agent || !deps.keys.credentialMatches(parsed.secret, agent.keyHash)) return failed();
      if (agent.revokedAt !== null) {
        throw new AppError(
          'unauthenticated',
          `The agent "${agent.name}" was revoked; an admin must create a new agent (ass agents create).`,
        );
      }
      return { kind: 'agent', id: agent.id, name: agent.name, agent };
    }
    case 'token':
    case 'pipeline': {
      const found = await deps.store.getTokenWithAgent(parsed.id);
      if (!found || !deps.keys.credentialMatches(parsed.secret, found.token.hash) || found.token.kind !== parsed.kind) return failed();
      const { token, agent } = found;
      if (agent.revokedAt !== null) {
        throw new AppError('token_revoked', 'This token was revoked together with its agent.');
      }
      if (token.revokedAt !== null) throw new AppError('token_revoked', `Token ${token.id} was revoked; issue a new one.`);
      if (token.expiresAt <= now) {
        throw new AppError('token_expired', `Token ${token.id} expired at ${new Date(token.expiresAt).toISOString()}; issue a new one.`);
      }
      if (
        token.allowedIps.length > 0 &&
        !addressAllowed(
          ip,
          token.allowedIps.map((c) => parseCidr(c)),
        )
      ) {
        throw new AppError('ip_not_allowed', `Token ${token.id} may not be used from ${ip}: the address is outside its IP allowlist.`);
      }
      return { kind: 'token', id: token.id, token, agent };
    }
  }
}
