import { afterEach, describe, expect, it } from 'vitest';
import { approvalOf } from '../../src/client/approvals.js';
import { createClient } from '../../src/client/client.js';
import { AppError } from '../../src/core/errors.js';
import { sendJson, startStubServer } from '../helpers/cli-stub-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const HELD = {
  approvalId: 'ap1',
  id: 'ap1',
  kind: 'exchange',
  status: 'pending',
  requester: { type: 'pipeline', name: 'deploy', tokenId: null, claims: null },
  paths: ['prod/db'],
  scopes: ['secrets:read:prod/db'],
  ttl: null,
  maxUses: null,
  description: null,
  ip: '127.0.0.1',
  approvers: ['alice'],
  requiredApprovals: 1,
  approvals: 0,
  rule: 'tier critical',
  decisions: [],
  createdAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-11-23T10:00:00.000Z',
  decidedAt: null,
  collectedAt: null,
  approveCommand: 'ass approvals approve ap1',
};

describe('approvalOf', () => {
  it("reads a held answer as the client throws it: the request's own status, not the HTTP 202", async () => {
    const s = await startStubServer((_req, res) =>
      sendJson(res, 202, { error: { code: 'approval_required', message: 'held', requestId: 'r1', details: HELD } }),
    );
    closers.push(s.close);
    const client = createClient({ url: s.url, credential: 'ass_a_x' });
    closers.push(() => client.close());
    const err = await client.batchRead({ paths: ['prod/db'] }).catch((e: unknown) => e);
    expect((err as AppError).details?.status).toBe('pending');
    const held = approvalOf(err);
    expect(held).toMatchObject({ id: 'ap1', status: 'pending', paths: ['prod/db'], approvers: ['alice'], decisions: [] });
  });

  it('is undefined for any other error, or a held answer without its request', () => {
    expect(approvalOf(new AppError('denied', 'no'))).toBeUndefined();
    expect(approvalOf(new AppError('approval_required', 'held'))).toBeUndefined();
    expect(approvalOf(new AppError('approval_required', 'held', { details: { status: 202 } }))).toBeUndefined();
  });
});
