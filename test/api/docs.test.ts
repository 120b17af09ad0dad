import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { README_TABLE_BEGIN, README_TABLE_END, renderApiReference, renderReadme, renderSchema } from '../../src/api/docs.js';
import { API } from '../../src/api/routes.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { AUDIT_EVENTS } from '../../src/core/model.js';

const root = path.resolve(import.meta.dirname, '../..');
const REGENERATE = 'run `npm run docs:api` and commit docs/api.md and README.md';
const read = (file: string) => readFile(path.join(root, file), 'utf8');

/** A route's section in docs/api.md, from its heading to the next one. */
function section(doc: string, method: string, template: string): string {
  const start = doc.indexOf(`### \`${method} ${template}\`\n`);
  expect(start, `${method} ${template} has no section`).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n#', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

describe('docs/api.md', () => {
  it(`matches a fresh render of the API declarations (if not, ${REGENERATE})`, async () => {
    // Compared as a whole rather than with toBe, so a stale file fails with the command to run, not a 900-line diff.
    const stale = (await read('docs/api.md')) !== renderApiReference();
    expect(stale, `docs/api.md is stale: ${REGENERATE}`).toBe(false);
  });

  it(`the README's route table matches a fresh render (if not, ${REGENERATE})`, async () => {
    const readme = await read('README.md');
    expect(readme).toContain(README_TABLE_BEGIN);
    expect(readme).toContain(README_TABLE_END);
    expect(readme === renderReadme(readme), `README.md's route table is stale: ${REGENERATE}`).toBe(true);
  });

  it('has a section for every route, and the README table links to each', async () => {
    const [doc, readme] = await Promise.all([read('docs/api.md'), read('README.md')]);
    for (const def of Object.values(API)) {
      section(doc, def.method, def.path);
      expect(readme).toContain(`[\`${def.method} ${def.path}\`](docs/api.md#`);
    }
  });

  it('README.md and docs/architecture.md link to docs/api.md', async () => {
    expect(await read('README.md')).toContain('](docs/api.md)');
    expect(await read('docs/architecture.md')).toContain('](api.md)');
  });

  it("states each route's policy as declared: roles, tokens with the scope on which path, uses, event", () => {
    const doc = renderApiReference();
    const health = section(doc, 'GET', '/v1/health');
    expect(health).toContain('anyone; no credential needed');
    expect(health).toContain('none (not audited)');

    const getSecret = section(doc, 'GET', '/v1/secrets/{path+}');
    expect(getSecret).toContain('users with the `admin` or `editor` role');
    expect(getSecret).toContain('a `secrets:read:…` scope covering the path parameter `path`');
    expect(getSecret).toContain('**Token uses:** 1 per request.');
    expect(getSecret).toContain('`secret.read`');

    // Both derived from the access functions: which body fields they read, and that uses are their sum.
    const batch = section(doc, 'POST', '/v1/batch/read');
    expect(batch).toContain('covering each entry of the body field `paths`');
    expect(batch).toContain('covering everything below each entry of the body field `prefixes`');
    expect(batch).toContain('**Token uses:** one per entry of the body field `paths` and the body field `prefixes`.');

    const listTokens = section(doc, 'GET', '/v1/tokens');
    expect(listTokens).toContain('users with the `admin` role.');
    expect(listTokens).not.toContain('Token uses');

    expect(section(doc, 'GET', '/v1/metadata')).toContain('any `secrets:list:…` scope; the answer shows only what its scopes cover');
    expect(section(doc, 'GET', '/v1/audit/verify')).toContain('answers even when its audit record cannot be written');
  });

  it('renders request parts in their wire form and responses as sent', () => {
    const doc = renderApiReference();
    // A codec: text on the wire, its decoded range in words instead of the digit pattern.
    expect(section(doc, 'GET', '/v1/audit')).toContain('  limit?: string  // a whole number, 1–100000\n');
    // A transform (ttl) shows its input; a strict object its optional fields with `?`.
    const issue = section(doc, 'POST', '/v1/tokens');
    expect(issue).toContain('  ttl: string | number  // ');
    expect(issue).toContain('  maxUses?: integer  // 1–1000000\n');
    expect(issue).toContain('Response: [`IssuedToken`](#issuedtoken).');
    // Enums, nullable fields and named types.
    expect(section(doc, 'POST', '/v1/users')).toContain("  role: 'admin' | 'editor' | 'viewer' | 'auditor'\n");
    expect(doc).toContain('  trustPolicy: TrustPolicy | null\n');
    expect(doc).toContain('### `Token`');
    expect(doc).not.toContain('"type":');
  });

  it('shows a codec as its wire form in requests and its decoded form in responses; a response transform falls back to its input', () => {
    const flag = z.codec(z.enum(['true', 'false']), z.boolean(), { decode: (s) => s === 'true', encode: (b) => (b ? 'true' : 'false') });
    const schema = z.object({ flag, size: z.string().transform((s) => s.length) });
    expect(renderSchema('Query parameters', schema, 'input')).toContain("{flag: 'true' | 'false', size: string}");
    expect(renderSchema('Response', z.object({ flag }), 'output')).toContain('{flag: boolean}');
    const fallback = renderSchema('Response', schema, 'output');
    expect(fallback).toContain('Response (as the server builds it, before a transform the reference cannot show):');
    expect(fallback).toContain("{flag: 'true' | 'false', size: string}");
  });

  it('lists every error code with its HTTP status and exit code, and every audit event', () => {
    const doc = renderApiReference();
    for (const [code, { status, exit }] of Object.entries(ERROR_CODES)) {
      expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| ${status} \\| ${exit} \\(`, 'm'));
    }
    for (const event of AUDIT_EVENTS) expect(doc).toMatch(new RegExp(`^\\| \`${event.replace('.', '\\.')}\` \\| \\S`, 'm'));
  });

  it('every route a Markdown file names exists, and no hand-written table lists routes', async () => {
    const routes = new Set(Object.values(API).map((d) => `${d.method} ${d.path.replace(/\{(\w+)\+\}/g, '{$1}')}`));
    const files = ['README.md', ...(await readdir(path.join(root, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const unknown: string[] = [];
    const tables: string[] = [];
    for (const file of files) {
      const text = await read(file);
      for (const m of text.matchAll(/\b(GET|POST|PUT|DELETE) (\/v1\/[^\s`|)]*)/g)) {
        const mention = `${m[1]} ${(m[2] as string).replace(/\{(\w+)\+\}/g, '{$1}')}`;
        if (!routes.has(mention)) unknown.push(`${file}: ${mention}`);
      }
      if (file === 'docs/api.md') continue;
      const handWritten = file === 'README.md' ? text.replace(/<!-- api-table:begin -->[\s\S]*<!-- api-table:end -->/, '') : text;
      for (const line of handWritten.split('\n')) {
        if (/^\|\s*\[?`?(GET|POST|PUT|DELETE) \/v1/.test(line)) tables.push(`${file}: ${line.slice(0, 60)}`);
      }
    }
    expect(unknown, 'these name no declared route').toEqual([]);
    expect(tables, `route tables are generated: ${REGENERATE}`).toEqual([]);
  });

  it('npm run docs:api runs on Node 24 without a build step, and finds nothing stale', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/api-docs.mjs', '--check'], { cwd: root });
    expect(stdout).toContain('up to date');
  });
});
