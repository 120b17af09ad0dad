#!/usr/bin/env node
// npm run docs:api — writes docs/api.md and the route table in README.md from the API declarations
// (src/api/docs.ts renders both). `--check` writes nothing and exits 1 when either is stale;
// test/api/docs.test.ts does the same comparison in the test suite.
//
// The renderer is TypeScript, loaded as it is: Node 24 strips the types, but it resolves an import
// of './x.js' literally, and the sources name their imports that way (tsc and the bundler map them
// to './x.ts'). The resolve hook below does the same mapping, for imports made from .ts files only.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const ts = new URL(`${specifier.slice(0, -'.js'.length)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
    }
    return next(specifier, context);
  },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { renderApiReference, renderReadme } = await import('../src/api/docs.ts');

const check = process.argv.includes('--check');
const targets = [
  { file: 'docs/api.md', render: () => renderApiReference() },
  { file: 'README.md', render: (current) => renderReadme(current) },
];

const stale = [];
for (const { file, render } of targets) {
  const full = path.join(root, file);
  const current = await readFile(full, 'utf8');
  const fresh = render(current);
  if (fresh === current) continue;
  stale.push(file);
  if (!check) await writeFile(full, fresh);
}

if (check && stale.length) {
  console.error(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run npm run docs:api and commit the result.`);
  process.exit(1);
}
console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'API docs are up to date.');
