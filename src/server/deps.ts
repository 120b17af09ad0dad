import type { Logger } from '../core/logger.js';
import type { TrustPolicy } from '../core/model.js';
import type { AuditSealer, Store } from '../store/types.js';
import type { Approvals } from './approvals.js';
import type { AuditMonitor } from './audit-monitor.js';
import type { Keyring } from './crypto.js';
import type { FreshnessIndex } from './freshness.js';
import type { VaultKeys } from './keys.js';
import type { Limits } from './limits.js';
import type { OidcVerifier } from './oidc.js';

/** Settings the operator chooses at start-up. */
export interface ServerSettings {
  /** Longest TTL an agent may give a scoped token (seconds). Default 24 h. */
  maxTokenTtlSeconds: number;
  /** Longest TTL of a pipeline token from the OIDC exchange (seconds). Default 15 min, at most 6 h. */
  maxPipelineTtlSeconds: number;
  /** The audience OIDC tokens must carry: the vault's public URL by default. */
  audience: string;
  /** A name for this vault in audit checkpoints. */
  origin: string;
}

/** Everything a route handler may use; handlers take what they need from it. */
export interface ServiceDeps {
  store: Store;
  keyring: Keyring;
  now: () => number;
  logger: Logger;
  settings: ServerSettings;
  /** The vault's keys: audit head and checkpoints, credential hashes, row MACs. */
  keys: VaultKeys;
  audit: { sealer: AuditSealer };
  /** Verifies the log as the vault runs; a broken log stops the vault releasing or changing anything. */
  monitor: AuditMonitor;
  /** What the audit log says last changed (rows put back are refused; rotated-out versions stay retired). */
  freshness: Pick<FreshnessIndex, 'rotationOf'>;
  verifier: OidcVerifier;
  parseTrustPolicy: (input: unknown) => TrustPolicy;
  /** Lockouts and rate limits, their state in the store (shared by replicas). */
  limits: Limits;
  /** The approval policy, held requests and their notices. */
  approvals: Approvals;
}
