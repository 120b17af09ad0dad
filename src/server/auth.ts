import { addressAllowed, parseCidr } from '../core/cidr.js';
import { parseCredential } from '../core/credentials.js';
import { AppError } from '../core/errors.js';
import type { Store } from '../store/types.js';
import type { Principal } from './context.js';
import type { VaultKeys } from './keys.js';
import { credentialSubject, type GuessOutcome, type Limits, lockedOut } from './limits.js';

export interface AuthDeps {
  store: Pick<Store, 'getUser' | 'getAgentByKeyId' | 'getTokenWithAgent'>;
  keys: Pick<VaultKeys, 'credentialMatches'>;
  limits: Pick<Limits, 'guess'>;
  now: () => number;
}

const BAD_CREDENTIAL = 'The credential is not valid: it is unknown, revoked, or mistyped. Check ASS_TOKEN / ASS_AGENT_KEY.';

/**
 * Turns an Authorization header into a principal, or throws a 401/403/429 AppError. A credential
 * that fails like a guess (an id that does not exist, a wrong secret for one that does) counts
 * toward the lockouts of its address and its id; `noted` hears what that led to. A missing or
 * malformed header, or a genuine credential that is revoked, expired or used from outside its
 * allowlist, is a mistake to explain, not a guess, and counts toward nothing.
 */
export async function authenticate(
  deps: AuthDeps,
  header: string | undefined,
  ip: string,
  noted: (outcome: GuessOutcome) => void = () => {},
): Promise<Principal> {
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
  /** A failed guess: counted, and refused as a lockout once one is in force. */
  const failed = async (known?: string): Promise<never> => {
    const outcome = await deps.limits.guess(ip, known);
    noted(outcome);
    if (outcome.retryAfter !== undefined) throw lockedOut(outcome.retryAfter);
    throw new AppError('unauthenticated', BAD_CREDENTIAL);
  };
  const now = deps.now();
  switch (parsed.kind) {
    case 'user': {
      const user = await deps.store.getUser(parsed.id);
      if (!user) return failed();
      if (!deps.keys.credentialMatches(parsed.secret, user.tokenHash)) return failed(credentialSubject('user', user.id));
      if (user.revokedAt !== null)
        throw new AppError('unauthenticated', `The user "${user.name}" was revoked; ask an admin for a new user token.`);
      return { kind: 'user', id: user.id, name: user.name, role: user.role };
    }
    case 'agent': {
      // A key replaced with an overlap opens its agent until the overlap ends.
      const agent = await deps.store.getAgentByKeyId(parsed.id, now);
      if (!agent) return failed();
      if (!deps.keys.credentialMatches(parsed.secret, agent.keyHash)) return failed(credentialSubject('agent', agent.keyId));
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
      if (!found) return failed();
      // Counted against the token as stored: a scoped and a pipeline token never share an id, so
      // sending one id under both prefixes does not double the guesses.
      if (!deps.keys.credentialMatches(parsed.secret, found.token.hash) || found.token.kind !== parsed.kind) {
        return failed(credentialSubject(found.token.kind, found.token.id));
      }
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
