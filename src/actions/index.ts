/**
 * The one bundle behind every action step (github/codeql-action's pattern). scripts/build.mjs
 * bundles this file into dist/actions/index.js and writes a stub per step, dist/actions/<step>.js,
 * that imports it and calls run('<step>'); each action.yml points at its stubs. Each step's code is
 * loaded with import(), which ncc turns into chunks, so a step loads only the modules it uses while
 * the actions share one copy of each. A new action or step costs one line in STEPS.
 */
import { fileURLToPath } from 'node:url';
import { isScanWorker, registerScanWorkerScript } from '../scan/worker-script.js';

/** This file: the scan's worker threads start it too (see the end of the file). */
const BUNDLE = fileURLToPath(import.meta.url);

const STEPS = {
  'fetch-main': async () => (await import('./fetch/main.js')).runMain(),
  'fetch-post': async () => (await import('./fetch/post.js')).runPost(),
  'rotate-main': async () => (await import('./rotate/main.js')).runMain(),
  'rotate-post': async () => (await import('./rotate/post.js')).runPost(),
  'audit-main': async () => (await import('./audit/main.js')).runMain(),
  'audit-post': async () => (await import('./audit/post.js')).runPost(),
  scan: async () => {
    registerScanWorkerScript(BUNDLE);
    await (await import('./scan/main.js')).run();
  },
} satisfies Record<string, () => Promise<void>>;

export type StepName = keyof typeof STEPS;

/** Every step; the build writes one stub for each. */
export const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** Runs one step. Steps report their own failures (core.setFailed) and do not throw. */
export async function run(step: StepName): Promise<void> {
  const load: (() => Promise<void>) | undefined = STEPS[step];
  if (!load) throw new Error(`Unknown action step ${JSON.stringify(step)}: the stubs in dist/actions are stale; run npm run build.`);
  await load();
}

// A scan worker thread runs this file rather than a step's stub, so it loads the scanner's chunk
// and not the action around it (@actions/core, @actions/github...).
if (isScanWorker()) (await import('../scan/pool.js')).runScanWorker();
