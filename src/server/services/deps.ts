import type { Logger } from '../../core/logger.js';
import type { AuditSealer, Store } from '../../store/types.js';
import type { AuditKeys } from '../audit.js';
import type { Keyring } from '../crypto.js';

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

export interface ServiceDeps {
  store: Store;
  keyring: Keyring;
  now: () => number;
  logger: Logger;
  settings: ServerSettings;
  audit: { keys: AuditKeys; sealer: AuditSealer };
}

/** Size limits for stored values and free text. */
export const LIMITS = {
  valueBytes: 64 * 1024,
  description: 512,
  name: 64,
  scopes: 64,
  allowedIps: 64,
  batch: 500,
  maxUses: 1_000_000,
} as const;
