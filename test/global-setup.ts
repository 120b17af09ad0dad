import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Builds every bundle once per test run into a scratch folder, so the tests that run bundles
 * (the way the runner runs them) and the dist-freshness test share one build instead of each
 * paying for its own. The folder is published as ASS_TEST_DIST (forked workers inherit it).
 */
export default async function setup() {
  const root = path.resolve(import.meta.dirname, '..');
  const out = path.join(root, 'node_modules', '.cache', `ass-test-dist-${process.pid}`);
  await mkdir(path.dirname(out), { recursive: true });
  const { build } = (await import(path.join(root, 'scripts/build.mjs'))) as { build: (dir: string) => Promise<void> };
  await build(out);
  process.env.ASS_TEST_DIST = out;
  return async () => {
    await rm(out, { recursive: true, force: true });
  };
}
