/**
 * The audit action's report, unit by unit: the job summary and the webhook notice with hostile
 * vault strings in every field they show (paths, names, reasons, claims, finding texts, problem
 * messages), the order of the findings and when they fail the job.
 */
import { describe, expect, it } from 'vitest';
import {
  buildFindings,
  compactFindings,
  type Finding,
  type FindingsInput,
  isVerified,
  shouldFail,
} from '../../../src/actions/audit/findings.js';
import { noticeBody, noticeFindings } from '../../../src/actions/audit/notify.js';
import { hourlyChart, MAX_FINDINGS_SHOWN, mermaidLabel, type ReportView, renderAuditSummary } from '../../../src/actions/audit/summary.js';
import type { ChainCheck } from '../../../src/actions/audit/verify.js';
import type { AnomalyReport, AuditSummary } from '../../../src/client/client.js';

/** Every way a string could break out of where the summary puts it. */
const EVIL = [
  'a|b',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]',
  '[link](https://evil.example)',
  '`code` ``` fence',
  'line1\nline2\r\n\n\n## heading',
  '\n::error::injected',
  '::warning file=x::pwned',
  '"; click x call alert()',
  '%%{init: {"theme": "dark"}}%%',
  '</td></tr></table><h1>owned</h1>',
  '&amp; &#60; entity',
  '*bold* _it_ ~strike~ \\escape',
].join(' ');

const hostile = (tag: string) => `${tag} ${EVIL}`;

function summaryWith(s: string): AuditSummary {
  return {
    since: '2026-11-22T08:00:00.000Z',
    until: '2026-11-22T11:30:00.000Z',
    requests: 12,
    granted: 9,
    denied: 2,
    errors: 1,
    pending: 0,
    events: [{ event: hostile('event'), granted: 1, denied: 0, error: 0, pending: 0 }],
    secrets: [{ path: hostile(`path ${s}`), tier: hostile('tier'), reads: 5, writes: 1, denied: 1 }],
    actors: [{ type: hostile('type'), name: hostile('actor'), agent: hostile('agent'), requests: 7, denied: 1 }],
    addresses: [{ ip: hostile('ip'), requests: 12, denied: 2 }],
    hours: [
      { hour: '2026-11-22T08:00:00.000Z', requests: 4, reads: 3, denied: 1 },
      { hour: '2026-11-22T10:00:00.000Z', requests: 8, reads: 2, denied: 1 },
      { hour: hostile('hour'), requests: 99, reads: 99, denied: 99 },
    ],
    denials: [{ code: hostile('code'), event: hostile('denial-event'), count: 2, example: hostile('reason') }],
    tokens: { issued: 1, exchanged: 2, revoked: 1 },
    exchanges: [{ repository: hostile('repository'), workflow: hostile('workflow'), granted: 2, refused: 1 }],
    approvals: { requested: 0, approved: 0, denied: 0, collected: 0, expired: 0 },
    rotations: {
      finished: 1,
      aborted: 0,
      overdueTotal: 1,
      overdue: [{ path: hostile('overdue'), tier: hostile('otier'), rotator: hostile('rotator'), overdueSeconds: 7200 }],
    },
    lockouts: 0,
  };
}

const anomalyReport = (): AnomalyReport => ({
  since: '2026-11-22T08:00:00.000Z',
  until: '2026-11-22T11:30:00.000Z',
  verified: true,
  checks: [{ check: 'read_spike', ran: false, note: hostile('note') }],
  anomalies: [
    {
      check: 'unexpected_pipeline',
      severity: 'warning',
      title: hostile('title'),
      detail: hostile('detail'),
      action: hostile('action'),
      subject: { repository: hostile('subject') },
      count: 3,
      firstTime: null,
      lastTime: null,
      records: [],
    },
    {
      check: 'first_read',
      severity: 'info',
      title: 'first read',
      detail: 'd',
      action: 'a',
      subject: {},
      count: 1,
      firstTime: null,
      lastTime: null,
      records: [],
    },
  ],
  config: {},
});

const goodChain: ChainCheck = {
  key: { value: 'KEY', source: 'previous-checkpoint' },
  from: 5,
  to: 9,
  count: 5,
  complete: true,
  skipped: undefined,
  problems: [],
};

function view(over: Partial<ReportView> = {}): ReportView {
  const input: FindingsInput = {
    unavailable: undefined,
    previous: { state: 'read', path: hostile('/checkpoint') },
    chain: goodChain,
    vaultVerification: { ok: true, count: 9, headSeq: 9, headHash: 'h', problems: [] },
    anomalies: anomalyReport(),
  };
  const findings = buildFindings(input);
  return {
    vaultUrl: 'https://vault.example.com',
    window: { since: '2026-11-22T08:00:00.000Z', until: '2026-11-22T11:30:00.000Z', basis: 'last-run' },
    credential: { kind: 'pipeline', tokenId: 'TOKENID', agent: hostile('agent-name'), revocation: 'revoked at the end of the report' },
    summary: summaryWith('x'),
    anomalies: anomalyReport(),
    findings,
    verified: isVerified(input, findings),
    failing: shouldFail(findings, 'critical'),
    failOn: 'critical',
    vaultVerification: input.vaultVerification,
    chain: goodChain,
    previous: input.previous,
    previousCheckpoint: { origin: hostile('origin'), seq: 4, hash: 'abc', time: hostile('time'), signature: 's', publicKey: 'k' },
    current: { origin: hostile('origin'), seq: 9, hash: hostile('hash'), time: '2026-11-22T11:30:00.000Z', signature: 's', publicKey: 'k' },
    checkpointFile: { state: 'written', path: hostile('/written') },
    webhook: hostile('webhook'),
    ...over,
  };
}

/** The parts of the summary outside the Mermaid block. */
function outsideMermaid(text: string): string {
  return text.replace(/```mermaid\n[\s\S]*?```/, '');
}

function expectInert(text: string) {
  const html = outsideMermaid(text);
  expect(html).not.toMatch(/<script|<img|<h1>|<\/table><h1/);
  expect(html).not.toContain('](https://evil');
  expect(html).not.toContain('`');
  expect(html).not.toContain('|');
  expect(html).not.toContain(']]');
  // Every line is markup the renderer wrote: no vault text starts a line (a heading, a command...).
  for (const line of text.split('\n')) {
    expect(line.startsWith('::')).toBe(false);
    expect(line.startsWith('#')).toBe(false);
  }
  // Every table row has the cells the renderer made, however many separators the text held.
  for (const table of html.split('<table>').slice(1)) {
    const rows =
      table
        .split('</table>')[0]
        ?.split('\n')
        .filter((l) => l.startsWith('<tr>')) ?? [];
    const widths = new Set(rows.map((r) => (r.match(/<t[dh][ >]/g) ?? []).length));
    expect(widths.size, table.slice(0, 200)).toBeLessThanOrEqual(2); // header row and data rows (facts tables: th + td)
  }
}

describe('the job summary', () => {
  it('shows every hostile vault string inert: no tag, link, cell, line or fence of its own', () => {
    const text = renderAuditSummary(view());
    expectInert(text);
    // The strings are there, escaped, not dropped.
    expect(text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(text).toContain('a&#124;b');
    expect(text).toContain('&#93;&#93;');
    expect(text).toContain('&#96;code&#96;');
    expect(text).toContain('&#38;amp;');
    // The junk "hour" is neither charted nor counted.
    expect(text).toContain('<tr><th align="left">Secret reads</th><td>5</td></tr>');
  });

  it('keeps the Mermaid block to what it writes: labels from times, numbers, fixed titles', () => {
    const text = renderAuditSummary(view());
    const block = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1] as string;
    expect(block.split('\n').filter(Boolean)).toEqual([
      'xychart-beta',
      '  title "Secret reads (bars) and refused requests (line) per hour, UTC"',
      '  x-axis ["08:00", "09:00", "10:00", "11:00"]',
      '  y-axis "Requests" 0 --> 4',
      '  bar [3, 0, 2, 0]',
      '  line [1, 0, 1, 0]',
    ]);
    // The hostile "hour" (not a time) is not counted.
    expect(block).not.toContain('99');
  });

  it('cleans a Mermaid label of anything that could end it', () => {
    expect(mermaidLabel('10:00"; click x call alert() %%{init}%% ]]\n[')).toBe('10:00 click x call alert init');
    expect(mermaidLabel('2026-11-22 10:00')).toBe('2026-11-22 10:00');
  });

  it('fits a long window into at most 48 bars, each labelled with its day', () => {
    const chart = hourlyChart({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-22T00:00:00.000Z',
      hours: [{ hour: '2026-11-03T05:00:00.000Z', requests: 3, reads: 3, denied: 0 }],
    }) as string;
    const labels = /x-axis \[(.*)\]/.exec(chart)?.[1]?.split(', ') ?? [];
    expect(labels.length).toBeLessThanOrEqual(48);
    expect(labels[0]).toBe('"11-01 00:00"');
    expect(chart).toContain('per 12 hours');
    expect(
      / bar \[(.*)\]/
        .exec(chart)?.[1]
        ?.split(', ')
        .map(Number)
        .reduce((a, b) => a + b),
    ).toBe(3);
    expect(hourlyChart({ since: 'x', until: 'y', hours: [] })).toBeUndefined();
    expect(hourlyChart({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-01T05:00:00.000Z', hours: [] })).toBeUndefined();
  });

  it('puts the findings first, a failed verification on top, and says the job fails', () => {
    const bad: ChainCheck = {
      ...goodChain,
      problems: [{ seq: 7, kind: 'hash_mismatch', message: 'Record 7 was edited: its fields no longer match its hash.' }],
    };
    const input: FindingsInput = {
      unavailable: undefined,
      previous: { state: 'read', path: '/cp' },
      chain: bad,
      vaultVerification: { ok: true, count: 9, headSeq: 9, headHash: 'h', problems: [] },
      anomalies: anomalyReport(),
    };
    const findings = buildFindings(input);
    const text = renderAuditSummary(
      view({ findings, chain: bad, verified: isVerified(input, findings), failing: shouldFail(findings, 'none'), failOn: 'none' }),
    );
    expect(text).toContain('The audit log FAILS verification');
    expect(text).toContain('a failed verification always fails it');
    const firstRow = text.split('\n').find((l) => l.startsWith('<tr><td>'));
    expect(firstRow).toContain('chain&#95;tampered');
    expect(firstRow).toContain('critical');
    expect(text.indexOf('<h4>Findings</h4>')).toBeLessThan(text.indexOf('<h4>In numbers</h4>'));
  });

  it('stays under 1 MiB however long and many the vault texts are', () => {
    const huge = 'x|<'.repeat(40_000);
    const anomalies = anomalyReport();
    anomalies.anomalies = Array.from({ length: 200 }, () => ({
      ...(anomalies.anomalies[0] as AnomalyReport['anomalies'][number]),
      title: huge,
      detail: huge,
      action: huge,
    }));
    const findings = buildFindings({
      unavailable: undefined,
      previous: { state: 'none' },
      chain: goodChain,
      vaultVerification: undefined,
      anomalies,
    });
    const text = renderAuditSummary(view({ anomalies, findings, summary: summaryWith(huge) }));
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
    expect(text).toContain(`${200 - MAX_FINDINGS_SHOWN} more finding(s)`);
    expectInert(text);
    // Past any sane size (the vault sends 15 rows a table; this is 1000), the verdict, the findings and the verification stay.
    const s = summaryWith(huge);
    s.denials = Array.from({ length: 1000 }, () => ({ code: huge, event: huge, count: 1, example: huge }));
    const cut = renderAuditSummary(view({ anomalies, findings, summary: s }));
    expect(Buffer.byteLength(cut)).toBeLessThan(1024 * 1024);
    expect(cut).toContain('too large for a job summary');
    expect(cut).toContain('<h4>Verification</h4>');
    expectInert(cut);
  });

  it('says what it could not do when the vault refused', () => {
    const input: FindingsInput = {
      unavailable: { during: 'the token exchange', message: hostile('broken') },
      previous: { state: 'read', path: '/cp' },
      chain: undefined,
      vaultVerification: undefined,
      anomalies: undefined,
    };
    const findings = buildFindings(input);
    const text = renderAuditSummary(
      view({
        findings,
        summary: undefined,
        anomalies: undefined,
        chain: undefined,
        vaultVerification: undefined,
        current: undefined,
        window: undefined,
        credential: { kind: 'none' },
        checkpointFile: { state: 'kept', path: '/cp', reason: 'the vault signed no new checkpoint.' },
        verified: false,
        failing: true,
      }),
    );
    expect(text).toContain('The vault reports its audit log broken');
    expect(text).toContain('No summary: the vault refused it');
    expect(text).toContain('the previous checkpoint was kept');
    expectInert(text);
  });
});

describe('the findings', () => {
  const chainWith = (kinds: string[]): ChainCheck => ({
    ...goodChain,
    problems: kinds.map((kind, i) => ({ seq: i + 1, kind: kind as ChainCheck['problems'][number]['kind'], message: `problem ${kind}` })),
  });
  const base: FindingsInput = {
    unavailable: undefined,
    previous: { state: 'read', path: '/cp' },
    chain: goodChain,
    vaultVerification: { ok: true, count: 1, headSeq: 1, headHash: 'h', problems: [] },
    anomalies: anomalyReport(),
  };

  it('puts verification failures first, then critical, warning, info; the vault’s chain_broken is always critical', () => {
    const anomalies = anomalyReport();
    anomalies.anomalies.push({
      ...(anomalies.anomalies[1] as AnomalyReport['anomalies'][number]),
      check: 'chain_broken',
      severity: 'warning',
      title: 'broken',
    });
    anomalies.anomalies.unshift({
      ...(anomalies.anomalies[1] as AnomalyReport['anomalies'][number]),
      check: 'lockout',
      severity: 'critical',
      title: 'lockout',
    });
    const f = buildFindings({
      ...base,
      unavailable: { during: 'the summary', message: 'm' },
      chain: chainWith(['hash_mismatch', 'truncated', 'checkpoint_signature_invalid', 'gap']),
      vaultVerification: {
        ok: false,
        count: 3,
        headSeq: 3,
        headHash: 'h',
        problems: [{ seq: 2, kind: 'hash_mismatch', message: 'vault says' }],
      },
      anomalies,
    });
    expect(f.map((x) => x.check)).toEqual([
      'audit_unavailable',
      'chain_tampered',
      'log_rolled_back',
      'checkpoint_signature',
      'vault_verification',
      'chain_broken',
      'lockout',
      'unexpected_pipeline',
      'first_read',
    ]);
    expect(f.filter((x) => x.verification).every((x) => x.severity === 'critical')).toBe(true);
    expect(f.find((x) => x.check === 'chain_tampered')?.count).toBe(2);
  });

  it('fails the job on a failed verification even with fail-on none, else at or above fail-on', () => {
    const clean = buildFindings(base);
    expect(shouldFail(clean, 'none')).toBe(false);
    expect(shouldFail(clean, 'critical')).toBe(false);
    expect(shouldFail(clean, 'warning')).toBe(true);
    expect(shouldFail(clean, 'info')).toBe(true);
    const broken = buildFindings({ ...base, chain: chainWith(['hash_mismatch']) });
    expect(shouldFail(broken, 'none')).toBe(true);
    const unreadable = buildFindings({ ...base, previous: { state: 'unreadable', path: '/cp', reason: 'it is not JSON.' } });
    expect(unreadable[0]).toMatchObject({ check: 'checkpoint_unreadable', severity: 'critical', verification: true });
  });

  it('is verified only when everything was checked, completely, and passed', () => {
    expect(isVerified(base, buildFindings(base))).toBe(true);
    const partial = { ...base, chain: { ...goodChain, complete: false, skipped: { from: 10, to: 20 } } };
    const pf = buildFindings(partial);
    expect(pf[0]).toMatchObject({ check: 'verification_partial', severity: 'warning', count: 11 });
    expect(isVerified(partial, pf)).toBe(false);
    expect(isVerified({ ...base, vaultVerification: undefined }, buildFindings({ ...base, vaultVerification: undefined }))).toBe(false);
    expect(isVerified({ ...base, chain: undefined }, buildFindings({ ...base, chain: undefined }))).toBe(false);
  });

  it('the anomalies output is compact: check, severity, title, subject, count', () => {
    const out = compactFindings(buildFindings(base));
    expect(out[0]).toEqual({
      check: 'unexpected_pipeline',
      severity: 'warning',
      title: hostile('title'),
      subject: { repository: hostile('subject') },
      count: 3,
    });
    expect(Object.keys(out[0] as object).sort()).toEqual(['check', 'count', 'severity', 'subject', 'title']);
  });
});

describe('the webhook notice', () => {
  const findings: Finding[] = buildFindings({
    unavailable: undefined,
    previous: { state: 'none' },
    chain: goodChain,
    vaultVerification: { ok: true, count: 1, headSeq: 1, headHash: 'h', problems: [] },
    anomalies: anomalyReport(),
  });

  it('posts warnings and worse, or everything with fail-on info', () => {
    expect(noticeFindings(findings, 'critical').map((f) => f.check)).toEqual(['unexpected_pipeline']);
    expect(noticeFindings(findings, 'none').map((f) => f.check)).toEqual(['unexpected_pipeline']);
    expect(noticeFindings(findings, 'info').map((f) => f.check)).toEqual(['unexpected_pipeline', 'first_read']);
  });

  it('is Slack mrkdwn that no vault text can turn into a mention, a link or extra lines', () => {
    const body = JSON.parse(
      noticeBody(findings, {
        vaultUrl: 'https://vault.example.com',
        verified: true,
        runUrl: 'https://github.com/o/r/actions/runs/1',
        window: undefined,
      }),
    );
    const rendered = JSON.stringify([body.text, body.blocks]);
    expect(rendered).not.toMatch(/<script|<img|<!channel>|<https:\/\/evil/);
    expect(rendered).toContain('&lt;script&gt;');
    for (const b of body.blocks as { type: string; text?: { text: string } }[]) {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      // A finding is three lines: title, detail, what to do; the vault's line breaks are flattened.
      if (b.text?.text.includes('unexpected_pipeline')) expect(b.text.text.split('\n')).toHaveLength(3);
    }
    expect(rendered).toContain('<https://github.com/o/r/actions/runs/1|The full report>');
    expect(body.findings[0]).toMatchObject({ check: 'unexpected_pipeline', severity: 'warning' });
  });
});
