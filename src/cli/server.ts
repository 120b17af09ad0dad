/** `ass init` and `ass server`. */
import path from 'node:path';
import { parseCidr } from '../core/cidr.js';
import { streamLogger } from '../core/logger.js';
import {
  asUsage,
  type Command,
  type CommandGroup,
  durationOption,
  fields,
  json,
  requireStr,
  stopSignal,
  str,
  usage,
  type Values,
} from './common.js';
import { loadServer } from './server-module.js';

const DATABASE_OPTIONS = { 'database-url': { type: 'string' }, 'database-schema': { type: 'string' } } as const;
const DATABASE_HELP = `  --database-url URL     keep the store in PostgreSQL instead of DIR/vault.db (several replicas can share it);
                         prefer ASS_DATABASE_URL, which keeps the password out of the process list
  --database-schema S    PostgreSQL schema (default public)`;

/** `--database-url` / ASS_DATABASE_URL and `--database-schema` as server options. */
function databaseOptions(values: Values, env: NodeJS.ProcessEnv, helpFor: string): { databaseUrl?: string; databaseSchema?: string } {
  const url = str(values, 'database-url') ?? (env.ASS_DATABASE_URL?.trim() || undefined);
  const schema = str(values, 'database-schema');
  if (url !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(url)) {
    throw usage('The database URL (--database-url or ASS_DATABASE_URL) must start with postgres:// or postgresql://.', helpFor);
  }
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw usage('--database-schema must be a plain identifier (letters, digits, _).', helpFor);
  }
  if (schema !== undefined && url === undefined) throw usage('--database-schema needs --database-url (or ASS_DATABASE_URL).', helpFor);
  return { ...(url ? { databaseUrl: url } : {}), ...(schema ? { databaseSchema: schema } : {}) };
}

/** --tls-cert and --tls-key, both or neither. */
function tlsOptions(values: Values, cwd: string, helpFor: string): { tlsCertFile?: string; tlsKeyFile?: string } {
  const cert = str(values, 'tls-cert');
  const key = str(values, 'tls-key');
  if (!cert && !key) return {};
  if (!cert || !key) throw usage('--tls-cert and --tls-key go together: give the PEM certificate chain and its private key.', helpFor);
  return { tlsCertFile: path.resolve(cwd, cert), tlsKeyFile: path.resolve(cwd, key) };
}

/** A whole number option (0 allowed), at most `max`. */
function countOption(values: Values, key: string, helpFor: string, max = 1_000_000_000): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v.trim()) || Number(v) > max) throw usage(`--${key} must be a whole number from 0 to ${max}.`, helpFor);
  return Number(v);
}

/** The --lockout-* options that were given (the rest keep the server's defaults). */
function lockoutOptions(values: Values, helpFor: string) {
  const out: {
    addressFailures?: number;
    credentialFailures?: number;
    windowMs?: number;
    baseMs?: number;
    maxMs?: number;
  } = {};
  const address = countOption(values, 'lockout-address-failures', helpFor);
  const credential = countOption(values, 'lockout-credential-failures', helpFor);
  const window = durationOption(values, 'lockout-window', helpFor);
  const first = durationOption(values, 'lockout-first', helpFor);
  const max = durationOption(values, 'lockout-max', helpFor);
  if (address !== undefined) out.addressFailures = address;
  if (credential !== undefined) out.credentialFailures = credential;
  if (window !== undefined) out.windowMs = window * 1000;
  if (first !== undefined) out.baseMs = first * 1000;
  if (max !== undefined) out.maxMs = max * 1000;
  const firstMs = out.baseMs ?? 30_000;
  const maxMs = out.maxMs ?? 3600_000;
  if (maxMs < firstMs) throw usage('--lockout-max must be at least as long as --lockout-first.', helpFor);
  return out;
}

function rateOptions(values: Values, helpFor: string) {
  const reads = countOption(values, 'rate-reads', helpFor);
  const exchanges = countOption(values, 'rate-exchanges', helpFor);
  return {
    ...(reads !== undefined ? { readsPerMinute: reads } : {}),
    ...(exchanges !== undefined ? { exchangesPerMinute: exchanges } : {}),
  };
}

const init: Command = {
  usage: 'ass init --data DIR [--json]',
  summary: 'Create a vault data folder and print the first admin token (once).',
  details: `  --data DIR   the folder for the store (and the master key file, unless ASS_MASTER_KEY is set)
  --json       print {adminToken, dataDir}
${DATABASE_HELP}
Environment: ASS_MASTER_KEY supplies the master key instead of a key file; ASS_DATABASE_URL.`,
  options: { data: { type: 'string' }, json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  positionals: [],
  async run(ctx, values) {
    const help = 'ass init';
    const dir = path.resolve(ctx.io.cwd, requireStr(values, 'data', 'give the folder for the vault, e.g. --data ./vault-data', help));
    const masterKey = ctx.io.env.ASS_MASTER_KEY?.trim();
    const database = databaseOptions(values, ctx.io.env, help);
    const server = await loadServer();
    const result = await server.initDataDir(dir, { env: ctx.io.env, ...(masterKey ? { masterKey } : {}), ...database });
    if (values.json) {
      ctx.out(json({ adminToken: result.adminToken, dataDir: result.dataDir }));
      return 0;
    }
    ctx.out(`Initialised the vault in ${result.dataDir}.\n\n`);
    ctx.out(`Admin token (shown only now; keep it in a password manager and use it as ASS_TOKEN):\n${result.adminToken}\n\n`);
    ctx.out(`Start the server with: ass server --data ${result.dataDir} --listen 127.0.0.1:8200\n`);
    return 0;
  },
};

const serve: Command = {
  usage:
    'ass server (--data DIR | --dev) [--database-url URL] [--listen HOST:PORT] [--public-url URL] [--dashboard-url URL] [--trusted-proxy CIDR ...] [--max-token-ttl 24h] [--rotate [--rotate-every 1m]] [audit, lockout and rate options below] [--json]',
  summary: 'Run the vault server until Ctrl-C (SIGINT) or SIGTERM.',
  details: `  --data DIR             the folder made by \`ass init\`
  --dev                  a throwaway in-memory/temporary vault; prints its URL and admin token
  --listen HOST:PORT     address to listen on (default 127.0.0.1:8200; port 0 picks a free one)
  --public-url URL       the vault's external URL (the OIDC audience); default http:// + the listen address
  --dashboard-url URL    where people open approval requests: each approval notice links there
  --trusted-proxy CIDR   trust X-Forwarded-For from this proxy address or range; repeat for several
  --max-token-ttl D      longest token lifetime the server grants (default 24h)
  --max-pipeline-ttl D   longest pipeline-token lifetime from the OIDC exchange (default 15m, at most 6h)
  --durable              fsync every commit of the SQLite store (survives power loss; slower)
  --tls-cert FILE        serve HTTPS with this PEM certificate chain (with --tls-key)
  --tls-key FILE         the certificate's PEM private key
  --checkpoint-sink T    send signed audit checkpoints off this host: a FILE (one JSON line each,
                         read back at start-up: a log behind it is refused) or an https:// URL (POST)
  --checkpoint-every D   how often a checkpoint goes to the sink (default 10m)
  --audit-sweep-every D  how often the whole audit chain is verified again (default 1h)
  --lockout-address-failures N     failed credential checks from one address (an IPv6 /64) within
                         the window that lock it out (default 20; 0: never)
  --lockout-credential-failures N  failed checks against one credential id (a wrong secret, a
                         forged OIDC token) that lock it out (default 5; 0: never)
  --lockout-window D     the window failures are counted in (default 1m)
  --lockout-first D      the first lockout's length; each further one doubles it (default 30s)
  --lockout-max D        the longest lockout; as long a quiet spell forgets earlier ones (default 1h)
                         A lockout answers only failing requests (429): a valid credential is served.
  --rate-reads N         secret-read requests per minute per credential (default 1200; 0: no limit)
  --rate-exchanges N     OIDC exchanges and token issues per minute per agent key (default 60; 0: no limit)
  --rotate               run due rotations inside the server with the built-in rotators that need
                         nothing outside this host (random, postgres, agent-key without its GitHub
                         secret), as the agent vault-rotator (created if missing) with a 5-minute
                         token per pass; command policies are skipped: run ass rotate --due
                         --allow-commands where their scripts should run
  --rotate-every D       how often the server looks for due rotations (default 1m; needs --rotate)
  --json                 print {url, adminToken?} once listening
${DATABASE_HELP}
Environment: ASS_MASTER_KEY supplies the master key instead of the key file (with a database URL
and ASS_MASTER_KEY, --data is not needed); ASS_DATABASE_URL.`,
  options: {
    data: { type: 'string' },
    dev: { type: 'boolean' },
    listen: { type: 'string' },
    'public-url': { type: 'string' },
    'dashboard-url': { type: 'string' },
    'trusted-proxy': { type: 'string', multiple: true },
    'max-token-ttl': { type: 'string' },
    'max-pipeline-ttl': { type: 'string' },
    durable: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'checkpoint-sink': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'audit-sweep-every': { type: 'string' },
    'lockout-address-failures': { type: 'string' },
    'lockout-credential-failures': { type: 'string' },
    'lockout-window': { type: 'string' },
    'lockout-first': { type: 'string' },
    'lockout-max': { type: 'string' },
    'rate-reads': { type: 'string' },
    'rate-exchanges': { type: 'string' },
    rotate: { type: 'boolean' },
    'rotate-every': { type: 'string' },
    json: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  },
  positionals: [],
  async run(ctx, values) {
    const help = 'ass server';
    const data = str(values, 'data');
    const dev = values.dev === true;
    const database = databaseOptions(values, ctx.io.env, help);
    if (dev && data !== undefined) throw usage('Give either --data DIR or --dev, not both.', help);
    if (dev && database.databaseUrl)
      throw usage('--dev makes a throwaway SQLite vault; drop --database-url (or unset ASS_DATABASE_URL).', help);
    const keyFromEnv = Boolean(ctx.io.env.ASS_MASTER_KEY?.trim());
    if (!dev && (data === undefined || data.trim() === '') && !(database.databaseUrl && keyFromEnv)) {
      throw usage(
        database.databaseUrl
          ? 'With a database URL, give --data DIR (holding master.key) or set ASS_MASTER_KEY.'
          : 'Give --data DIR (a folder made by `ass init --data DIR`) or --dev for a throwaway vault.',
        help,
      );
    }
    const listen = str(values, 'listen') ?? '127.0.0.1:8200';
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(listen) || Number(listen.slice(listen.lastIndexOf(':') + 1)) > 65535) {
      throw usage(`--listen ${JSON.stringify(listen.slice(0, 60))} is not HOST:PORT; write it like 127.0.0.1:8200 or [::1]:8200.`, help);
    }
    const publicUrl = str(values, 'public-url');
    if (publicUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicUrl)) {
      throw usage('--public-url must be an http:// or https:// URL, such as https://vault.example.com.', help);
    }
    const dashboardUrl = str(values, 'dashboard-url');
    if (dashboardUrl !== undefined && !/^https?:\/\/[^\s<>|]+$/.test(dashboardUrl)) {
      throw usage('--dashboard-url must be an http:// or https:// URL, such as https://vault.example.com/ui.', help);
    }
    const trustedProxies = ((values['trusted-proxy'] as string[] | undefined) ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    for (const p of trustedProxies) asUsage(help, () => parseCidr(p, '--trusted-proxy entry'));
    const maxTokenTtlSeconds = durationOption(values, 'max-token-ttl', help);
    const maxPipelineTtlSeconds = durationOption(values, 'max-pipeline-ttl', help);
    if (maxPipelineTtlSeconds !== undefined && maxPipelineTtlSeconds > 6 * 3600) {
      throw usage('--max-pipeline-ttl may be at most 6h: pipeline tokens live for one job.', help);
    }
    const sink = str(values, 'checkpoint-sink');
    if (sink !== undefined && sink.trim() === '') throw usage('--checkpoint-sink needs a file path or an https:// URL.', help);
    const checkpointEverySeconds = durationOption(values, 'checkpoint-every', help);
    const auditSweepEverySeconds = durationOption(values, 'audit-sweep-every', help);
    if (checkpointEverySeconds !== undefined && sink === undefined) {
      throw usage('--checkpoint-every needs --checkpoint-sink: where the checkpoints go.', help);
    }
    const rotate = values.rotate === true;
    const rotateEverySeconds = durationOption(values, 'rotate-every', help);
    if (rotateEverySeconds !== undefined && !rotate)
      throw usage('--rotate-every needs --rotate: it says how often the server rotates.', help);
    if (rotateEverySeconds !== undefined && rotateEverySeconds < 1) throw usage('--rotate-every must be at least 1s.', help);
    const lockout = lockoutOptions(values, help);
    const rateLimits = rateOptions(values, help);
    const server = await loadServer();
    const logger = streamLogger(ctx.err, { debug: ctx.io.env.ASS_DEBUG === '1' });
    const { signal, dispose } = stopSignal(ctx);
    try {
      const running = await server.startServer({
        ...(dev ? { dev: true } : data ? { dataDir: path.resolve(ctx.io.cwd, data) } : {}),
        ...database,
        listen,
        ...(publicUrl ? { publicUrl } : {}),
        ...(dashboardUrl ? { dashboardUrl } : {}),
        ...(trustedProxies.length ? { trustedProxies } : {}),
        ...(maxTokenTtlSeconds !== undefined ? { maxTokenTtlSeconds } : {}),
        ...(maxPipelineTtlSeconds !== undefined ? { maxPipelineTtlSeconds } : {}),
        ...(values.durable === true ? { durable: true } : {}),
        ...tlsOptions(values, ctx.io.cwd, help),
        ...(sink !== undefined ? { checkpointSink: /^https?:\/\//i.test(sink) ? sink : path.resolve(ctx.io.cwd, sink) } : {}),
        ...(checkpointEverySeconds !== undefined ? { checkpointEverySeconds } : {}),
        ...(auditSweepEverySeconds !== undefined ? { auditSweepEverySeconds } : {}),
        ...(Object.keys(lockout).length ? { lockout } : {}),
        ...(Object.keys(rateLimits).length ? { rateLimits } : {}),
        ...(rotate ? { rotate: true, ...(rotateEverySeconds !== undefined ? { rotateEverySeconds } : {}) } : {}),
        logger,
        env: ctx.io.env,
      });
      if (values.json) {
        ctx.out(json({ url: running.url, ...(running.adminToken ? { adminToken: running.adminToken } : {}) }));
      } else {
        ctx.out(
          fields([
            ['url', running.url],
            ...(dev ? ([['mode', 'dev (throwaway: everything is lost on exit)']] as Array<[string, unknown]>) : []),
          ]),
        );
        if (running.adminToken)
          ctx.out(`\nAdmin token:\n${running.adminToken}\n\nTry: export ASS_URL=${running.url} ASS_TOKEN=<the admin token>\n`);
        ctx.err('Press Ctrl-C to stop.\n');
      }
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      ctx.err('Stopping the vault...\n');
      await running.close();
      ctx.err('Stopped.\n');
      return 0;
    } finally {
      dispose();
    }
  },
};

const rekey: Command = {
  usage: 'ass rekey --data DIR [--database-url URL] [--json]',
  summary: 'After a master-key rotation, reseal every secret and the audit key under the current key.',
  details: `Rotation: put the new key in ASS_MASTER_KEY (or master.key) and the old one in
ASS_MASTER_KEY_PREVIOUS, restart the server, run ass rekey with the same environment, then drop
ASS_MASTER_KEY_PREVIOUS. Only the data keys are resealed; values are never decrypted.
  --data DIR   the vault's folder (its master.key, unless ASS_MASTER_KEY is set)
  --json       print {versionsRewrapped, keyId}
${DATABASE_HELP}`,
  options: { data: { type: 'string' }, json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  positionals: [],
  async run(ctx, values) {
    const help = 'ass rekey';
    const dir = path.resolve(ctx.io.cwd, requireStr(values, 'data', 'give the vault folder, e.g. --data ./vault-data', help));
    const database = databaseOptions(values, ctx.io.env, help);
    const server = await loadServer();
    const result = await server.rekeyDataDir(dir, { env: ctx.io.env, ...database });
    if (values.json) ctx.out(json(result));
    else
      ctx.out(
        `Resealed ${result.versionsRewrapped} secret version(s) and the audit key under master key ${result.keyId}; ASS_MASTER_KEY_PREVIOUS is no longer needed.\n`,
      );
    return 0;
  },
};

const migrate: Command = {
  usage: 'ass migrate --data DIR [--database-url URL] [--json]',
  summary: "Upgrade a store made by an earlier version to this version's schema (stop the vault and back up first).",
  details: `Runs every pending schema step in one transaction and records it in the audit log. ass server
refuses a store whose schema is older than the build, and says to run this. The upgrade seals, with
the vault's keys, the rows that earlier versions kept unsealed: run it on a store you trust.
  --data DIR   the vault's folder (its master.key, unless ASS_MASTER_KEY is set)
  --json       print {from, to} (the schema versions)
${DATABASE_HELP}`,
  options: { data: { type: 'string' }, json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  positionals: [],
  async run(ctx, values) {
    const help = 'ass migrate';
    const dir = path.resolve(ctx.io.cwd, requireStr(values, 'data', 'give the vault folder, e.g. --data ./vault-data', help));
    const database = databaseOptions(values, ctx.io.env, help);
    const server = await loadServer();
    const result = await server.migrateDataDir(dir, { env: ctx.io.env, ...database });
    if (values.json) ctx.out(json(result));
    else if (result.from === result.to) ctx.out(`The store is already at schema version ${result.to}; nothing to do.\n`);
    else ctx.out(`Upgraded the store from schema version ${result.from} to ${result.to}.\n`);
    return 0;
  },
};

export const migrateGroup: CommandGroup = { name: 'migrate', summary: migrate.summary, commands: {}, fallback: migrate };
export const rekeyGroup: CommandGroup = { name: 'rekey', summary: rekey.summary, commands: {}, fallback: rekey };
export const initGroup: CommandGroup = { name: 'init', summary: init.summary, commands: {}, fallback: init };
export const serverGroup: CommandGroup = { name: 'server', summary: serve.summary, commands: {}, fallback: serve };
