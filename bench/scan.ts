// npm run bench:scan — throughput and accuracy of `ass scan` beside secretlint 13 (recommended
// preset) on the same corpus in the same run, plus a PR-diff scan timed with process start-up.
//
// Corpus: a copy of this project's node_modules (real third-party code, capped at BENCH_MB, default
// 100 MB; nested node_modules folders renamed so neither tool skips them) with planted credentials
// (a known list) and look-alike decoys. Every reported line that is not a planted one counts as
// false. Then the worst case on inputs built to stall a rule (bench/scan-adversarial.ts). Prints
// figures; asserts nothing. Env: BENCH_RUNS (default 3), BENCH_MB (default 100).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.corpus');
const runs = Math.max(1, Math.min(9, Number(process.env.BENCH_RUNS ?? 3)));
const capBytes = Math.max(1, Math.min(400, Number(process.env.BENCH_MB ?? 100))) * 1e6;
const node = process.execPath;
const TIMEOUT = 600_000;

// ---- deterministic fake credentials ----
let seed = 20260101;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
function r(n: number, a = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(rand() * a.length)];
  return s;
}
function b62(v: number, w: number): string {
  let s = '';
  let x = v >>> 0;
  while (x > 0) {
    s = ALNUM[x % 62] + s;
    x = Math.floor(x / 62);
  }
  return s.padStart(w, '0');
}
const gh = (p: string) => {
  const body = r(30);
  return `${p}${body}${b62(crc32(body), 6)}`;
};
const ass = (k: string) => {
  const body = `ass_${k}_${r(59)}`;
  return body + b62(crc32(body), 6);
};
const pem = () => {
  const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r(900, B64)}`.match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
};

/** Each planted credential: the line(s) to add; the first line is where a finding is expected. */
const PLANTS: Array<{ kind: string; text: () => string }> = [
  { kind: 'github-pat', text: () => `const githubToken = "${gh('ghp_')}";` },
  { kind: 'github-app', text: () => `  token: '${gh('ghs_')}',` },
  { kind: 'npm', text: () => `//registry.npmjs.org/:_authToken=${gh('npm_')}` },
  {
    kind: 'aws-pair',
    text: () =>
      `const creds = { accessKeyId: "AKIA${r(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}", aws_secret_access_key: "${r(40, B64)}" };`,
  },
  { kind: 'slack', text: () => `const SLACK = "xoxb-${r(12, '0123456789')}-${r(13, '0123456789')}-${r(24)}";` },
  { kind: 'stripe', text: () => `stripe(process.env.X || "sk_live_${r(32)}");` },
  { kind: 'openai', text: () => `const openai = new OpenAI({ apiKey: "sk-proj-${r(60)}T3BlbkFJ${r(60)}" });` },
  { kind: 'anthropic', text: () => `ANTHROPIC_API_KEY = "sk-ant-api03-${r(93, `${ALNUM}_-`)}AA"` },
  { kind: 'google', text: () => `const mapsKey = "AIza${r(35)}";` },
  { kind: 'gitlab', text: () => `const gl = "glpat-${r(20)}";` },
  { kind: 'sendgrid', text: () => `sgMail.setApiKey("SG.${r(22)}.${r(43)}");` },
  { kind: 'postgres', text: () => `const url = "postgres://app:${r(18)}@db.prod.internal:5432/app";` },
  { kind: 'ass', text: () => `const vaultToken = "${ass('a')}";` },
  { kind: 'generic-password', text: () => `const dbPassword = "${r(6)}#${r(9)}";` },
  { kind: 'shopify', text: () => `const shop = "shpat_${r(32, HEX)}";` },
  { kind: 'private-key', text: () => `const key = \`${pem()}\`;` },
];
/** Look-alikes that a careful scanner does not report. */
const DECOYS: Array<() => string> = [
  () => {
    const t = gh('ghp_');
    return `const fixture = "${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}"; // wrong checksum`;
  },
  () => {
    const t = gh('npm_');
    return `const npmFixture = "${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}";`;
  },
  () => 'const apiKey = process.env.OPENAI_API_KEY;',
  () => 'token: ${{ secrets.GITHUB_TOKEN }}',
  () => 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  () => `const publishable = "pk_live_${r(24)}";`,
  () => `"integrity": "sha512-${r(86, B64)}=="`,
  () => 'const apiKey = "your-api-key-here";',
  () => `const sessionToken = "${r(8, HEX)}-${r(4, HEX)}-4${r(3, HEX)}-a${r(3, HEX)}-${r(12, HEX)}";`,
  () => `-----BEGIN PRIVATE KEY-----\n${r(64, B64)}\n${r(40, B64)}\n-----END PRIVATE KEY-----`,
];

interface Planted {
  file: string;
  line: number;
  kind: string;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function buildCorpus(): { tree: string; planted: Planted[]; bytes: number; files: number } {
  const tree = path.join(work, 'tree');
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const src = path.join(root, 'node_modules');
  let bytes = 0;
  let files = 0;
  const textish =
    /\.(?:js|mjs|cjs|ts|mts|cts|jsx|tsx|json|md|markdown|txt|yml|yaml|map|css|html|d\.ts|flow|sh|LICENSE)$|(?:^|\/)(?:LICENSE|README|CHANGELOG)[^/]*$/i;
  for (const rel of listFiles(src)) {
    if (bytes >= capBytes) break;
    if (rel.startsWith('.') || rel.startsWith('node/') || rel.startsWith('.bin/')) continue;
    if (!textish.test(rel)) continue;
    const size = statSync(path.join(src, rel)).size;
    if (size > 16e6) continue;
    // Both tools skip node_modules by default; rename nested ones so the code is scanned.
    const dest = path.join(tree, 'deps', rel.replace(/(^|\/)node_modules\//g, '$1nm/'));
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(path.join(src, rel), dest);
    bytes += size;
    files++;
  }
  // Plant: two of each kind plus decoys, appended to existing files spread through the tree.
  const all = listFiles(tree).filter((f) => /\.(?:js|ts|mjs|cjs)$/.test(f) && !/\.min\.|\.d\.ts$/.test(f));
  const planted: Planted[] = [];
  let k = 0;
  const pick = () => all[Math.floor((k++ * 7919 + 13) % all.length)]!;
  for (let round = 0; round < 2; round++) {
    for (const p of PLANTS) {
      const file = pick();
      const abs = path.join(tree, file);
      const before = readFileSync(abs, 'utf8');
      const prefix = before.endsWith('\n') ? before : `${before}\n`;
      appendFileSync(abs, `${prefix.slice(before.length)}${p.text()}\n`);
      planted.push({ file, line: prefix.split('\n').length, kind: p.kind });
    }
  }
  for (const d of DECOYS) {
    const file = pick();
    appendFileSync(path.join(tree, file), `\n${d()}\n`);
  }
  return { tree, planted, bytes, files };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(cmd: string, args: string[], cwd: string): { ms: number; rssMb: number; code: number; stderr: string } {
  const useTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const res = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'BENCH_MAXRSS_KB %M', cmd, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: TIMEOUT,
        maxBuffer: 1 << 30,
      })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const m = /BENCH_MAXRSS_KB (\d+)/.exec(res.stderr ?? '');
  return {
    ms,
    rssMb: m ? Number(m[1]) / 1024 : NaN,
    code: res.status ?? -1,
    stderr: (res.stderr ?? '').replace(/BENCH_MAXRSS_KB \d+\n?/, ''),
  };
}

function score(found: Array<{ file: string; line: number }>, planted: Planted[]) {
  const want = new Map(planted.map((p) => [`${p.file}:${p.line}`, p]));
  const hit = new Set<string>();
  let falses = 0;
  const seen = new Set<string>();
  for (const f of found) {
    const key = `${f.file}:${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (want.has(key)) hit.add(key);
    else falses++;
  }
  const missed = planted.filter((p) => !hit.has(`${p.file}:${p.line}`)).map((p) => p.kind);
  return { found: hit.size, missed, falses };
}

async function buildRunner(): Promise<string> {
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(path.join(root, 'bench', 'scan-runner.ts'), {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    target: 'es2023',
    transpileOnly: true,
  });
  const dir = path.join(work, 'runner');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), code);
  // The commands load their modules on first use: ncc emits those as chunks beside the entry.
  for (const [name, asset] of Object.entries(assets as Record<string, { source: string | Buffer }>)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), asset.source);
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return path.join(dir, 'index.js');
}

function prRepo(): { dir: string; base: string; head: string; addedLines: number } {
  const dir = path.join(work, 'pr-repo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'user.name', 'bench');
  git('config', 'commit.gpgsign', 'false');
  cpSync(path.join(root, 'node_modules', 'zod'), path.join(dir, 'zod'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD');
  git('checkout', '-q', '-b', 'feature');
  const targets = listFiles(dir)
    .filter((f) => f.endsWith('.js') && !f.startsWith('.git/'))
    .slice(0, 20);
  let added = 0;
  targets.forEach((f, i) => {
    const lines = Array.from({ length: 25 }, (_, j) => `export const feature${i}_${j} = compute(${j}, "value-${j}");`);
    if (i === 3) lines.push(`const leaked = "${gh('ghp_')}";`);
    added += lines.length;
    appendFileSync(path.join(dir, f), `\n${lines.join('\n')}\n`);
  });
  git('add', '-A');
  git('commit', '-q', '-m', 'feature');
  return { dir, base, head: git('rev-parse', 'HEAD'), addedLines: added };
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  console.log(
    `ass scan benchmark: ${runs} run(s), corpus cap ${(capBytes / 1e6).toFixed(0)} MB, ${os.availableParallelism()} CPU(s), Node ${process.version}`,
  );
  const runner = await buildRunner();
  const { tree, planted, bytes, files } = buildCorpus();
  console.log(
    `corpus: ${files} files, ${(bytes / 1e6).toFixed(1)} MB of node_modules code; ${planted.length} planted credentials, ${DECOYS.length} decoys`,
  );

  // secretlint 13 + recommended preset, with the project's Node.
  const rc = path.join(work, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const secretlintBin = path.join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js');

  const ours: Array<{ ms: number; rss: number }> = [];
  const oursSingle: Array<{ ms: number; rss: number }> = [];
  const theirs: Array<{ ms: number; rss: number }> = [];
  let ourScore = { found: 0, missed: [] as string[], falses: 0 };
  let theirScore = { found: 0, missed: [] as string[], falses: 0 };
  for (let i = 0; i < runs; i++) {
    const out = path.join(work, 'ours.json');
    const a = timed(node, [runner, '--format', 'json', '--output', out, '.'], tree);
    if (a.code > 1) throw new Error(`ass scan failed: ${a.stderr.slice(0, 500)}`);
    ours.push({ ms: a.ms, rss: a.rssMb });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { findings: Array<{ path: string; line: number }> };
    ourScore = score(
      json.findings.map((f) => ({ file: f.path, line: f.line })),
      planted,
    );

    const s = timed(node, [runner, '--workers', '1', '--format', 'json', '--output', out, '.'], tree);
    oursSingle.push({ ms: s.ms, rss: s.rssMb });

    const sout = path.join(work, 'secretlint.json');
    const b = timed(node, [secretlintBin, '**/*', '--secretlintrc', rc, '--format', 'json', '--output', sout], tree);
    if (b.code > 1) throw new Error(`secretlint failed (${b.code}): ${b.stderr.slice(0, 500)}`);
    theirs.push({ ms: b.ms, rss: b.rssMb });
    const sj = JSON.parse(readFileSync(sout, 'utf8')) as Array<{ filePath: string; messages: Array<{ loc: { start: { line: number } } }> }>;
    const sf: Array<{ file: string; line: number }> = [];
    for (const f of sj)
      for (const m of f.messages) sf.push({ file: path.relative(tree, f.filePath).split(path.sep).join('/'), line: m.loc.start.line });
    theirScore = score(sf, planted);
    rmSync(sout, { force: true });
    console.log(
      `run ${i + 1}: ass scan ${(a.ms / 1000).toFixed(2)} s (1 thread ${(s.ms / 1000).toFixed(2)} s), secretlint ${(b.ms / 1000).toFixed(2)} s`,
    );
  }

  const pr = prRepo();
  const prTimes: number[] = [];
  let prFindings = -1;
  for (let i = 0; i < Math.max(5, runs); i++) {
    const t = timed(node, [runner, '--diff', `${pr.base}..${pr.head}`, '--format', 'json'], pr.dir);
    prTimes.push(t.ms);
    prFindings = t.code;
  }
  const cliTimes: number[] = [];
  const bin = path.join(root, 'bin', 'ass.js');
  if (existsSync(path.join(root, 'dist', 'cli', 'index.js'))) {
    for (let i = 0; i < Math.max(5, runs); i++) cliTimes.push(timed(node, [bin, 'scan', '--diff', `${pr.base}..${pr.head}`], pr.dir).ms);
  }

  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const mo = median(ours.map((x) => x.ms));
  const ms1 = median(oursSingle.map((x) => x.ms));
  const mt = median(theirs.map((x) => x.ms));
  console.log('\nMedians (wall time includes Node start-up):');
  console.log('| tool | time | throughput | peak RSS | found | missed | false |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    `| ass scan (${os.availableParallelism()} worker threads) | ${(mo / 1000).toFixed(2)} s | ${mbps(mo).toFixed(1)} MB/s | ${median(ours.map((x) => x.rss)).toFixed(0)} MB | ${ourScore.found}/${planted.length} | ${ourScore.missed.length} | ${ourScore.falses} |`,
  );
  console.log(
    `| ass scan (1 thread) | ${(ms1 / 1000).toFixed(2)} s | ${mbps(ms1).toFixed(1)} MB/s | ${median(oursSingle.map((x) => x.rss)).toFixed(0)} MB | same | same | same |`,
  );
  console.log(
    `| secretlint 13.0.6 + preset-recommend 13.0.7 | ${(mt / 1000).toFixed(2)} s | ${mbps(mt).toFixed(1)} MB/s | ${median(theirs.map((x) => x.rss)).toFixed(0)} MB | ${theirScore.found}/${planted.length} | ${theirScore.missed.length} | ${theirScore.falses} |`,
  );
  console.log(`\nspeed-up: ${(mt / mo).toFixed(1)}x (threads), ${(mt / ms1).toFixed(1)}x (1 thread)`);
  if (ourScore.missed.length) console.log(`ass scan missed: ${ourScore.missed.join(', ')}`);
  if (theirScore.missed.length) console.log(`secretlint missed: ${theirScore.missed.join(', ')}`);
  console.log(
    `\nPR diff (${pr.addedLines} added lines in 20 files, 1 planted secret; exit code ${prFindings}): median ${median(prTimes).toFixed(0)} ms with the standalone scanner bundle` +
      (cliTimes.length ? `, ${median(cliTimes).toFixed(0)} ms through bin/ass.js` : ''),
  );
  // The worst case on inputs built to stall a rule, with the project's Node and the TypeScript sources.
  console.log('\nAdversarial inputs (bench/scan-adversarial.ts):');
  const adversarial = spawnSync(
    node,
    ['--experimental-strip-types', '--import', path.join(root, 'bench', 'ts-hooks.mjs'), path.join(root, 'bench', 'scan-adversarial.ts')],
    { cwd: root, encoding: 'utf8', timeout: TIMEOUT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (adversarial.status !== 0) throw new Error(`bench/scan-adversarial.ts failed (${adversarial.status ?? adversarial.signal})`);
}

await main();
