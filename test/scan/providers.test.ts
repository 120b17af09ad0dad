/**
 * The provider rules (src/scan/rules-*.ts) on their labelled set (test/helpers/provider-cases.ts):
 * every rule has true examples and near-misses, finds the first on several independent draws and
 * reports none of the second; structure checks (Microsoft's Marvin32 checksums) agree with
 * Microsoft's published test vectors; every expression is linear by construction.
 */
import { describe, expect, it } from 'vitest';
import {
  looksLikeAzureIdentifiableKey,
  marvin32,
  marvinSeed,
  validAzureIdentifiableKey,
  validSasSignature,
} from '../../src/scan/checksum.js';
import { compileRules } from '../../src/scan/engine.js';
import { scanString } from '../../src/scan/index.js';
import { regexShapeProblems } from '../../src/scan/regex-safety.js';
import { RULES } from '../../src/scan/rules.js';
import { FAMILIES, PROVIDER_RULES, ruleFamily } from '../../src/scan/rules-providers.js';
import { PROVIDER_SPECS, providerNearMisses, providerPositives } from '../helpers/provider-cases.js';

const DRAWS = [11, 222, 3333];

describe('provider rules: coverage', () => {
  it('bring the rule set to at least 250 credential types, every id unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(250);
    expect(PROVIDER_RULES.length).toBeGreaterThanOrEqual(144);
  });

  it('each new rule has a labelled true example and at least one near-miss, and each case names a real rule', () => {
    const specIds = PROVIDER_SPECS.map((s) => s.id);
    expect(new Set(specIds).size).toBe(specIds.length);
    expect([...specIds].sort()).toEqual(PROVIDER_RULES.map((r) => r.id).sort());
    const pos = new Set(providerPositives().map((c) => c.ruleId));
    const miss = new Set(providerNearMisses().map((c) => c.ruleId));
    for (const r of PROVIDER_RULES) {
      expect(pos.has(r.id), r.id).toBe(true);
      expect(miss.has(r.id), r.id).toBe(true);
    }
  });

  it('every rule belongs to a family, and only the name = value rules are generic', () => {
    const generic = RULES.filter((r) => ruleFamily(r) === 'generic').map((r) => r.id);
    expect(generic.sort()).toEqual(['generic-secret-assignment', 'generic-secret-config', 'jwt', 'url-credentials']);
    for (const f of FAMILIES)
      if (f !== 'generic')
        expect(
          RULES.some((r) => ruleFamily(r) === f),
          f,
        ).toBe(true);
  });

  it.each([
    'azure-storage-identifiable-key',
    'azure-sas-token',
    'azure-ad-client-secret',
    'azure-container-registry-key',
    'azure-function-key',
    'azure-apim-key',
    'azure-app-configuration-connection-string',
    'new-relic-license-key',
    'atlassian-api-token',
    'atlassian-data-center-pat',
    'postman-api-key',
    'notion-legacy-integration-token',
    'notion-integration-token',
    'bitbucket-access-token',
    'discord-bot-token',
    'sendgrid-api-key',
    'mailgun-private-key',
    'slack-legacy-bot-token',
    'slack-legacy-token',
    'slack-legacy-webhook-url',
    'gitlab-runner-token',
    'gitlab-cicd-job-token',
    'gitlab-feed-token',
    'gitlab-deploy-token',
    'gitlab-kubernetes-agent-token',
    'gitlab-oauth-app-secret',
    'gitlab-incoming-mail-token',
    'gitlab-scim-token',
    'cloudflare-origin-ca-key',
    'vault-service-token',
    'vault-recovery-token',
    'onepassword-service-account-token',
    'onepassword-connect-token',
    'fly-io-macaroon',
    'pulumi-access-token',
    'supabase-access-token',
    'supabase-service-role-key',
    'jdbc-connection-string',
    'database-connection-string',
    'sqlserver-connection-string',
    'npmrc-auth-token-inline',
    'nuget-config-password',
    'docker-config-auth',
    'docker-config-json-base64',
  ])('the issue names it and it exists: %s', (id) => {
    expect(RULES.some((r) => r.id === id)).toBe(true);
  });
});

describe('provider rules: the labelled set', () => {
  it.each(DRAWS)('draw %i: every true example is reported once, by its rule', (seed) => {
    const wrong: string[] = [];
    for (const c of providerPositives(seed)) {
      const found = scanString(c.text, c.path ?? 'case.txt').findings;
      if (found.length !== 1 || found[0]!.ruleId !== c.ruleId) wrong.push(`${c.ruleId}: ${JSON.stringify(found.map((f) => f.ruleId))}`);
      else expect(found[0]!.preview).not.toContain(c.secret);
    }
    expect(wrong).toEqual([]);
  });

  it.each(DRAWS)('draw %i: no near-miss is reported (except by the broader rule it names)', (seed) => {
    const wrong: string[] = [];
    for (const c of providerNearMisses(seed)) {
      const found = scanString(c.text, c.path ?? 'case.txt').findings.map((f) => f.ruleId);
      const unexpected = found.filter((id) => !(c.reportedBy ?? []).includes(id));
      if (unexpected.length) wrong.push(`${c.name}: ${JSON.stringify(unexpected)}`);
      // A near-miss said to be reported by a broader rule is: the test would hide nothing.
      if (c.reportedBy) expect(found, c.name).toEqual(c.reportedBy);
    }
    expect(wrong).toEqual([]);
  });

  it('each true example holds one of its rule keywords (the prefilter would let it through)', () => {
    const byId = new Map(RULES.map((r) => [r.id, r]));
    for (const c of providerPositives()) {
      const rule = byId.get(c.ruleId)!;
      expect(
        rule.keywords.some((k) => c.text.toLowerCase().includes(k)),
        c.ruleId,
      ).toBe(true);
    }
  });

  it('a true example inside a generic assignment is reported by its provider rule, not the generic one', () => {
    const c = providerPositives(5).find((p) => p.ruleId === 'postman-collection-access-key')!;
    const [f] = scanString(`const apiToken = "${c.secret}";`, 'a.ts').findings;
    expect(f?.ruleId).toBe('postman-collection-access-key');
  });
});

describe('provider rules: linear-time construction', () => {
  it('no expression repeats without an upper bound, nests repetitions, or puts two repetitions of the same characters side by side', () => {
    const problems = PROVIDER_RULES.flatMap((r) =>
      regexShapeProblems(r.pattern.source, { strict: true }).map((p) => `${r.id}: ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('every keyword is lower-case ASCII and compiles into the prefilter', () => {
    for (const r of PROVIDER_RULES) for (const k of r.keywords) expect(k, r.id).toMatch(/^[\x20-\x7e]+$/);
    for (const r of PROVIDER_RULES) for (const k of r.keywords) expect(k, r.id).toBe(k.toLowerCase());
    expect(compileRules(RULES).automaton.keywords.length).toBeGreaterThan(300);
  });
});

describe('checksums: Marvin32 and Azure identifiable keys', () => {
  // Test vectors published with Microsoft's Marvin implementations (microsoft/security-utilities, MIT).
  it.each([
    [0xd53cd9cecd0893b7n, [...Buffer.from('abc')], 0x6be02a86],
    [0xddddeeeeffff000n, [...Buffer.from('abcdefghijklmnopqrstuvwxyz')], 0xd34847dc],
    [0x004fb61a001bdbccn, [], 0x302009bc],
    [0x004fb61a001bdbccn, [175], 0x3592e206],
    [0x004fb61a001bdbccn, [231, 15], 0xfdab5e04],
    [0x004fb61a001bdbccn, [55, 244, 149], 0x6b3c8b90],
    [0x004fb61a001bdbccn, [134, 66, 220, 89], 0x0e9407be],
    [0x004fb61a001bdbccn, [21, 63, 183, 152, 38], 0x446f25fa],
    [0x004fb61a001bdbccn, [171, 66, 126, 168, 209, 15, 199], 0x117fcba5],
  ])('marvin32(seed %s, %j) = %s', (seed, bytes, expected) => {
    expect(marvin32(Uint8Array.from(bytes), seed)).toBe(expected);
  });

  it('seeds come from the kind name (the storage seed is "Default0")', () => {
    expect(marvinSeed('Default0')).toBe(0x44656661756c7430n);
  });

  // Microsoft's own test keys (a run of one character, a signature, a valid checksum). They are
  // placeholders to the scanner (a run of one character), which is why they can live here.
  it.each([
    [`${'a'.repeat(33)}+ASbHpHeAI=`, 0x53656e6430303030n],
    [`${'a'.repeat(33)}AIoTOumzco=`, 0x496f544875623030n],
    [`${'a'.repeat(42)}AzSeCjhzCu`, 0x5175657279303030n],
    [`${'a'.repeat(76)}+ASt5mnCaw==`, 0x44656661756c7430n],
    [`${'a'.repeat(76)}APIMHbKhsQ==`, 0x54656e616e743030n],
    [`${'d'.repeat(42)}+ACRCUDxQE`, 0x41435244666c7430n],
    [`${'d'.repeat(44)}AzFu182vhA==`, 0x53797374656d3030n],
  ])('validates Microsoft test key %s', (key, seed) => {
    expect(validAzureIdentifiableKey(key, [seed])).toBe(true);
    expect(looksLikeAzureIdentifiableKey(key)).toBe(true);
    const flipped = `${key.slice(0, 3)}b${key.slice(4)}`;
    expect(validAzureIdentifiableKey(flipped, [seed])).toBe(false);
    expect(validAzureIdentifiableKey(key, [seed + 1n])).toBe(false);
  });

  it('a SAS signature must decode to the 32 bytes of an HMAC-SHA256', () => {
    expect(validSasSignature(encodeURIComponent(Buffer.alloc(32, 7).toString('base64')))).toBe(true);
    expect(validSasSignature(encodeURIComponent(Buffer.alloc(31, 7).toString('base64')))).toBe(false);
    expect(validSasSignature('%E0%A4%A')).toBe(false);
  });
});
