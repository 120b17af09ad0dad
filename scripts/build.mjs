#!/usr/bin/env node
// Bundles every entry point with @vercel/ncc into dist/ (or the directory given as the first
// argument, which the dist-freshness test uses to rebuild into a temporary folder and compare).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Entry points: source file → output folder under dist/. Keep in step with the action.yml files. */
export const ENTRIES = [
  { src: 'src/cli/index.ts', out: 'cli' },
  { src: 'src/actions/fetch/main.ts', out: 'fetch/main' },
  { src: 'src/actions/fetch/post.ts', out: 'fetch/post' },
  { src: 'src/actions/scan/main.ts', out: 'scan' },
];

async function exists(p) {
  try {
    await import('node:fs').then((fs) => fs.promises.access(p));
    return true;
  } catch {
    return false;
  }
}

export async function build(outDir = path.join(root, 'dist'), only) {
  await rm(outDir, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    if (only && !only.includes(entry.out)) continue;
    const src = path.join(root, entry.src);
    if (!(await exists(src))) continue;
    const { code, assets } = await ncc(src, {
      cache: false,
      minify: false,
      sourceMap: false,
      quiet: true,
      target: 'es2023',
      transpileOnly: true,
    });
    const dir = path.join(outDir, entry.out);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), code);
    for (const [name, asset] of Object.entries(assets ?? {})) {
      if (name === 'package.json') continue;
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, asset.source, asset.permissions ? { mode: asset.permissions } : undefined);
    }
    // The bundles are ES modules; a package.json beside each one tells Node so.
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  await build(outDir);
}
