/**
 * Row MACs prove a row was written by the vault, not that it is the latest one: someone who can
 * write the database could put back a copy of a row taken before it changed (a user's row from
 * before their revocation, a secret's row from before its rotation). The audit log says what
 * changed last, and it cannot be rolled back (its chain, its authenticated head, the high-water
 * mark kept outside the store, signed checkpoints). This index, rebuilt from the log at start-up
 * and kept current from every record after, refuses a row older than what the log says.
 *
 * It reads the reasons the vault itself writes into granted records (the handlers in routes/
 * format them; the patterns below are the contract between the two).
 */
import type { AuditRecord } from '../core/audit-chain.js';
import { AppError } from '../core/errors.js';
import type {
  AgentRow,
  ApprovalPolicyRow,
  ApprovalRow,
  RowFreshness,
  SecretRow,
  SecretVersionRow,
  TokenRow,
  UserRow,
} from '../store/types.js';

/** Reasons of granted records that change authority or a secret's current state. */
export const REASON = {
  userRevoked: (name: string, id: string, role: string) => `user ${name} (${id}, ${role}) revoked`,
  agentRevoked: (name: string, id: string, tokens: number) => `agent ${name} (${id}) revoked with ${tokens} live token(s)`,
  tokenRevoked: (id: string, self: boolean) => `token ${id} revoked${self ? ' itself' : ''}`,
  secretWritten: (version: number) => `version ${version} written`,
  secretDeleted: (version: number) => `deleted at version ${version}`,
  rotationFinished: (version: number, rotationId: string, rotator: string, previous: number, previousUntil: string) =>
    `version ${version} rotated in by rotation ${rotationId} (${rotator}); version ${previous} is previous until ${previousUntil}`,
  policySet: (outcome: string, revision: number) => `rotation policy ${outcome} (revision ${revision})`,
  agentKeyRotated: (name: string, id: string, keyId: string, overlap: string) =>
    `agent ${name} (${id}) key rotated to ${keyId}; ${overlap}`,
  userApprover: (name: string, id: string, approver: boolean) => `user ${name} (${id}) approver ${approver ? 'on' : 'off'}`,
  approvalPolicySet: (revision: number) => `approval policy set (revision ${revision})`,
  /** A request's final states: approved, denied, collected, expired (with what follows, free text). */
  approvalEnded: (id: string, status: 'approved' | 'denied' | 'collected' | 'expired', rest = '') => `approval ${id} ${status}${rest}`,
};

const PATTERN = {
  'user.revoke': /^user \S+ \(([0-9A-Za-z]{16}), /,
  'agent.revoke': /^agent \S+ \(([0-9A-Za-z]{16})\) revoked/,
  'token.revoke': /^token ([0-9A-Za-z]{16}) revoked/,
  'secret.write': /^version (\d+) written$/,
  'secret.delete': /^deleted at version (\d+)$/,
  'rotation.finish': /^version (\d+) rotated in by rotation [A-Za-z0-9_-]+ \([a-z-]+\); version (\d+) is previous until (\S+)$/,
  'rotation.retire': /^version (\d+) retired/,
  'rotation.policy_set': /^rotation policy (?:created|updated) \(revision (\d+)\)/,
  'agent.rotate_key': /^agent \S+ \(([0-9A-Za-z]{16})\) key rotated to ([0-9A-Za-z]{16});/,
  'user.update': /^user \S+ \(([0-9A-Za-z]{16})\) approver (on|off)$/,
  'approval.policy_set': /^approval policy set \(revision (\d+)\)$/,
  approval: /^approval ([0-9A-Za-z]{16}) (approved|denied|collected|expired)\b/,
} as const;

/** How long the index remembers how an approval ended: past the longest timeout, its row is expired anyway. */
const APPROVAL_MEMORY_MS = 8 * 86_400_000;

function stale(what: string): AppError {
  return new AppError(
    'integrity_failed',
    `The stored record of ${what} failed its integrity check: it is older than the audit log says (an earlier copy was put back outside the vault), so it is not used. Restore the database from a backup, and check the audit log (ass audit verify).`,
  );
}

export class FreshnessIndex implements RowFreshness {
  /** `user:ID`, `agent:ID`, `token:ID` → when the log revoked it. */
  private readonly revoked = new Map<string, number>();
  /**
   * A secret's latest version, whether it is deleted, and the highest version a delete covered
   * (those versions stay deleted after a later write), as the log last said.
   */
  private readonly secrets = new Map<string, { seq: number; version: number; deleted: boolean; deletedThrough: number }>();
  /**
   * What the last rotation of each secret replaced and until when it is readable: read from the log,
   * never from the store, so a storage writer cannot bring a rotated-out value back.
   */
  private readonly rotations = new Map<string, { seq: number; previousVersion: number; previousUntil: number; retired: boolean }>();
  /** Each rotation policy's latest revision, or when it was deleted (an earlier row must not come back). */
  private readonly policies = new Map<string, { seq: number; revision: number; deletedAt: number | null }>();
  /** An agent's current key id, as the log last said (a row with an earlier key must not come back). */
  private readonly agentKeys = new Map<string, { seq: number; keyId: string }>();
  /** A user's approver flag, as the log last changed it. */
  private readonly approverFlags = new Map<string, { seq: number; approver: boolean }>();
  /** How each approval request last changed state (a row from before must not come back). */
  private readonly approvals = new Map<string, { seq: number; status: string; time: number }>();
  /** The approval policy's latest revision (its row must not go back to an earlier one, or go). */
  private approvalPolicy: { seq: number; revision: number } | undefined;
  /** How many records that may change the index it has taken in (RowFreshness.generation). */
  private taken = 0;

  get generation(): number {
    return this.taken;
  }

  /** @param tokenLifetimeMs the longest a token lives: a revoked token's entry can go after that. */
  constructor(private readonly tokenLifetimeMs: number) {}

  /**
   * Takes one record into account. A record may come twice (the vault notes what it commits, and
   * its verification passes read the same records again): one older than what the index holds for
   * its secret changes nothing.
   */
  apply(r: Pick<AuditRecord, 'seq' | 'event' | 'status' | 'reason' | 'path' | 'time'>): void {
    if (r.status !== 'granted' || r.reason === null) return;
    this.taken++;
    switch (r.event) {
      case 'user.update': {
        const m = PATTERN[r.event].exec(r.reason);
        const before = m ? this.approverFlags.get(m[1] as string) : undefined;
        if (m && (!before || before.seq < r.seq)) this.approverFlags.set(m[1] as string, { seq: r.seq, approver: m[2] === 'on' });
        return;
      }
      case 'approval.policy_set': {
        const revision = Number(PATTERN[r.event].exec(r.reason)?.[1]);
        if (Number.isSafeInteger(revision) && (!this.approvalPolicy || this.approvalPolicy.seq < r.seq)) {
          this.approvalPolicy = { seq: r.seq, revision };
        }
        return;
      }
      case 'approval.approve':
      case 'approval.deny':
      case 'approval.collect':
      case 'approval.expire': {
        const m = PATTERN.approval.exec(r.reason);
        const before = m ? this.approvals.get(m[1] as string) : undefined;
        if (m && (!before || before.seq < r.seq)) this.approvals.set(m[1] as string, { seq: r.seq, status: m[2] as string, time: r.time });
        return;
      }
      case 'user.revoke':
      case 'agent.revoke':
      case 'token.revoke': {
        const id = PATTERN[r.event].exec(r.reason)?.[1];
        if (id) this.revoked.set(`${r.event.slice(0, r.event.indexOf('.'))}:${id}`, r.time);
        return;
      }
      case 'agent.rotate_key': {
        const m = PATTERN[r.event].exec(r.reason);
        if (!m) return;
        const before = this.agentKeys.get(m[1] as string);
        if (!before || before.seq < r.seq) this.agentKeys.set(m[1] as string, { seq: r.seq, keyId: m[2] as string });
        return;
      }
      case 'rotation.policy_set':
      case 'rotation.policy_delete': {
        if (!r.path) return;
        const known = this.policies.get(r.path);
        if (known && known.seq >= r.seq) return;
        if (r.event === 'rotation.policy_delete') {
          this.policies.set(r.path, { seq: r.seq, revision: known?.revision ?? 0, deletedAt: r.time });
          return;
        }
        const revision = Number(PATTERN['rotation.policy_set'].exec(r.reason)?.[1]);
        if (Number.isSafeInteger(revision)) this.policies.set(r.path, { seq: r.seq, revision, deletedAt: null });
        return;
      }
      case 'rotation.retire': {
        const version = Number(PATTERN[r.event].exec(r.reason)?.[1]);
        const known = r.path ? this.rotations.get(r.path) : undefined;
        if (known && known.previousVersion === version && known.seq < r.seq)
          this.rotations.set(r.path as string, { ...known, seq: r.seq, retired: true });
        return;
      }
      case 'rotation.finish':
      case 'secret.write':
      case 'secret.delete': {
        if (r.event === 'rotation.finish') this.noteRotation(r);
        const version = Number(PATTERN[r.event].exec(r.reason)?.[1]);
        if (!r.path || !Number.isSafeInteger(version)) return;
        const before = this.secrets.get(r.path);
        if (before && before.seq >= r.seq) return;
        const deleted = r.event === 'secret.delete';
        this.secrets.set(r.path, { seq: r.seq, version, deleted, deletedThrough: deleted ? version : (before?.deletedThrough ?? 0) });
        return;
      }
    }
  }

  /** Forgets revoked tokens that have expired anyway, and approvals long ended (the index stays bounded). */
  prune(now: number): void {
    for (const [key, at] of this.revoked) {
      if (key.startsWith('token:') && at < now - this.tokenLifetimeMs) this.revoked.delete(key);
    }
    for (const [id, a] of this.approvals) if (a.time < now - APPROVAL_MEMORY_MS) this.approvals.delete(id);
  }

  /** The approval policy's revision as the log last set it (undefined: never set, the default applies). */
  approvalPolicyRevision(): number | undefined {
    return this.approvalPolicy?.revision;
  }

  private noteRotation(r: Pick<AuditRecord, 'seq' | 'reason' | 'path'>): void {
    const m = PATTERN['rotation.finish'].exec(r.reason ?? '');
    if (!m || !r.path) return;
    const known = this.rotations.get(r.path);
    if (known && known.seq >= r.seq) return;
    this.rotations.set(r.path, { seq: r.seq, previousVersion: Number(m[2]), previousUntil: Date.parse(m[3] as string), retired: false });
  }

  /** The last rotation of `path` as the log says it: the version it replaced, until when that is readable, whether it was retired. */
  rotationOf(path: string): { previousVersion: number; previousUntil: number; retired: boolean } | undefined {
    return this.rotations.get(path);
  }

  check(table: string, row: unknown): void {
    switch (table) {
      case 'users': {
        const u = row as UserRow;
        if (u.revokedAt === null && this.revoked.has(`user:${u.id}`)) throw stale(`user ${u.name} (${u.id})`);
        const flag = this.approverFlags.get(u.id);
        if (flag && flag.approver !== u.approver) throw stale(`user ${u.name} (${u.id})`);
        return;
      }
      case 'approvals': {
        const a = row as ApprovalRow;
        const known = this.approvals.get(a.id);
        if (known && known.status !== a.status) throw stale(`approval ${a.id}`);
        return;
      }
      case 'approval_policy': {
        const p = row as ApprovalPolicyRow;
        if (this.approvalPolicy && p.revision !== this.approvalPolicy.revision) throw stale('the approval policy');
        return;
      }
      case 'agents': {
        const a = row as AgentRow;
        if (a.revokedAt === null && this.revoked.has(`agent:${a.id}`)) throw stale(`agent ${a.name} (${a.id})`);
        const key = this.agentKeys.get(a.id);
        if (key && key.keyId !== a.keyId) throw stale(`agent ${a.name} (${a.id})`);
        return;
      }
      case 'tokens': {
        const t = row as TokenRow;
        if (t.revokedAt === null && this.revoked.has(`token:${t.id}`)) throw stale(`token ${t.id}`);
        return;
      }
      case 'secrets': {
        const s = row as SecretRow;
        const known = this.secrets.get(s.path);
        if (!known) return;
        if (s.version < known.version || (s.version === known.version && known.deleted && s.deletedAt === null)) {
          throw stale(`secret ${s.path}`);
        }
        return;
      }
      case 'rotation_policies': {
        const p = row as { path: string; updatedAt: number };
        const known = this.policies.get(p.path);
        if (known && (p.updatedAt < known.revision || (known.deletedAt !== null && p.updatedAt <= known.deletedAt))) {
          throw stale(`the rotation policy for ${p.path}`);
        }
        return;
      }
      case 'secret_versions': {
        const v = row as SecretVersionRow;
        const known = this.secrets.get(v.path);
        if (known && v.deletedAt === null && v.version <= known.deletedThrough) throw stale(`version ${v.version} of ${v.path}`);
        return;
      }
    }
  }
}
