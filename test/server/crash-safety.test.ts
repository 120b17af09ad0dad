/**
 * `kill -9` of the vault in the middle of concurrent writes loses nothing it acknowledged. The
 * built server runs as a child process (as an operator runs it); writers drive the HTTP API, and
 * the process is killed (SIGKILL) while requests are in flight. A new process on the same data must
 * find every acknowledged secret version with its exact value, every acknowledged agent, user and
 * token, and the audit record of every acknowledged request, with a chain that verifies. Three
 * rounds per store: SQLite (synchronous=NORMAL), SQLite with --durable, and PostgreSQL.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, pgQuery, postgresAvailable } from '../helpers/stores.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');

const execFileP = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** Concurrent secret writers, each the only writer of its own paths (so every write it sends is acknowledged or lost, never refused). */
const WRITERS = 8;
/** Paths per writer: each is written again and again, so versions climb across rounds. */
const KEYS = 4;
/** Concurrent loops creating agents and users and issuing tokens beside the writers. */
const IDENTITY_LOOPS = 2;
/** Kill after this many acknowledged writes in round r (different moments, so different batches are torn). */
const KILL_AFTER = [90, 140, 65];
/** Bounds on a round: requests per loop, and the wall time after which the kill comes anyway (never asserted on). */
const MAX_PER_LOOP = 400;
const ROUND_LIMIT_MS = 8_000;
/** Every value the test writes starts with this, so a leak into the logs is easy to find. */
const CANARY = 'canary-crash';

let bundle: string;
let ownBuild: string | undefined;
beforeAll(async () => {
  // The global setup builds every bundle once per run; build our own only when run without it.
  if (process.env.ASS_TEST_DIST) {
    bundle = path.join(process.env.ASS_TEST_DIST, 'cli/index.js');
    return;
  }
  ownBuild = await mkdtemp(path.join(tmpdir(), 'ass-crash-bundle-'));
  const { build } = (await import(path.join(root, 'scripts/build.mjs'))) as { build: (dir: string, only?: string[]) => Promise<void> };
  await build(ownBuild, ['cli']);
  bundle = path.join(ownBuild, 'cli/index.js');
});
afterAll(async () => {
  if (ownBuild) await rm(ownBuild, { recursive: true, force: true });
});

/** The environment of every vault process: ours, without any ASS_ variable that would change what it opens. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ASS_')));
}

interface Answer {
  status: number;
  body: any;
  requestId: string;
}

async function call(url: string, method: string, urlPath: string, token: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, requestId: res.headers.get('x-request-id') ?? '' };
}

/** Runs `fn` over `items` with at most `width` at a time. */
async function inPool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** One running `ass server` process. */
interface VaultProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What every process of one vault printed, stdout and stderr together (checked for canaries). */
interface Output {
  text: string;
}

async function startVault(args: string[], out: Output): Promise<VaultProcess> {
  const child = spawn(process.execPath, [bundle, 'server', ...args, '--listen', '127.0.0.1:0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    out.text += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      out.text += d.toString();
      try {
        resolve((JSON.parse(stdout) as { url: string }).url);
      } catch {
        /* the banner is not complete yet */
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`the vault exited (${code ?? signal}) before it listened: ${stderr}`)));
  });
  return { url, child, exited };
}

/** The vault's state as the clients saw it acknowledged: what a restart must find. */
interface Acknowledged {
  secrets: Array<{ path: string; version: number; value: string; requestId: string }>;
  agents: Array<{ name: string; requestId: string }>;
  users: Array<{ name: string; token: string; requestId: string }>;
  tokens: Array<{ id: string; token: string; requestId: string }>;
}

/** Every credential and value the test holds (none may appear in the vault's output). */
function planted(acked: Acknowledged, admin: string, agentKeys: string[]): string[] {
  return [
    admin,
    ...agentKeys,
    ...acked.secrets.map((s) => s.value),
    ...acked.users.map((u) => u.token),
    ...acked.tokens.map((t) => t.token),
  ];
}

interface Setup {
  name: string;
  skip: boolean;
  /** Where the store is (`ass init` and `ass server` arguments besides `--data DIR`), and the schema to drop afterwards. */
  store(): { args: string[]; schema?: string };
  /** Further `ass server` arguments. */
  server: string[];
}

const setups: Setup[] = [
  { name: 'SQLite (synchronous=NORMAL)', skip: false, store: () => ({ args: [] }), server: [] },
  { name: 'SQLite --durable (fsync every commit)', skip: false, store: () => ({ args: [] }), server: ['--durable'] },
  {
    name: 'PostgreSQL',
    skip: !pgUp,
    store() {
      const schema = `ass_crash_${randomBytes(6).toString('hex')}`;
      return { args: ['--database-url', PG_URL, '--database-schema', schema], schema };
    },
    server: [],
  },
];

describe('kill -9 during concurrent writes', () => {
  for (const setup of setups) {
    it.skipIf(setup.skip)(`${setup.name}: a restart finds every acknowledged write, and the audit chain verifies`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ass-crash-'));
      const data = path.join(dir, 'data');
      const { args: storeArgs, schema } = setup.store();
      const out: Output = { text: '' };
      let vault: VaultProcess | undefined;
      try {
        const init = await execFileP(process.execPath, [bundle, 'init', '--data', data, '--json', ...storeArgs], { env: childEnv() });
        const admin = (JSON.parse(init.stdout) as { adminToken: string }).adminToken;
        const serverArgs = ['--data', data, ...storeArgs, ...setup.server];
        const acked: Acknowledged = { secrets: [], agents: [], users: [], tokens: [] };
        const agentKeys: string[] = [];

        vault = await startVault(serverArgs, out);
        // The agent whose key issues tokens during the rounds.
        const issuer = await call(vault.url, 'POST', '/v1/agents', admin, { name: 'crash-issuer', scopes: ['secrets:read:crash/*'] });
        expect(issuer.status).toBe(201);
        acked.agents.push({ name: 'crash-issuer', requestId: issuer.requestId });
        agentKeys.push(issuer.body.agentKey);

        let failedInFlight = 0;
        for (const [r, killAfter] of KILL_AFTER.entries()) {
          const round = await writeAndKill(vault, { round: r + 1, killAfter, admin, agentKey: issuer.body.agentKey, acked, agentKeys });
          // Requests were in flight when the process died (the writers never wait for quiet).
          expect(round.inFlightAtKill, `round ${r + 1}`).toBeGreaterThan(0);
          expect(round.exit.signal).toBe('SIGKILL');
          failedInFlight += round.failed;

          vault = await startVault(serverArgs, out);
          await expectAllAcknowledged(vault.url, admin, acked, `round ${r + 1}`);

          // The vault goes on working: a new write after the restart is read back.
          const after = { path: `crash/after/r${r + 1}`, value: `${CANARY}-after-${r + 1}-${randomBytes(8).toString('hex')}` };
          const put = await call(vault.url, 'PUT', `/v1/secrets/${after.path}`, admin, { value: after.value });
          expect(put.status).toBe(200);
          acked.secrets.push({ ...after, version: put.body.version, requestId: put.requestId });
          const got = await call(vault.url, 'GET', `/v1/secrets/${after.path}`, admin);
          expect([got.status, got.body.value]).toEqual([200, after.value]);
        }
        // Some requests died with the process: the kill really landed in the middle of the traffic.
        expect(failedInFlight).toBeGreaterThan(0);

        vault.child.kill('SIGTERM');
        expect((await vault.exited).code).toBe(0);
        vault = undefined;

        // Nothing planted reached a log line or the banner.
        expect(out.text).toContain('vault listening on');
        const leaked = planted(acked, admin, agentKeys).filter((s) => out.text.includes(s));
        expect(leaked).toEqual([]);
        expect(out.text).not.toContain(CANARY);
      } finally {
        if (vault && vault.child.exitCode === null && vault.child.signalCode === null) {
          vault.child.kill('SIGKILL');
          await vault.exited;
        }
        if (schema) await pgQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

/**
 * One round: WRITERS loops of secret writes and IDENTITY_LOOPS loops of agent and user creations and
 * token issues, each sending its next request as soon as the previous answer arrives. The moment
 * the `killAfter`th write is acknowledged (or, on a machine too slow to get there, when the round's
 * time is up), the process gets SIGKILL, with the loops still going. Every 2xx answer that arrives
 * (before or after the kill) is recorded as acknowledged; a request that dies with the process is not.
 */
async function writeAndKill(
  vault: VaultProcess,
  o: { round: number; killAfter: number; admin: string; agentKey: string; acked: Acknowledged; agentKeys: string[] },
) {
  let killed = false;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let failed = 0;
  let writes = 0;
  const kill = () => {
    if (killed) return;
    killed = true;
    inFlightAtKill = inFlight;
    vault.child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, ROUND_LIMIT_MS);
  const going = (i: number) => !killed && i < MAX_PER_LOOP;

  /** The answer, or undefined when the request died with the process; anything else fails the test. */
  const send = async (what: string, method: string, urlPath: string, token: string, body: unknown, ok: number) => {
    inFlight++;
    let answer: Answer;
    try {
      answer = await call(vault.url, method, urlPath, token, body);
    } catch (err) {
      if (!killed) throw err;
      failed++;
      return undefined;
    } finally {
      inFlight--;
    }
    // Whatever answer arrives was sent before the process died: one that is not a success is a real failure.
    if (answer.status !== ok) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  };

  const writer = async (n: number) => {
    for (let i = 0; going(i); i++) {
      const p = `crash/w${n}/k${i % KEYS}`;
      const value = `${CANARY}-r${o.round}-w${n}-i${i}-${randomBytes(12).toString('base64url')}`;
      const a = await send(`PUT ${p}`, 'PUT', `/v1/secrets/${p}`, o.admin, { value, type: 'password' }, 200);
      if (!a) return;
      o.acked.secrets.push({ path: p, version: a.body.version, value, requestId: a.requestId });
      if (++writes >= o.killAfter) kill();
    }
  };

  const identities = async (n: number) => {
    for (let i = 0; going(i); i++) {
      const name = `crash-r${o.round}-l${n}-${i}`;
      if (i % 3 === 0) {
        const a = await send(`agent ${name}`, 'POST', '/v1/agents', o.admin, { name, scopes: ['secrets:read:crash/*'] }, 201);
        if (!a) return;
        o.acked.agents.push({ name, requestId: a.requestId });
        o.agentKeys.push(a.body.agentKey);
      } else if (i % 3 === 1) {
        const a = await send(`user ${name}`, 'POST', '/v1/users', o.admin, { name, role: 'viewer' }, 201);
        if (!a) return;
        o.acked.users.push({ name, token: a.body.token, requestId: a.requestId });
      } else {
        const body = { scopes: ['secrets:read:crash/*'], ttl: '1h', description: name };
        const a = await send(`token ${name}`, 'POST', '/v1/tokens', o.agentKey, body, 201);
        if (!a) return;
        o.acked.tokens.push({ id: a.body.id, token: a.body.token, requestId: a.requestId });
      }
    }
  };

  try {
    await Promise.all([
      ...Array.from({ length: WRITERS }, (_, n) => writer(n)),
      ...Array.from({ length: IDENTITY_LOOPS }, (_, n) => identities(n)),
    ]);
  } catch (err) {
    kill();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  // Only if every loop ran out of requests first (the kill then finds none in flight, and the round fails).
  kill();
  return { inFlightAtKill, failed, exit: await vault.exited };
}

/** Everything acknowledged so far is in the restarted vault, and its audit chain verifies. */
async function expectAllAcknowledged(url: string, admin: string, acked: Acknowledged, label: string) {
  // Every acknowledged version, with its exact value.
  const wrong: string[] = [];
  await inPool(acked.secrets, 8, async (s) => {
    const got = await call(url, 'GET', `/v1/secrets/${s.path}?version=${s.version}`, admin);
    if (got.status !== 200 || got.body.value !== s.value)
      wrong.push(`${s.path} v${s.version}: ${got.status} ${got.body?.error?.code ?? ''}`);
  });
  expect(wrong, `${label}: acknowledged secret versions missing or changed`).toEqual([]);

  // Each path's current version is at least the newest acknowledged one.
  const listed = await call(url, 'GET', '/v1/metadata?prefix=crash', admin);
  expect(listed.status).toBe(200);
  const current = new Map((listed.body.secrets as Array<{ path: string; version: number }>).map((s) => [s.path, s.version]));
  const behind = acked.secrets.filter((s) => (current.get(s.path) ?? 0) < s.version).map((s) => `${s.path} v${s.version}`);
  expect(behind, `${label}: secrets whose current version went back`).toEqual([]);

  // Every acknowledged agent and user exists, and every acknowledged credential still authenticates.
  const agents = await call(url, 'GET', '/v1/agents', admin);
  const agentNames = new Set((agents.body.agents as Array<{ name: string }>).map((a) => a.name));
  expect(
    acked.agents.filter((a) => !agentNames.has(a.name)).map((a) => a.name),
    `${label}: acknowledged agents missing`,
  ).toEqual([]);
  const users = await call(url, 'GET', '/v1/users', admin);
  const userNames = new Set((users.body.users as Array<{ name: string }>).map((u) => u.name));
  expect(
    acked.users.filter((u) => !userNames.has(u.name)).map((u) => u.name),
    `${label}: acknowledged users missing`,
  ).toEqual([]);
  const refused: string[] = [];
  await inPool(acked.users, 8, async (u) => {
    const who = await call(url, 'GET', '/v1/whoami', u.token);
    if (who.status !== 200 || who.body.name !== u.name) refused.push(`user ${u.name}: ${who.status}`);
  });
  await inPool(acked.tokens, 8, async (t) => {
    const self = await call(url, 'GET', '/v1/tokens/self', t.token);
    if (self.status !== 200 || self.body.id !== t.id) refused.push(`token ${t.id}: ${self.status}`);
  });
  expect(refused, `${label}: acknowledged credentials refused`).toEqual([]);

  // The audit record of every acknowledged request, granted.
  const log = await call(url, 'GET', '/v1/audit?limit=100000', admin);
  expect(log.status).toBe(200);
  const events = log.body.events as Array<{ requestId: string; event: string; status: string; path: string | null }>;
  const records = new Map<string, typeof events>();
  for (const e of events) records.set(e.requestId, [...(records.get(e.requestId) ?? []), e]);
  const unrecorded = [
    ...acked.secrets.map((s) => ({ id: s.requestId, event: 'secret.write', path: s.path as string | null })),
    ...acked.agents.map((a) => ({ id: a.requestId, event: 'agent.create', path: null })),
    ...acked.users.map((u) => ({ id: u.requestId, event: 'user.create', path: null })),
    ...acked.tokens.map((t) => ({ id: t.requestId, event: 'token.issue', path: null })),
  ]
    .filter((want) => !records.get(want.id)?.some((e) => e.event === want.event && e.status === 'granted' && e.path === want.path))
    .map((want) => `${want.event} ${want.path ?? ''} (request ${want.id})`);
  expect(unrecorded, `${label}: acknowledged requests without their audit record`).toEqual([]);

  // Acknowledged or not, no change is in the store without its record, nor a granted record without
  // its change (writes that died with the process included): each secret has as many versions as
  // granted writes, and there are as many agents, users and tokens as granted creations.
  const granted = (event: string) => events.filter((e) => e.event === event && e.status === 'granted');
  const writesPerPath = new Map<string, number>();
  for (const { path: p } of granted('secret.write')) writesPerPath.set(p as string, (writesPerPath.get(p as string) ?? 0) + 1);
  expect(writesPerPath, `${label}: secret versions and granted writes`).toEqual(current);
  const tokens = await call(url, 'GET', '/v1/tokens?all=true', admin);
  expect(tokens.status).toBe(200);
  expect(
    { agents: agentNames.size, users: userNames.size - 1, tokens: tokens.body.tokens.length },
    `${label}: agents, users and tokens against their granted records`,
  ).toEqual({ agents: granted('agent.create').length, users: granted('user.create').length, tokens: granted('token.issue').length });

  // The chain verifies against the authenticated head.
  const verify = await call(url, 'GET', '/v1/audit/verify', admin);
  expect(verify.status).toBe(200);
  expect(verify.body.problems, `${label}: audit chain problems`).toEqual([]);
  expect(verify.body.ok).toBe(true);
  expect(verify.body.count).toBeGreaterThanOrEqual(events.length);
}
