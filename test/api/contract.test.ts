/**
 * The API contract, route by route: the typed client calls every route against a real vault with
 * every kind of caller. Callers that may use the route get an answer that matches the route's
 * response schema exactly (a field the schema does not declare must never leave the server);
 * callers that may not are refused with 401 or 403. Who may call what is written out below by
 * hand, not derived from the declarations, so a wrong declaration fails here too.
 */
import type { Dispatcher } from 'undici';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../../src/api/define.js';
import { API, type RouteName } from '../../src/api/routes.js';
import { createClient, type RequestInput } from '../../src/client/client.js';
import { AppError } from '../../src/core/errors.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

const CALLERS = ['anonymous', 'admin', 'editor', 'viewer', 'auditor', 'agent', 'token', 'pipeline'] as const;
type Caller = (typeof CALLERS)[number];

const ALL_USERS: Caller[] = ['admin', 'editor', 'viewer', 'auditor'];
/**
 * Who may call each route. Tokens hold every scope here (`secrets:*:*` and `audit:read`), so only
 * their kind can refuse them; test/server/audit-scope.test.ts refuses tokens by scope.
 */
const MAY_CALL: Record<RouteName, Caller[]> = {
  health: [...CALLERS],
  whoami: [...ALL_USERS, 'agent', 'token', 'pipeline'],
  issueToken: ['agent'],
  exchangeToken: ['agent'],
  listTokens: ['admin'],
  tokenSelf: ['token', 'pipeline'],
  revokeSelf: ['token', 'pipeline'],
  revokeToken: ['admin'],
  createAgent: ['admin'],
  listAgents: ['admin'],
  revokeAgent: ['admin'],
  createUser: ['admin'],
  listUsers: ['admin'],
  revokeUser: ['admin'],
  putSecret: ['admin', 'editor', 'token', 'pipeline'],
  getSecret: ['admin', 'editor', 'token', 'pipeline'],
  deleteSecret: ['admin', 'editor', 'token', 'pipeline'],
  batchRead: ['admin', 'editor', 'token', 'pipeline'],
  listMetadata: ['admin', 'editor', 'viewer', 'token', 'pipeline'],
  getMetadata: ['admin', 'editor', 'viewer', 'token', 'pipeline'],
  queryAudit: ['admin', 'auditor', 'token', 'pipeline'],
  auditSummary: ['admin', 'auditor', 'token', 'pipeline'],
  auditAnomalies: ['admin', 'auditor', 'token', 'pipeline'],
  verifyAudit: ['admin', 'auditor', 'token', 'pipeline'],
  exportAudit: ['admin', 'auditor', 'token', 'pipeline'],
  auditCheckpoint: ['admin', 'auditor', 'token', 'pipeline'],
  listLockouts: ['admin'],
  clearLockouts: ['admin'],
  rotateAgentKey: ['admin', 'agent'],
  listRotationPolicies: ['admin', 'editor', 'viewer', 'token', 'pipeline'],
  putRotationPolicy: ['admin'],
  deleteRotationPolicy: ['admin'],
  beginRotation: ['admin', 'editor', 'token', 'pipeline'],
  putPendingValue: ['admin', 'editor', 'token', 'pipeline'],
  finishRotation: ['admin', 'editor', 'token', 'pipeline'],
  abortRotation: ['admin', 'editor', 'token', 'pipeline'],
  retirePrevious: ['admin', 'editor', 'token', 'pipeline'],
  updateUser: ['admin'],
  approvalPolicy: [...ALL_USERS, 'agent', 'token', 'pipeline'],
  setApprovalPolicy: ['admin'],
  listApprovals: [...ALL_USERS, 'agent', 'token', 'pipeline'],
  // Requesters see (and collect) their own requests; admins and approvers decide (and see) all.
  getApproval: ['admin', 'editor', 'agent', 'token', 'pipeline'],
  approveRequest: ['admin'],
  denyRequest: ['admin'],
  collectApproval: ['admin', 'editor', 'agent', 'token', 'pipeline'],
};

/** The approval policy of this vault: none, except for the secrets below contract-held. */
const CONTRACT_POLICY = {
  tiers: { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 0 }, critical: { requiredApprovals: 0 } },
  prefixes: [{ prefix: 'contract-held', requiredApprovals: 1 }],
};

/** Records every answer's raw body, so the test sees what left the server before the client's schema stripped anything. */
function recordingDispatcher(inner: Dispatcher): { dispatcher: Dispatcher; last: () => string } {
  let last = '';
  const dispatcher = {
    async request(opts: Dispatcher.RequestOptions) {
      const res = await inner.request(opts);
      const text = await res.body.text();
      last = text;
      return { ...res, body: { text: async () => text } };
    },
    close: () => inner.close(),
  } as unknown as Dispatcher;
  return { dispatcher, last: () => last };
}

let v: TestVault;
let issuer: LocalOidcIssuer;
const credentials = {} as Record<Exclude<Caller, 'anonymous'>, string>;
let ciAgentKey: string;
let approverToken: string;
let seq = 0;
const fresh = (what: string) => `${what}-${++seq}`;

async function admin<T>(fn: (c: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const c = createClient({ url: v.url, credential: v.adminToken });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

async function newScopedToken(): Promise<{ token: string; id: string }> {
  const c = createClient({ url: v.url, credential: credentials.agent });
  try {
    return await c.issueToken({ scopes: ['secrets:*:*', 'audit:read'], ttl: '15m' });
  } finally {
    await c.close();
  }
}

async function newPipelineToken(): Promise<{ token: string; id: string }> {
  const c = createClient({ url: v.url, credential: ciAgentKey });
  try {
    return await c.exchangeToken({ oidcToken: await issuer.mint({ audience: v.url }) });
  } finally {
    await c.close();
  }
}

/** An approval request made by `caller` (a read, or for an agent a token request, of a held secret). */
async function heldBy(caller: Caller | 'someone', asCredential?: string): Promise<string> {
  const path = `contract-held/${fresh('h')}`;
  await admin((c) => c.putSecret(path, { value: `canary-${path}`, tier: 'critical' }));
  // Someone: a new editor each time (a requester may have only so many requests pending).
  const credential =
    asCredential ??
    (caller === 'someone'
      ? (await admin((c) => c.createUser({ name: fresh('requester'), role: 'editor' }))).token
      : credentials[caller as Exclude<Caller, 'anonymous'>]);
  const c = createClient({ url: v.url, credential });
  try {
    const held =
      caller === 'agent'
        ? await c.issueToken({ scopes: [`secrets:read:${path}`], ttl: '5m' }).catch((e: unknown) => e)
        : await c.getSecret(path).catch((e: unknown) => e);
    expect((held as AppError).code).toBe('approval_required');
    return (held as AppError).details?.approvalId as string;
  } finally {
    await c.close();
  }
}

/**
 * A valid request to `route` for `caller`, with whatever it needs made fresh (a secret to delete,
 * a token to revoke...), and the credential to send (some routes consume the caller's own).
 */
async function prepare(route: RouteName, caller: Caller): Promise<{ input: RequestInput<RouteDef>; credential: string | undefined }> {
  let credential = caller === 'anonymous' ? undefined : credentials[caller];
  const secret = async () => {
    const path = `contract/${fresh('s')}`;
    await admin((c) => c.putSecret(path, { value: `canary-${path}`, tier: 'sensitive' }));
    return path;
  };
  let input: RequestInput<RouteDef> = {};
  switch (route) {
    case 'issueToken':
      input = { body: { scopes: ['secrets:read:contract/*'], ttl: '5m' } };
      break;
    case 'exchangeToken':
      if (caller === 'agent') credential = ciAgentKey;
      input = { body: { oidcToken: await issuer.mint({ audience: v.url }) } };
      break;
    case 'listTokens':
      input = { query: { all: true } };
      break;
    case 'revokeSelf':
      // Revoking itself ends the caller's token: use a fresh one of the same kind.
      if (caller === 'token') credential = (await newScopedToken()).token;
      if (caller === 'pipeline') credential = (await newPipelineToken()).token;
      break;
    case 'revokeToken':
      input = { params: { id: (await newScopedToken()).id } };
      break;
    case 'createAgent':
      input = { body: { name: fresh('agent'), scopes: ['secrets:read:contract/*'] } };
      break;
    case 'revokeAgent': {
      const name = fresh('agent');
      await admin((c) => c.createAgent({ name, scopes: ['secrets:read:contract/*'] }));
      input = { params: { name } };
      break;
    }
    case 'createUser':
      input = { body: { name: fresh('user'), role: 'viewer' } };
      break;
    case 'revokeUser': {
      const name = fresh('user');
      await admin((c) => c.createUser({ name, role: 'viewer' }));
      input = { params: { name } };
      break;
    }
    case 'putSecret':
      input = { params: { path: `contract/${fresh('put')}` }, body: { value: 'canary-put', type: 'api_key', tier: 'critical' } };
      break;
    case 'getSecret':
    case 'deleteSecret':
    case 'getMetadata':
      input = { params: { path: await secret() } };
      break;
    case 'batchRead':
      input = { body: { paths: [await secret()], prefixes: ['contract-batch'] } };
      break;
    case 'listMetadata':
      input = { query: { prefix: 'contract', deleted: true } };
      break;
    case 'queryAudit':
      input = { query: { limit: 5, eventType: ['secret.read', 'secret.write'] } };
      break;
    case 'exportAudit':
      input = { query: { format: 'json', resourcePath: 'contract' } };
      break;
    case 'listLockouts':
      input = { query: { all: true } };
      break;
    case 'clearLockouts':
      input = { query: { address: '192.0.2.1' } };
      break;
    case 'rotateAgentKey': {
      // An agent rotates its own key (the old one keeps working for the grace period); an admin any.
      let name = 'contract-agent';
      if (caller !== 'agent') {
        name = fresh('agent');
        await admin((c) => c.createAgent({ name, scopes: ['secrets:read:contract/*'] }));
      }
      input = { params: { name }, body: { grace: '1h' } };
      break;
    }
    case 'listRotationPolicies':
      input = { query: { due: false } };
      break;
    case 'putRotationPolicy':
      input = { params: { path: `contract/${fresh('policy')}/*` }, body: { rotator: 'random', every: '30d', settings: { length: 40 } } };
      break;
    case 'deleteRotationPolicy': {
      const path = `contract/${fresh('policy')}`;
      await admin((c) => c.request('putRotationPolicy', { params: { path }, body: { rotator: 'random' } }));
      input = { params: { path } };
      break;
    }
    case 'beginRotation':
      input = { params: { path: await secret() }, body: { rotator: 'random' } };
      break;
    case 'retirePrevious': {
      // A secret rotated with no grace: its previous version is due to be retired at once.
      const path = await secret();
      const rotationId = fresh('rotation-id');
      await admin(async (c) => {
        await c.request('beginRotation', { params: { path }, body: { rotator: 'random', rotationId } });
        await c.request('putPendingValue', { params: { path }, body: { rotationId, value: 'canary-next' } });
        await c.request('finishRotation', { params: { path }, body: { rotationId, grace: 0 } });
      });
      input = { params: { path }, body: { version: 1 } };
      break;
    }
    case 'putPendingValue':
    case 'finishRotation':
    case 'abortRotation': {
      const path = await secret();
      const rotationId = fresh('rotation-id');
      await admin((c) => c.request('beginRotation', { params: { path }, body: { rotator: 'random', rotationId } }));
      if (route === 'finishRotation') {
        await admin((c) => c.request('putPendingValue', { params: { path }, body: { rotationId, value: 'canary-pending' } }));
      }
      input = {
        params: { path },
        body:
          route === 'putPendingValue'
            ? { rotationId, value: 'canary-new' }
            : route === 'abortRotation'
              ? { rotationId, reason: 'contract' }
              : { rotationId },
      };
      break;
    }
    case 'updateUser': {
      const name = fresh('user');
      await admin((c) => c.createUser({ name, role: 'viewer' }));
      input = { params: { name }, body: { approver: true } };
      break;
    }
    case 'setApprovalPolicy':
      input = { body: CONTRACT_POLICY };
      break;
    case 'getApproval':
    case 'collectApproval': {
      const own = MAY_CALL[route].includes(caller) && caller !== 'anonymous';
      // (The agent rotated its own key above: a replaced key neither asks for nor collects approvals.)
      if (own && caller === 'agent') {
        credential = (await admin((c) => c.createAgent({ name: fresh('agent'), scopes: ['secrets:*:*'] }))).agentKey;
      }
      const id = await heldBy(own ? caller : 'someone', own && caller === 'agent' ? credential : undefined);
      if (route === 'collectApproval' && own) {
        const c = createClient({ url: v.url, credential: approverToken });
        await c.approveRequest(id).finally(() => c.close());
      }
      input = { params: { id } };
      break;
    }
    case 'approveRequest':
      input = { params: { id: await heldBy('someone') } };
      break;
    case 'denyRequest':
      input = { params: { id: await heldBy('someone') }, body: { reason: 'contract' } };
      break;
    default:
      break;
  }
  return { input, credential };
}

beforeAll(async () => {
  // Every route is called without a credential too: no credential is no guess, so nothing locks.
  v = await startTestVault();
  issuer = await startOidcIssuer();
  await admin(async (c) => {
    for (const role of ['editor', 'viewer', 'auditor'] as const) {
      credentials[role] = (await c.createUser({ name: `contract-${role}`, role })).token;
    }
    credentials.admin = v.adminToken;
    credentials.agent = (await c.createAgent({ name: 'contract-agent', scopes: ['secrets:*:*', 'audit:read'] })).agentKey;
    ciAgentKey = (
      await c.createAgent({
        name: 'contract-ci',
        scopes: ['secrets:*:*', 'audit:read'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      })
    ).agentKey;
    await c.putSecret('contract-batch/one', { value: 'canary-batch' });
    approverToken = (await c.createUser({ name: 'contract-approver', role: 'viewer', approver: true })).token;
    await c.setApprovalPolicy(CONTRACT_POLICY);
  });
  credentials.token = (await newScopedToken()).token;
  credentials.pipeline = (await newPipelineToken()).token;
});

afterAll(async () => {
  await v.cleanup();
  await issuer.close();
});

describe('the API contract', () => {
  it('the table above names every declared route and nothing else', () => {
    expect(Object.keys(MAY_CALL).sort()).toEqual(Object.keys(API).sort());
  });

  const cases = (Object.keys(MAY_CALL) as RouteName[]).flatMap((route) => CALLERS.map((caller) => [route, caller] as const));

  it.each(cases)('%s called by %s', async (route, caller) => {
    const { input, credential } = await prepare(route, caller);
    const inner = new Agent();
    const rec = recordingDispatcher(inner);
    const c = createClient({ url: v.url, credential, dispatcher: rec.dispatcher });
    try {
      const def = API[route] as RouteDef;
      if (MAY_CALL[route].includes(caller)) {
        const answer = await c.request(route, input as never);
        // What left the server is exactly what the schema declares: nothing undeclared.
        expect(JSON.parse(rec.last())).toEqual(answer);
        expect(def.response.safeParse(JSON.parse(rec.last())).success).toBe(true);
      } else {
        const err = await c.request(route, input as never).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe(caller === 'anonymous' ? 'unauthenticated' : 'denied');
      }
    } finally {
      await c.close();
      await inner.close();
    }
  });

  it('the CSV export answers as text with the chain fields', async () => {
    const csv = await admin((c) => c.exportAudit('csv', { resourcePath: 'contract' }));
    expect(csv.split('\r\n')[0]).toBe(
      'seq,time,requestId,event,status,actorType,actorId,actorName,agent,tokenId,path,tier,reason,ip,claims,prevHash,hash',
    );
  });

  it('no answer ever carried a stored credential hash or a value outside the value routes', async () => {
    const dump = JSON.stringify(v.raw().prepare('SELECT * FROM audit').all());
    expect(dump).not.toMatch(/canary-/);
    for (const route of ['listAgents', 'listUsers', 'listTokens'] as const) {
      const text = JSON.stringify(await admin((c) => c.request(route, route === 'listTokens' ? { query: { all: true } } : {})));
      expect(text).not.toMatch(/keyHash|tokenHash|"hash"|key_hash|token_hash/);
    }
  });
});
