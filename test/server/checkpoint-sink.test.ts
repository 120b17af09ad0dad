/**
 * Signed checkpoints leave the vault's host: POSTed to an HTTP endpoint (here a loopback stand-in)
 * or appended to a file. They carry hashes only, verify under the vault's checkpoint key, and a
 * sink that stops answering shows in the health probe without stopping the vault.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointSignatureValid } from '../../src/core/audit-chain.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault | undefined;
let sink: Server | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
  await new Promise<void>((r) => (sink ? sink.close(() => r()) : r()));
  sink = undefined;
});

async function eventually(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('the checkpoint sink', () => {
  it('receives signed checkpoints of the newest record; a failing sink degrades the health probe, and recovery clears it', async () => {
    const received: any[] = [];
    let answer = 204;
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => sink?.listen(0, '127.0.0.1', () => r()));
    const port = (sink.address() as { port: number }).port;
    v = await startTestVault({
      checkpointSink: `http://127.0.0.1:${port}/checkpoints?token=canary-sink-query`,
      checkpointEverySeconds: 0.05,
    });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-sink-value' } });
    const head = Number((await v.sql('SELECT seq FROM audit_head'))[0]?.seq);
    await eventually(() => received.some((r) => r.body.seq >= head), 'a checkpoint of the newest record');
    const ours = (await v.call('GET', '/v1/audit/checkpoint', { token: admin })).body;
    const cp = received.find((r) => r.body.seq >= head);
    expect(cp.method).toBe('POST');
    expect(cp.type).toBe('application/json');
    expect(checkpointSignatureValid(cp.body, ours.publicKey)).toBe(true);
    expect(JSON.stringify(received)).not.toContain('canary-sink-value');
    expect((await v.call('GET', '/v1/health')).body).toEqual({ status: 'ok', audit: 'intact', checkpoints: 'ok' });

    answer = 500;
    await eventually(async () => (await v?.call('GET', '/v1/health'))?.body.status === 'degraded', 'the probe shows the failing sink');
    expect((await v.call('GET', '/v1/health')).body).toEqual({ status: 'degraded', audit: 'intact', checkpoints: 'failing' });
    // The vault keeps serving meanwhile.
    expect((await v.call('GET', '/v1/secrets/app/db', { token: admin })).status).toBe(200);
    answer = 204;
    await eventually(async () => (await v?.call('GET', '/v1/health'))?.body.status === 'ok', 'the probe recovers');
  });
});
