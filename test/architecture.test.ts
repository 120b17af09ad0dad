/**
 * The layering of src/ (docs/architecture.md), checked on every import, static or dynamic: pure
 * code stays pure, the API definition is shared by server and clients, and the clients (the CLI
 * and the actions) never reach into the server or the store, except that the CLI's operator
 * commands load the server through one lazy module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every module a file imports: relative ones as src-relative folders ('core', 'server', ...), packages by name. */
function imports(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specs = [
    // Type-only imports vanish from the build; they are not dependencies.
    ...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1] as string);
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    if (spec.startsWith('.')) local.push(path.relative(src, path.resolve(path.dirname(file), spec)).split(path.sep)[0] as string);
    else
      packages.push(
        spec.startsWith('node:') ? 'node:' : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string),
      );
  }
  return { local, packages };
}

const RULES: Record<string, { local: string[]; packages: string[] }> = {
  core: { local: ['core'], packages: ['node:', 'ipaddr.js'] },
  api: { local: ['api', 'core'], packages: ['zod'] },
  client: { local: ['client', 'api', 'core'], packages: ['undici', 'zod'] },
  store: { local: ['store', 'core'], packages: ['node:', 'pg'] },
  scan: { local: ['scan', 'core'], packages: ['node:', 'zod'] },
  // rotation and client: `ass server --rotate` runs the rotation engine against itself over loopback (docs/architecture.md).
  server: { local: ['server', 'api', 'core', 'store', 'rotation', 'client'], packages: ['node:', 'zod', 'jose', 'pg', 'undici'] },
  rotation: {
    local: ['rotation', 'client', 'api', 'core'],
    packages: ['node:', 'zod', 'undici', 'pg', '@actions/github', 'libsodium-wrappers'],
  },
  cli: { local: ['cli', 'api', 'client', 'core', 'scan', 'rotation'], packages: ['node:', 'zod'] },
  actions: {
    local: ['actions', 'api', 'client', 'core', 'scan', 'rotation'],
    packages: ['node:', 'zod', 'undici', '@actions/core', '@actions/github'],
  },
};

describe('the layers of src/', () => {
  const all = files(src);

  it('every file belongs to a known layer', () => {
    const layers = new Set(all.map((f) => path.relative(src, f).split(path.sep)[0]));
    expect([...layers].sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(Object.keys(RULES))('%s imports only what its layer may', (layer) => {
    const rule = RULES[layer] as { local: string[]; packages: string[] };
    const broken: string[] = [];
    for (const file of all.filter((f) => path.relative(src, f).startsWith(`${layer}${path.sep}`))) {
      const rel = path.relative(root, file);
      const { local, packages } = imports(file);
      // The one door from the CLI to the server: `ass init`, `ass server` and `ass rekey`, loaded lazily.
      const allowedLocal = rel === path.join('src', 'cli', 'server-module.ts') ? [...rule.local, 'server'] : rule.local;
      for (const l of local) if (!allowedLocal.includes(l)) broken.push(`${rel} imports src/${l}`);
      for (const p of packages) if (!rule.packages.includes(p)) broken.push(`${rel} imports ${p}`);
    }
    expect(broken).toEqual([]);
  });

  it('the CLI reaches the server only through a dynamic import', () => {
    const text = readFileSync(path.join(src, 'cli', 'server-module.ts'), 'utf8');
    expect(text).not.toMatch(/^\s*import\s(?!type)[^;]*from\s+'\.\.\/server/m);
    expect(text).toMatch(/import\('\.\.\/server\/index\.js'\)/);
  });
});
