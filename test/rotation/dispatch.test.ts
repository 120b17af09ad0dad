import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { streamLogger } from '../../src/core/logger.js';
import { sendRepositoryDispatch } from '../../src/rotation/dispatch.js';
import { GITHUB_API_VERSION } from '../../src/rotation/github-api.js';

const API = 'https://api.github.com';
const TOKEN = 'ghs_CANARYTOKENdispatch00000000000000000';
let logLines: string[];

beforeEach(() => {
  logLines = [];
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const options = () => ({ token: TOKEN, logger: streamLogger((line) => logLines.push(line), { debug: true }) });

function github() {
  return nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'x-github-api-version': GITHUB_API_VERSION } });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(`${e.message}${logLines.join('')}`).not.toContain(TOKEN);
    return e;
  }
  throw new Error('expected a rejection');
}

describe('sendRepositoryDispatch', () => {
  it('POSTs the event type and payload to the repository', async () => {
    let sent: unknown;
    const scope = github()
      .post('/repos/octo-org/app/dispatches', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('content-type', 'application/json')
      .reply(204);
    const clientPayload = { path: 'prod/db/password', version: 4, rotationId: 'rot_1' };
    await sendRepositoryDispatch({ repository: 'octo-org/app', eventType: 'secret-rotated', clientPayload }, options());
    expect(scope.isDone()).toBe(true);
    expect(sent).toEqual({ event_type: 'secret-rotated', client_payload: clientPayload });
    expect(logLines.join('')).toContain('Sent repository_dispatch "secret-rotated" to octo-org/app.');
  });

  it('sends an empty payload when none is given', async () => {
    let sent: unknown;
    github()
      .post('/repos/o/r/dispatches', (body) => {
        sent = body;
        return true;
      })
      .reply(204);
    await sendRepositoryDispatch({ repository: 'o/r', eventType: 'x' }, options());
    expect(sent).toEqual({ event_type: 'x', client_payload: {} });
  });

  it.each([
    [{ eventType: '' }, /1 to 100 characters/],
    [{ eventType: '   ' }, /not blank/],
    [{ eventType: 'e'.repeat(101) }, /got 101 characters/],
    [
      { clientPayload: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])) },
      /11 top-level properties; GitHub accepts at most 10/,
    ],
    [{ clientPayload: [] as unknown as Record<string, unknown> }, /must be a JSON object/],
    [{ repository: 'octo-org' }, /OWNER\/REPO/],
  ])('refuses %j before any request', async (change, message) => {
    const err = await caught(sendRepositoryDispatch({ repository: 'o/r', eventType: 'ok', ...change }, options()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(message);
  });

  it('accepts exactly 10 properties and a 100-character type', async () => {
    const scope = github().post('/repos/o/r/dispatches').reply(204);
    const clientPayload = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    await sendRepositoryDispatch({ repository: 'o/r', eventType: 'e'.repeat(100), clientPayload }, options());
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [401, 'unauthenticated', /not accepted.*"Contents: Read and write" on o\/r/],
    [403, 'denied', /permissions: contents: write.*fine-grained personal access token or a GitHub App/],
    [404, 'not_found', /Check the repository name o\/r and that the token has access/],
    [422, 'invalid_input', /check the event type .* at most 10 top-level properties/],
    [502, 'unavailable', /answered HTTP 502; try again later/],
  ])('maps HTTP %i to %s with the fix', async (status, code, message) => {
    github().post('/repos/o/r/dispatches').reply(status, { message: 'nope' });
    const err = await caught(sendRepositoryDispatch({ repository: 'o/r', eventType: 'ok' }, options()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('send repository_dispatch "ok" to o/r');
  });
});
