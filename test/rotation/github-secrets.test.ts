import sodium from 'libsodium-wrappers';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { streamLogger } from '../../src/core/logger.js';
import { GITHUB_API_VERSION } from '../../src/rotation/github-api.js';
import {
  parseSecretTarget,
  type SecretTarget,
  sealSecretValue,
  validateSecretName,
  writeGitHubSecret,
} from '../../src/rotation/github-secrets.js';

const API = 'https://api.github.com';
const VALUE = 'ass_agent_CANARYVALUE_7d1f0c9e2b4a';
const TOKEN = 'github_pat_CANARYTOKEN_11AAAAAAA0aBcDeFgHiJkLmNoP';
const KEY_ID = '568250167242549743';
let keys: { publicKey: Uint8Array; privateKey: Uint8Array };
let publicKey: string;
let logLines: string[];

beforeAll(async () => {
  await sodium.ready;
  keys = sodium.crypto_box_keypair();
  publicKey = Buffer.from(keys.publicKey).toString('base64');
});

beforeEach(() => {
  logLines = [];
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const logger = streamLogger((line) => logLines.push(line), { debug: true });
const options = (extra: Record<string, unknown> = {}) => ({ token: TOKEN, logger, ...extra });
const repoTarget: SecretTarget = { kind: 'repo', owner: 'octo-org', repo: 'app' };

/** Opens what the module sent with the test's private key: the proof that GitHub could read it. */
function open(encrypted: string): string {
  return sodium.crypto_box_seal_open(Buffer.from(encrypted, 'base64'), keys.publicKey, keys.privateKey, 'text');
}

/** A nock scope that checks the headers every GitHub request must carry. */
function github(base = API) {
  return nock(base, {
    reqheaders: {
      authorization: `Bearer ${TOKEN}`,
      'x-github-api-version': GITHUB_API_VERSION,
      accept: 'application/vnd.github+json',
    },
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

function expectNoCanary(err: AppError) {
  const text = `${err.message} ${JSON.stringify(err.details ?? {})} ${String(err.cause ?? '')} ${logLines.join('')}`;
  expect(text).not.toContain(VALUE);
  expect(text).not.toContain(TOKEN);
}

describe('writeGitHubSecret', () => {
  it('seals the value under the repository public key and PUTs it (201 created)', async () => {
    let sent: Record<string, unknown> = {};
    const scope = github()
      .get('/repos/octo-org/app/actions/secrets/public-key')
      .reply(200, { key_id: KEY_ID, key: publicKey })
      .put('/repos/octo-org/app/actions/secrets/ASS_AGENT_KEY', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('content-type', 'application/json')
      .reply(201, {});
    const result = await writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options());
    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({ created: true, keyId: KEY_ID });
    expect(Object.keys(sent).sort()).toEqual(['encrypted_value', 'key_id']);
    expect(sent.key_id).toBe(KEY_ID);
    expect(sent.encrypted_value).not.toContain(VALUE);
    expect(open(sent.encrypted_value as string)).toBe(VALUE);
    expect(logLines.join('')).toContain('Created GitHub Actions secret ASS_AGENT_KEY in repository octo-org/app.');
    expect(logLines.join('')).not.toContain(VALUE);
    expect(logLines.join('')).not.toContain(TOKEN);
  });

  it('reports an update (204) and uses a GHES API base URL', async () => {
    let sent: Record<string, unknown> = {};
    const scope = github('https://ghe.example.com')
      .get('/api/v3/repos/octo-org/app/actions/secrets/public-key')
      .reply(200, { key_id: 'k2', key: publicKey })
      .put('/api/v3/repos/octo-org/app/actions/secrets/ASS_AGENT_KEY', (body) => {
        sent = body;
        return true;
      })
      .reply(204);
    const result = await writeGitHubSecret(
      { target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE },
      options({ apiUrl: 'https://ghe.example.com/api/v3/' }),
    );
    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({ created: false, keyId: 'k2' });
    expect(open(sent.encrypted_value as string)).toBe(VALUE);
  });

  it('writes an environment secret through the repository id', async () => {
    let sent: Record<string, unknown> = {};
    const scope = github()
      .get('/repos/octo-org/app')
      .reply(200, { id: 1296269, full_name: 'octo-org/app' })
      .get('/repositories/1296269/environments/prod%20eu/secrets/public-key')
      .reply(200, { key_id: KEY_ID, key: publicKey })
      .put('/repositories/1296269/environments/prod%20eu/secrets/ASS_AGENT_KEY', (body) => {
        sent = body;
        return true;
      })
      .reply(201);
    const target = parseSecretTarget('env:octo-org/app:prod eu');
    await writeGitHubSecret({ target, name: 'ASS_AGENT_KEY', value: VALUE }, options());
    expect(scope.isDone()).toBe(true);
    expect(open(sent.encrypted_value as string)).toBe(VALUE);
  });

  it('writes an organisation secret with its visibility and selected repositories', async () => {
    let sent: Record<string, unknown> = {};
    const scope = github()
      .get('/orgs/acme/actions/secrets/public-key')
      .reply(200, { key_id: KEY_ID, key: publicKey })
      .put('/orgs/acme/actions/secrets/ASS_AGENT_KEY', (body) => {
        sent = body;
        return true;
      })
      .reply(201);
    const target: SecretTarget = { kind: 'org', org: 'acme', visibility: 'selected', selectedRepositoryIds: [12, 34] };
    await writeGitHubSecret({ target, name: 'ASS_AGENT_KEY', value: VALUE }, options());
    expect(scope.isDone()).toBe(true);
    expect(sent).toMatchObject({ key_id: KEY_ID, visibility: 'selected', selected_repository_ids: [12, 34] });
    expect(open(sent.encrypted_value as string)).toBe(VALUE);
  });

  it.each([
    [401, 'unauthenticated', /GITHUB_TOKEN cannot write secrets.*"Secrets: Read and write" on octo-org\/app/],
    [403, 'denied', /GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App/],
    [404, 'not_found', /Check the repository name octo-org\/app.*token has access/],
  ])('maps HTTP %i on the public key to %s with the fix, without the token or value', async (status, code, message) => {
    const scope = github()
      .get('/repos/octo-org/app/actions/secrets/public-key')
      .reply(status, { message: 'Resource not accessible by integration' });
    const err = await caught(writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(scope.isDone()).toBe(true);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain('GitHub said: "Resource not accessible by integration"');
    expectNoCanary(err);
  });

  it('maps a 422 on the PUT to a message about the secret name', async () => {
    github()
      .get('/repos/octo-org/app/actions/secrets/public-key')
      .reply(200, { key_id: KEY_ID, key: publicKey })
      .put('/repos/octo-org/app/actions/secrets/ASS_AGENT_KEY')
      .reply(422, { message: 'Invalid request.' });
    const err = await caught(writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(
      /^Could not write secret ASS_AGENT_KEY to repository octo-org\/app: GitHub answered HTTP 422\. .*check the name ASS_AGENT_KEY/,
    );
    expectNoCanary(err);
  });

  it('names the environment and the Environments permission for environment secrets', async () => {
    github().get('/repos/octo-org/app').reply(200, { id: 7 }).get('/repositories/7/environments/prod/secrets/public-key').reply(404, {});
    const target = parseSecretTarget('env:octo-org/app:prod');
    const notFound = await caught(writeGitHubSecret({ target, name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(notFound.code).toBe('not_found');
    expect(notFound.message).toContain('the environment "prod" exists in octo-org/app');
    github().get('/repos/octo-org/app').reply(200, { id: 7 }).get('/repositories/7/environments/prod/secrets/public-key').reply(403, {});
    const denied = await caught(writeGitHubSecret({ target, name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(denied.message).toContain('"Environments: Read and write" on octo-org/app');
    expectNoCanary(denied);
  });

  it('names the organisation permission for organisation secrets', async () => {
    github().get('/orgs/acme/actions/secrets/public-key').reply(403, {});
    const err = await caught(writeGitHubSecret({ target: parseSecretTarget('org:acme'), name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(err.message).toContain('organisation permission "Secrets: Read and write" on acme');
    expectNoCanary(err);
  });

  it('reports an exhausted rate limit as such, not as a permission problem', async () => {
    github()
      .get('/repos/octo-org/app/actions/secrets/public-key')
      .reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' });
    const err = await caught(writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options()));
    expect(err.code).toBe('rate_limited');
  });

  it('reports an unreachable API without the token', async () => {
    const fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: `reset ${TOKEN}` } });
    };
    const err = await caught(writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options({ fetch })));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain("GitHub's API at https://api.github.com could not be reached (ECONNRESET)");
    expect(err.cause).toBeUndefined();
    expectNoCanary(err);
  });

  it('gives up after its timeout', async () => {
    const fetch = (_url: unknown, init: { signal: AbortSignal }) =>
      new Promise<never>((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
    const err = await caught(
      writeGitHubSecret({ target: repoTarget, name: 'ASS_AGENT_KEY', value: VALUE }, options({ fetch, timeoutMs: 20 })),
    );
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('(no answer in time)');
  });

  it.each([
    ['GITHUB_TOKEN_COPY', /reserves/],
    ['github_x', /reserves/],
    ['1KEY', /not starting with a digit/],
    ['ASS-AGENT-KEY', /letters, digits and underscores/],
    ['', /letters, digits and underscores/],
  ])('refuses the secret name %j before any request', async (name, message) => {
    const err = await caught(writeGitHubSecret({ target: repoTarget, name, value: VALUE }, options()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(message);
    expect(nock.pendingMocks()).toEqual([]);
    expectNoCanary(err);
  });

  it('refuses a bad target, an empty value and a plain-http API URL before any request', async () => {
    const bad: SecretTarget = { kind: 'repo', owner: '-octo', repo: 'app' };
    expect((await caught(writeGitHubSecret({ target: bad, name: 'A', value: VALUE }, options()))).message).toContain(
      'not a GitHub account name',
    );
    expect((await caught(writeGitHubSecret({ target: repoTarget, name: 'A', value: '' }, options()))).message).toContain('empty secret');
    const http = await caught(
      writeGitHubSecret({ target: repoTarget, name: 'A', value: VALUE }, options({ apiUrl: 'http://ghe.example.com/api/v3' })),
    );
    expect(http.message).toContain('must use https');
    expectNoCanary(http);
  });
});

describe('parseSecretTarget', () => {
  it.each([
    ['repo:octo-org/app', { kind: 'repo', owner: 'octo-org', repo: 'app' }],
    ['env:octo-org/app.js:production', { kind: 'env', owner: 'octo-org', repo: 'app.js', environment: 'production' }],
    ['env:o/r:stage:eu', { kind: 'env', owner: 'o', repo: 'r', environment: 'stage:eu' }],
    ['org:acme', { kind: 'org', org: 'acme', visibility: 'private' }],
    ['org:acme:all', { kind: 'org', org: 'acme', visibility: 'all' }],
    ['org:acme:selected', { kind: 'org', org: 'acme', visibility: 'selected' }],
  ])('parses %s', (spec, expected) => {
    expect(parseSecretTarget(spec)).toEqual(expected);
  });

  it.each([
    ['octo-org/app', /unknown kind|incomplete/],
    ['repo:', /incomplete/],
    ['repo:octo-org', /OWNER\/REPO/],
    ['repo:a/b/c', /OWNER\/REPO/],
    ['repo:octo/..', /not valid/],
    ['env:octo/app', /names no environment/],
    ['env:octo/app:', /environment name/],
    ['org:acme:public', /not one of all, private, selected/],
    ['org:acme:all:x', /too many parts/],
    ['team:acme', /unknown kind "team"/],
  ])('refuses %s with a clear message', (spec, message) => {
    expect(() => parseSecretTarget(spec)).toThrow(message);
  });
});

describe('validateSecretName and sealSecretValue', () => {
  it('accepts names GitHub accepts', () => {
    for (const name of ['ASS_AGENT_KEY', '_x', 'a1', 'MY_GITHUB_KEY']) expect(validateSecretName(name)).toBe(name);
  });

  it('seals to a different ciphertext each time, each opening to the value', async () => {
    const a = await sealSecretValue(VALUE, publicKey);
    const b = await sealSecretValue(VALUE, publicKey);
    expect(a).not.toBe(b);
    expect(open(a)).toBe(VALUE);
    expect(open(b)).toBe(VALUE);
  });

  it('refuses a key that is not 32 bytes of base64', async () => {
    await expect(sealSecretValue(VALUE, Buffer.alloc(31).toString('base64'))).rejects.toThrow(/32-byte/);
    await expect(sealSecretValue(VALUE, 'not base64!')).rejects.toThrow(/32-byte/);
  });
});
