import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

async function files(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

describe('committed dist/', () => {
  it('matches a fresh build of the sources byte for byte (run `npm run build` and commit dist/ if not)', async () => {
    const fresh = process.env.ASS_TEST_DIST;
    expect(fresh, 'the global setup did not build the bundles').toBeTruthy();
    const committed = await files(path.join(root, 'dist'));
    const built = await files(fresh as string);
    expect(committed).toEqual(built);
    const stale: string[] = [];
    for (const f of built) {
      const [a, b] = await Promise.all([readFile(path.join(root, 'dist', f)), readFile(path.join(fresh as string, f))]);
      if (!a.equals(b)) stale.push(f);
    }
    expect(stale, 'these bundles differ from a fresh build: run `npm run build` and commit dist/').toEqual([]);
  });

  it('every action.yml points at a bundle that exists', async () => {
    for (const yml of ['action.yml', 'scan/action.yml']) {
      const text = await readFile(path.join(root, yml), 'utf8');
      expect(text).toMatch(/using: '?node24'?/);
      for (const m of text.matchAll(/^\s+(?:main|post): '?([^'\s]+)'?$/gm)) {
        const target = path.resolve(root, path.dirname(yml), m[1] as string);
        expect((await files(path.dirname(target))).includes(path.basename(target)), `${yml} → ${m[1]}`).toBe(true);
      }
    }
  });
});
