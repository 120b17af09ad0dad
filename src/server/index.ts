import { randomBytes, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import type { AuditEntry } from '../core/audit-chain.js';
import { parseCidr } from '../core/cidr.js';
import { generateCredential } from '../core/credentials.js';
import { AppError } from '../core/errors.js';
import { checkLockoutPolicy, DEFAULT_LOCKOUT, DEFAULT_RATE_LIMITS, type LockoutPolicy, type RateLimits } from '../core/limits.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { isLoopbackHost } from '../core/net.js';
import type { RotationResult } from '../rotation/types.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { Approvals } from './approvals.js';
import { checkpoint, checkpointPublicKey, makeSealer, systemEntry } from './audit.js';
import { AuditMonitor } from './audit-monitor.js';
import { openCheckpointSink } from './checkpoint-sink.js';
import { Keyring, newMasterKey, parseMasterKey } from './crypto.js';
import type { ServerSettings, ServiceDeps } from './deps.js';
import { FreshnessIndex } from './freshness.js';
import { HighWater } from './high-water.js';
import { VaultKeys } from './keys.js';
import { Limits } from './limits.js';
import { createOidcVerifier, parseTrustPolicy } from './oidc.js';
import { createPipeline } from './pipeline.js';
import { RotationRunner } from './rotation-runner.js';
import { handlers } from './routes/index.js';

export const DB_FILE = 'vault.db';
export const KEY_FILE = 'master.key';
export const HIGH_WATER_FILE = 'audit-high-water.json';

export interface StoreOptions {
  /**
   * A PostgreSQL connection string: the store lives there instead of DIR/vault.db, so several
   * vault replicas can share it. The data directory then only holds the master key file (or
   * ASS_MASTER_KEY supplies the key and no directory is needed).
   */
  databaseUrl?: string;
  /** PostgreSQL schema (default `public`). */
  databaseSchema?: string;
}

export interface StartOptions extends StoreOptions {
  /** The data directory made by `ass init`. Required unless `dev`, or `databaseUrl` with ASS_MASTER_KEY. */
  dataDir?: string;
  /** A throwaway vault in a temporary directory, initialised on the spot. */
  dev?: boolean;
  /** host:port to listen on (default 127.0.0.1:8200; port 0 picks a free one). */
  listen?: string;
  /** The URL clients use; also the default OIDC audience. Default http:// + the listen address. */
  publicUrl?: string;
  /** The dashboard's address, for the links in approval notices. */
  dashboardUrl?: string;
  /** How often requests past their timeout are marked expired (seconds, default 30). */
  approvalSweepSeconds?: number;
  /** Peers (CIDRs) whose X-Forwarded-For header is believed. */
  trustedProxies?: string[];
  maxTokenTtlSeconds?: number;
  maxPipelineTtlSeconds?: number;
  /** Environment to read ASS_MASTER_KEY / ASS_MASTER_KEY_PREVIOUS from (default process.env). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  now?: () => number;
  /** Lockout thresholds (see src/core/limits.ts); unset fields keep their defaults. */
  lockout?: Partial<LockoutPolicy>;
  /** Per-credential rate limits, requests per minute (0: off). */
  rateLimits?: Partial<RateLimits>;
  /** fsync every commit (slower; survives power loss). */
  durable?: boolean;
  /** Serve HTTPS with this certificate chain and private key (PEM files). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /**
   * Where signed audit checkpoints go, outside this host: a file (one JSON line each; read back at
   * start-up, and a log behind its newest checkpoint is refused) or an https:// URL (POSTed).
   */
  checkpointSink?: string;
  /** How often a checkpoint goes to the sink (seconds; default 600). */
  checkpointEverySeconds?: number;
  /** How often the whole audit chain is verified again (seconds; default 3600). */
  auditSweepEverySeconds?: number;
  /** How often new audit records are verified (ms; default 2000). */
  auditFollowEveryMs?: number;
  /**
   * Run the built-in rotators that need nothing outside this host (random, postgres) on their
   * schedules, as the agent `vault-rotator` (rotation-runner.ts).
   */
  rotate?: boolean;
  /** How often the server looks for due rotations (seconds; default 60). */
  rotateEverySeconds?: number;
}

export interface RunningServer {
  url: string;
  adminToken?: string;
  dataDir: string;
  store: Store;
  server: Server;
  /**
   * With `rotate`: runs a rotation pass now (or joins the one running) and returns its results.
   * For tests, which move a fake clock instead of waiting for the timer.
   */
  runRotationPass?(): Promise<RotationResult[]>;
  /** Marks approval requests past their timeout expired now (the server also does every 30 s); returns how many. */
  sweepApprovals(): Promise<number>;
  close(): Promise<void>;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function loadKeyring(dataDir: string, env: NodeJS.ProcessEnv): Promise<Keyring> {
  const previous = (env.ASS_MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s, i) => parseMasterKey(s, `ASS_MASTER_KEY_PREVIOUS entry ${i + 1}`));
  if (env.ASS_MASTER_KEY) return new Keyring(parseMasterKey(env.ASS_MASTER_KEY, 'ASS_MASTER_KEY'), previous);
  const file = path.join(dataDir, KEY_FILE);
  if (!(await exists(file))) {
    throw new AppError(
      'invalid_input',
      `No master key: set ASS_MASTER_KEY, or keep the ${KEY_FILE} file that ass init wrote in ${dataDir}.`,
    );
  }
  return new Keyring(parseMasterKey(await readFile(file, 'utf8'), file), previous);
}

/**
 * Creates a data directory: the store, a master key file (0600) unless ASS_MASTER_KEY is set, and
 * the first admin user, whose token is returned once and never stored.
 */
export async function initDataDir(
  dir: string,
  opts: StoreOptions & { masterKey?: string; env?: NodeJS.ProcessEnv; now?: () => number } = {},
) {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(dir);
  if (!opts.databaseUrl && (await exists(path.join(dataDir, DB_FILE)))) {
    throw new AppError('conflict', `${dataDir} already holds a vault; start it with ass server --data ${dir}, or pick an empty directory.`);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyText = opts.masterKey ?? env.ASS_MASTER_KEY;
  const keyFile = path.join(dataDir, KEY_FILE);
  if (keyText) parseMasterKey(keyText, 'ASS_MASTER_KEY');
  else if (!(opts.databaseUrl && (await exists(keyFile)))) {
    await writeFile(keyFile, `${newMasterKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(keyFile, 0o600);
  }
  const keyring = await loadKeyring(dataDir, keyText ? { ...env, ASS_MASTER_KEY: keyText } : { ...env, ASS_MASTER_KEY: '' });
  const store = await openStore(dataDir, opts, { create: true });
  try {
    if (await store.getMeta('audit_key')) {
      throw new AppError(
        'conflict',
        'That database already holds a vault (it has users); start it with ass server, or point --database-url at an empty database or schema.',
      );
    }
    const keys = await createVaultKeys(store, keyring);
    const sealer = makeSealer(keys.headKey);
    const now = (opts.now ?? Date.now)();
    const cred = generateCredential('user');
    const admin = {
      id: cred.id,
      name: 'admin',
      role: 'admin' as const,
      approver: false,
      tokenHash: keys.credentialHash(cred.secret),
      createdAt: now,
      revokedAt: null,
    };
    // The log's first record: the vault was made, and by whom its first admin was created.
    await store.commit(
      store.changes.createUser(admin),
      () => [operatorEntry('vault.init', now, `vault created; first admin user ${admin.id}`)],
      sealer,
    );
    return { adminToken: cred.secret, dataDir };
  } finally {
    await store.close();
  }
}

/** An audit record for what an operator did on the vault's machine (no request, no credential). */
function operatorEntry(event: 'vault.init' | 'vault.rekey' | 'vault.migrate', time: number, reason: string): AuditEntry {
  return systemEntry(event, time, reason);
}

async function openStore(
  dataDir: string,
  opts: StoreOptions,
  how: { create?: boolean; durable?: boolean; older?: boolean },
): Promise<Store> {
  if (opts.databaseUrl) {
    try {
      return await openPostgresStore({
        url: opts.databaseUrl,
        schema: opts.databaseSchema,
        create: how.create ?? false,
        older: how.older ?? false,
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The connection string may hold a password: name the failure, never the URL.
      throw new AppError(
        'unavailable',
        `Could not open the PostgreSQL store: ${err instanceof Error ? err.message.replace(/postgres(ql)?:\/\/\S+/g, '<url>') : 'unknown error'}. Check --database-url and that the server is up.`,
      );
    }
  }
  const file = path.join(dataDir, DB_FILE);
  if (how.create) {
    // The database holds ciphertext and credential hashes: owner-only, whatever the umask or the
    // folder's mode (SQLite gives its -wal and -shm files the database file's mode).
    await writeFile(file, '', { flag: 'a', mode: 0o600 });
    await chmod(file, 0o600);
  }
  return openSqliteStore(file, { synchronous: how.durable ? 'full' : 'normal', create: how.create ?? false, older: how.older ?? false });
}

const AUDIT_KEY_AAD = 'meta/audit-key';

/**
 * The vault secret (stored as `audit_key`, its first use): made once, when the vault is created,
 * and stored sealed under the master key; rewrapped under the current master key after a rotation
 * (the previous key must be in ASS_MASTER_KEY_PREVIOUS once). Every key of src/server/keys.ts
 * derives from it. A store without it was not made by `ass init`, or was altered: the server
 * refuses to start rather than begin a fresh, unanchored log. The store gets the keys that
 * authenticate its rows before anything reads one.
 */
async function loadVaultKeys(store: Store, keyring: Keyring): Promise<VaultKeys> {
  const stored = await store.getMeta('audit_key');
  if (!stored) {
    throw new AppError(
      'internal',
      'The store has no audit key, so its audit log cannot be trusted: it was not created by ass init, or it was altered. Restore it from a backup.',
    );
  }
  const blob = Buffer.from(stored, 'base64');
  const secret = keyring.open(blob, AUDIT_KEY_AAD, 1);
  if (!keyring.sealedWithCurrent(blob)) await store.setMeta('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
  const keys = new VaultKeys(secret);
  store.useIntegrity(keys);
  return keys;
}

/** Makes the vault secret of a new vault and anchors its chain with a MAC'd genesis head. */
async function createVaultKeys(store: Store, keyring: Keyring): Promise<VaultKeys> {
  const secret = randomBytes(32);
  const stored = await store.setMetaIfAbsent('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
  const keys = new VaultKeys(keyring.open(Buffer.from(stored, 'base64'), AUDIT_KEY_AAD, 1));
  store.useIntegrity(keys);
  await store.initAuditHead(makeSealer(keys.headKey).genesisMac());
  return keys;
}

/**
 * After a master-key rotation: reseals every secret version's data key, and the audit key, under
 * the current master key (ASS_MASTER_KEY), reading them with the keys in ASS_MASTER_KEY_PREVIOUS.
 * Values themselves are not decrypted. Afterwards the previous keys are no longer needed.
 */
export async function rekeyDataDir(dir: string, opts: StoreOptions & { env?: NodeJS.ProcessEnv } = {}) {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(dir);
  if (!env.ASS_MASTER_KEY_PREVIOUS?.trim()) {
    throw new AppError(
      'invalid_input',
      'ass rekey reseals data under the current master key (ASS_MASTER_KEY, or the master.key file) and needs the old key(s) in ASS_MASTER_KEY_PREVIOUS.',
    );
  }
  if (!opts.databaseUrl && !(await exists(path.join(dataDir, DB_FILE)))) {
    throw new AppError('not_found', `${dataDir} holds no vault.`);
  }
  const keyring = await loadKeyring(dataDir, env);
  const store = await openStore(dataDir, opts, {});
  try {
    const keys = await loadVaultKeys(store, keyring);
    const { result: versions } = await store.commit(
      store.changes.rewrapSecretVersions((r) => keyring.rewrap(r.ciphertext, r.path, r.version)),
      (n) => [operatorEntry('vault.rekey', Date.now(), `${n} secret version(s) resealed under master key ${keyring.currentKeyId}`)],
      makeSealer(keys.headKey),
    );
    return { versionsRewrapped: versions, keyId: keyring.currentKeyId };
  } finally {
    await store.close();
  }
}

/**
 * Upgrades a store made by an earlier build to this build's schema, in one transaction, and
 * records it in the audit log. The operator runs it on a store they trust: rows that earlier
 * versions kept without a MAC are sealed as they are now.
 */
export async function migrateDataDir(dir: string, opts: StoreOptions & { env?: NodeJS.ProcessEnv } = {}) {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(dir);
  if (!opts.databaseUrl && !(await exists(path.join(dataDir, DB_FILE)))) {
    throw new AppError('not_found', `${dataDir} holds no vault; create one with ass init --data ${dataDir}.`);
  }
  const keyring = await loadKeyring(dataDir, env);
  const store = await openStore(dataDir, opts, { older: true });
  try {
    const keys = await loadVaultKeys(store, keyring);
    const { from, to } = await store.migrate(keys);
    if (from !== to) {
      await store.commit(
        null,
        () => [operatorEntry('vault.migrate', Date.now(), `store upgraded from schema version ${from} to ${to}`)],
        makeSealer(keys.headKey),
      );
    }
    return { from, to };
  } finally {
    await store.close();
  }
}

/**
 * What keeps the audit log honest while the vault runs (audit-monitor.ts): the high-water mark
 * outside the store, the checkpoint sink, the freshness index that row reads are checked against.
 * The whole chain is verified, and the log checked against the mark and the sink, before the vault
 * serves anything.
 */
async function startAuditMonitor(
  store: Store,
  keys: VaultKeys,
  settings: ServerSettings,
  opts: Pick<StartOptions, 'checkpointSink' | 'checkpointEverySeconds' | 'auditSweepEverySeconds' | 'auditFollowEveryMs'> & {
    markFile: string | undefined;
    logger: Logger;
    now: () => number;
  },
): Promise<{ monitor: AuditMonitor; freshness: FreshnessIndex }> {
  const { logger, now, markFile } = opts;
  const freshness = new FreshnessIndex(Math.max(settings.maxTokenTtlSeconds, settings.maxPipelineTtlSeconds) * 1000);
  store.useIntegrity(keys, freshness);
  const mark = markFile ? await HighWater.read(markFile, keys.headKey) : undefined;
  if (!markFile) {
    logger.warning(
      'no data directory: the audit high-water mark lives in this process only, so a rollback of the database while the vault is stopped goes unnoticed unless a --checkpoint-sink file says otherwise. Give --data DIR to keep it.',
    );
  }
  const highWater = new HighWater(markFile, keys.headKey, logger, now, mark);
  const sink = opts.checkpointSink ? openCheckpointSink(opts.checkpointSink) : undefined;
  const seconds = (v: number | undefined, fallback: number, flag: string) => {
    const n = v ?? fallback;
    if (!Number.isFinite(n) || n <= 0) throw new AppError('invalid_input', `${flag} must be a positive number of seconds.`);
    return n * 1000;
  };
  const monitor: AuditMonitor = new AuditMonitor(
    {
      store,
      headKey: keys.headKey,
      logger,
      now,
      freshness,
      highWater,
      sink,
      publicKey: checkpointPublicKey(keys.signing),
      checkpoint: () => checkpoint({ store, keys, settings, now, logger, monitor }),
    },
    {
      sweepEveryMs: seconds(opts.auditSweepEverySeconds, 3600, '--audit-sweep-every'),
      checkpointEveryMs: seconds(opts.checkpointEverySeconds, 600, '--checkpoint-every'),
      followEveryMs: opts.auditFollowEveryMs ?? 2000,
    },
  );
  await monitor.start(mark);
  return { monitor, freshness };
}

/**
 * How the server reaches itself for --rotate: the listen address, or loopback for a wildcard one,
 * and the addresses its rotation tokens may be used from (so a copied token is no use elsewhere).
 */
function selfAddress(host: string): { host: string; allowedIps: string[] } {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  if (isIP(h)) return { host: h, allowedIps: [h] };
  return { host: h, allowedIps: isLoopbackHost(h) ? ['127.0.0.0/8', '::1/128'] : [] };
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[3]) > 65535)
    throw new AppError('invalid_input', `--listen ${JSON.stringify(listen)} is not host:port (for example 127.0.0.1:8200).`);
  return { host: (m[1] ?? m[2]) as string, port: Number(m[3]) };
}

/** Starts the vault's HTTP API. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const rotateEverySeconds = opts.rotateEverySeconds ?? 60;
  if (opts.rotate && (!Number.isFinite(rotateEverySeconds) || rotateEverySeconds < 1)) {
    throw new AppError('invalid_input', '--rotate-every must be at least 1s.');
  }
  let dataDir = opts.dataDir;
  let adminToken: string | undefined;
  if (opts.dev) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ass-dev-'));
    ({ adminToken } = await initDataDir(dataDir, { env: { ...env, ASS_MASTER_KEY: '' }, now }));
  }
  if (!dataDir && !(opts.databaseUrl && env.ASS_MASTER_KEY)) {
    throw new AppError('invalid_input', 'Give --data DIR (a directory made by ass init), or use --dev for a throwaway vault.');
  }
  dataDir = path.resolve(dataDir ?? '.');
  if (!opts.databaseUrl && !(await exists(path.join(dataDir, DB_FILE)))) {
    throw new AppError('not_found', `${dataDir} holds no vault; create one with ass init --data ${dataDir}.`);
  }
  const keyring = await loadKeyring(dataDir, opts.dev ? { ...env, ASS_MASTER_KEY: '' } : env);
  const store = await openStore(dataDir, opts, { durable: opts.durable ?? false });
  const { host, port } = parseListen(opts.listen ?? '127.0.0.1:8200');
  const trustedProxies = (opts.trustedProxies ?? []).map((c) => parseCidr(c, 'trusted proxy'));
  const limits = new Limits(
    store,
    checkLockoutPolicy({ ...DEFAULT_LOCKOUT, ...opts.lockout }),
    { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits },
    now,
    logger,
  );

  const settings: ServerSettings = {
    maxTokenTtlSeconds: opts.maxTokenTtlSeconds ?? 24 * 3600,
    maxPipelineTtlSeconds: Math.min(opts.maxPipelineTtlSeconds ?? 15 * 60, 6 * 3600),
    audience: '',
    origin: '',
  };
  let keys: VaultKeys;
  let monitor: AuditMonitor;
  let freshness: FreshnessIndex;
  try {
    keys = await loadVaultKeys(store, keyring);
    ({ monitor, freshness } = await startAuditMonitor(store, keys, settings, {
      ...opts,
      markFile: opts.dataDir || opts.dev ? path.join(dataDir, HIGH_WATER_FILE) : undefined,
      logger,
      now,
    }));
  } catch (err) {
    await store.close();
    throw err;
  }
  const deps: ServiceDeps = {
    store,
    keyring,
    now,
    logger,
    settings,
    keys,
    audit: { sealer: makeSealer(keys.headKey, () => monitor.mark()) },
    monitor,
    freshness,
    verifier: createOidcVerifier({ now, logger }),
    parseTrustPolicy,
    limits,
    approvals: undefined as unknown as Approvals,
  };
  deps.approvals = new Approvals({
    store,
    keyring,
    now,
    logger,
    freshness,
    sealer: deps.audit.sealer,
    noteCommitted: (records) => monitor.noteCommitted(records),
    ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {}),
  });
  if (Boolean(opts.tlsCertFile) !== Boolean(opts.tlsKeyFile)) {
    throw new AppError('invalid_input', 'TLS needs both a certificate and its private key (--tls-cert FILE --tls-key FILE).');
  }
  const httpOptions = { keepAliveTimeout: 65_000, requestTimeout: 30_000, headersTimeout: 20_000 };
  let server: Server;
  let cert: Buffer | undefined;
  if (opts.tlsCertFile && opts.tlsKeyFile) {
    let key: Buffer;
    try {
      [cert, key] = await Promise.all([readFile(opts.tlsCertFile), readFile(opts.tlsKeyFile)]);
    } catch (err) {
      throw new AppError(
        'invalid_input',
        `Could not read the TLS certificate or key: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}. Check --tls-cert and --tls-key.`,
      );
    }
    try {
      server = createTlsServer({ ...httpOptions, cert, key, minVersion: 'TLSv1.2' }) as unknown as Server;
    } catch {
      throw new AppError('invalid_input', 'The TLS certificate or key is not valid PEM, or they do not belong together.');
    }
  } else {
    server = createServer(httpOptions);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : port;
  const tls = Boolean(opts.tlsCertFile);
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  if (!tls && !isLoopbackHost(host)) {
    logger.warning(
      `listening on ${host} without TLS: credentials and secrets cross the network in clear text unless a TLS proxy sits in front (use --tls-cert/--tls-key, or bind to 127.0.0.1 behind the proxy).`,
    );
  }
  const publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, '');
  settings.audience = publicUrl;
  settings.origin = publicUrl;
  server.on('request', createPipeline({ ...deps, handlers, trustedProxies }));
  logger.info(`vault listening on ${url} (data ${dataDir}, master key ${keyring.currentKeyId})`);
  let rotation: RotationRunner | undefined;
  let selfDispatcher: Agent | undefined;
  if (opts.rotate) {
    const self = selfAddress(host);
    if (cert) {
      // Over TLS the server trusts exactly its own certificate, whatever name or CA it carries.
      const pin = new X509Certificate(cert).fingerprint256;
      selfDispatcher = new Agent({
        connect: {
          ca: cert.toString('utf8'),
          allowPartialTrustChain: true,
          checkServerIdentity: (_name, peer) =>
            peer.fingerprint256 === pin ? undefined : new Error('the peer is not this vault server (its certificate differs)'),
        },
      });
    }
    rotation = new RotationRunner({
      store,
      keys,
      sealer: deps.audit.sealer,
      now,
      logger,
      url: `${tls ? 'https' : 'http'}://${self.host.includes(':') ? `[${self.host}]` : self.host}:${boundPort}`,
      ...(selfDispatcher ? { dispatcher: selfDispatcher } : {}),
      allowedIps: self.allowedIps,
      maxTokenTtlSeconds: settings.maxTokenTtlSeconds,
      everyMs: rotateEverySeconds * 1000,
    });
    try {
      await rotation.start();
    } catch (err) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await selfDispatcher?.close();
      await monitor.stop();
      await store.close();
      throw err;
    }
    logger.info(`rotating due secrets every ${rotateEverySeconds}s as the agent vault-rotator (built-in rotators only, never command)`);
  }
  // Requests past their timeout are marked expired (and their webhook told) within a sweep's interval;
  // until then every route already treats them as expired.
  const sweepApprovals = () => deps.approvals.sweep();
  const sweeper = setInterval(
    () => {
      sweepApprovals().catch((err) => logger.warning(`approval sweep failed: ${err instanceof Error ? err.message : String(err)}`));
    },
    (opts.approvalSweepSeconds ?? 30) * 1000,
  );
  sweeper.unref();
  // The audit summary reads whole hours from sealed rollups; each hour is rolled up soon after it ends
  // (the summary makes any that are missing, so this only keeps it fast).
  let rolling: Promise<unknown> = Promise.resolve();
  const roller = setInterval(() => {
    const now = deps.now();
    rolling = store
      .rollUpAudit(now - 48 * 3_600_000, now)
      .catch((err) => logger.warning(`audit rollup failed: ${err instanceof Error ? err.message : String(err)}`));
  }, 5 * 60_000);
  roller.unref();
  let closed = false;
  return {
    url,
    adminToken,
    sweepApprovals,
    dataDir,
    store,
    server,
    ...(rotation ? { runRotationPass: () => (rotation as RotationRunner).runPass() } : {}),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      clearInterval(roller);
      await rolling;
      // First the rotation pass, which talks to this server over loopback, finishes its secret.
      await rotation?.stop();
      await selfDispatcher?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await monitor.stop();
      await store.close();
      // A --dev vault is a throwaway: its store and master key go with it.
      if (opts.dev) await rm(dataDir as string, { recursive: true, force: true });
    },
  };
}
