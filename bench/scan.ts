// npm run bench:scan — throughput and accuracy of `ass scan` beside secretlint 13 (recommended
// preset) on the same corpus in the same run, plus a PR-diff scan timed with process start-up, and
// commit-range and history scans of a generated repository of a few thousand commits.
//
// Corpus: a copy of this project's node_modules (real third-party code, capped at BENCH_MB, default
// 100 MB; nested node_modules folders renamed so neither tool skips them) with planted credentials
// (a known list) and look-alike decoys. Every reported line that is not a planted one counts as
// false. Then precision and recall by rule family on the labelled set (bench/scan-labelled.ts), and
// the worst case on inputs built to stall a rule (bench/scan-adversarial.ts). Prints figures;
// asserts nothing. Env: BENCH_RUNS (default 3), BENCH_MB (default 100), BENCH_COMMITS (default
// 3000), BENCH_ONLY=history (only the git repository part), BENCH_ONLY=tree (no git repository
// part), BENCH_ONLY=labelled (only precision and recall by family on the labelled set),
// BENCH_DRAWS (draws of the labelled set, default 20), BENCH_COMPARE=REF (also time the scanner as
// of commit REF on the same corpus, e.g. BENCH_COMPARE=main), BENCH_KEEP=1
// (keep the generated repository and print where).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

async function buildBundle(entry: string, name: string, from = root): Promise<string> {
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(path.join(from, 'bench', entry), {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    target: 'es2023',
    transpileOnly: true,
  });
  const dir = path.join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), code);
  // The commands load their modules on first use: ncc emits those as chunks beside the entry.
  for (const [file, asset] of Object.entries((assets ?? {}) as Record<string, { source: string | Buffer }>)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), asset.source);
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return path.join(dir, 'index.js');
}

const buildRunner = () => buildBundle('scan-runner.ts', 'runner');

/**
 * BENCH_COMPARE=REF: the scanner bundle built from another commit (git archive of REF, this
 * checkout's node_modules), timed beside the current one on the same corpus, runs alternating.
 */
async function buildCompareRunner(ref: string): Promise<{ runner: string; label: string }> {
  const src = path.join(work, 'compare-src');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('sh', ['-c', `git -C "${root}" archive ${sha} | tar -x -C "${src}"`]);
  symlinkSync(path.join(root, 'node_modules'), path.join(src, 'node_modules'));
  return { runner: await buildBundle('scan-runner.ts', 'runner-compare', src), label: `${ref} (${sha})` };
}

interface FamilyTally {
  rules: number;
  positives: number;
  found: number;
  falses: number;
  nearMisses: number;
  missedIds: Record<string, number>;
  falseIds: Record<string, number>;
}

/**
 * Precision and recall by rule family on the labelled set (bench/scan-labelled.ts: true examples in
 * each format and near-misses, BENCH_DRAWS independent draws), beside the false findings each family
 * makes in the real third-party code of the corpus (`corpusFalse`, rule id to count; omitted when
 * only the labelled part runs).
 */
async function benchLabelled(corpusFalse?: Map<string, number>, corpusMb?: number): Promise<void> {
  const bundle = await buildBundle('scan-labelled.ts', 'labelled');
  const res = spawnSync(node, [bundle], { encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 1 << 28, env: { ...process.env } });
  if (res.status !== 0) throw new Error(`labelled set failed: ${(res.stderr ?? '').slice(0, 800)}`);
  const r = JSON.parse(res.stdout) as {
    draws: number;
    texts: number;
    otherNearMisses: number;
    ms: number;
    rules: number;
    keywords: number;
    labels: Record<string, string>;
    familyOf: Record<string, string>;
    tally: Record<string, FamilyTally>;
  };
  console.log(`\nRules: ${r.rules}, prefilter keywords: ${r.keywords} (one Aho-Corasick automaton).`);
  const falseInCode = new Map<string, number>();
  for (const [id, count] of corpusFalse ?? []) {
    const f = r.familyOf[id] ?? 'generic';
    falseInCode.set(f, (falseInCode.get(f) ?? 0) + count);
  }
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : a === b ? '100 %' : `${((100 * a) / b).toFixed(2)} %`);
  console.log(
    `\nPrecision and recall by family on the labelled set (${r.draws} draws, ${r.texts.toLocaleString('en-US')} texts in ${(r.ms / 1000).toFixed(1)} s; ${r.rules} rules; precision = found / (found + false findings on any text), recall = found / true examples)${corpusFalse ? `, with the false findings each family makes in the ${corpusMb?.toFixed(0)} MB of real code above` : ''}:`,
  );
  console.log(
    `| family | rules | true examples | found | recall | near-misses | false | precision |${corpusFalse ? ' false in real code |' : ''}`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |${corpusFalse ? ' --- |' : ''}`);
  let all = { rules: 0, positives: 0, found: 0, nearMisses: 0, falses: 0, code: 0 };
  const notes: string[] = [];
  for (const [family, t] of Object.entries(r.tally)) {
    const code = falseInCode.get(family) ?? 0;
    all = {
      rules: all.rules + t.rules,
      positives: all.positives + t.positives,
      found: all.found + t.found,
      nearMisses: all.nearMisses + t.nearMisses,
      falses: all.falses + t.falses,
      code: all.code + code,
    };
    console.log(
      `| ${r.labels[family]} | ${t.rules} | ${t.positives} | ${t.found} | ${pct(t.found, t.positives)} | ${t.nearMisses} | ${t.falses} | ${pct(t.found, t.found + t.falses)} |` +
        (corpusFalse ? ` ${code} |` : ''),
    );
    const missed = Object.entries(t.missedIds);
    const wrong = Object.entries(t.falseIds);
    if (missed.length) notes.push(`${family} missed: ${missed.map(([id, c]) => `${id} ×${c}`).join(', ')}`);
    if (wrong.length) notes.push(`${family} false: ${wrong.map(([id, c]) => `${id} ×${c}`).join(', ')}`);
  }
  console.log(
    `| all (plus ${r.otherNearMisses} older look-alikes) | ${all.rules} | ${all.positives} | ${all.found} | ${pct(all.found, all.positives)} | ${all.nearMisses + r.otherNearMisses} | ${all.falses} | ${pct(all.found, all.found + all.falses)} |` +
      (corpusFalse ? ` ${all.code} |` : ''),
  );
  for (const n of notes) console.log(n);
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

// ---- a generated git history, for commit-range and history scans ----

/**
 * Writes a deterministic repository with `git fast-import` (one process, so thousands of commits
 * take seconds): ~300 source-like files edited a few lines at a time, new files now and then,
 * a side branch merged with --no-ff every 40 commits, fixed dates, and planted keys, half of them
 * removed again a few dozen commits later (they are then in history only). Same seed, same bytes.
 */
function historyRepo(commits: number): { dir: string; planted: Set<string>; merges: number } {
  let s = 0x5eed;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const word = () => pick(['value', 'count', 'user', 'order', 'item', 'cache', 'retry', 'limit', 'path', 'token_type', 'config', 'result']);
  const line = () =>
    pick([
      () =>
        `export const ${word()}_${Math.floor(rnd() * 1000)} = compute(${Math.floor(rnd() * 100)}, "${word()}-${Math.floor(rnd() * 100)}");`,
      () => `  if (${word()}.length > ${Math.floor(rnd() * 64)}) return ${word()}.slice(0, ${Math.floor(rnd() * 8)});`,
      () => `// ${word()} ${word()} ${word()}: see the ${word()} notes`,
      () => `function ${word()}${Math.floor(rnd() * 100)}(${word()}, ${word()}) { return ${word()} ?? ${Math.floor(rnd() * 10)}; }`,
    ])();
  const token = () => {
    let body = '';
    for (let i = 0; i < 30; i++) body += ALNUM[Math.floor(rnd() * 62)];
    return `ghp_${body}${b62(crc32(body), 6)}`;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ass-bench-history-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const files = new Map<string, string[]>();
  for (let i = 0; i < 300; i++) files.set(`src/${word()}/${word()}-${i}.ts`, Array.from({ length: 40 + Math.floor(rnd() * 200) }, line));
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  let ts = 1_700_000_000;
  const planted = new Set<string>();
  const pending: Array<{ at: number; file: string; index: number }> = [];
  let merges = 0;
  const commit = (ref: string, message: string, changed: Iterable<string>, from?: number, merge?: number) => {
    mark++;
    ts += 600;
    let out = `commit ${ref}\nmark :${mark}\nauthor Bench <bench@example.invalid> ${ts} +0000\ncommitter Bench <bench@example.invalid> ${ts} +0000\n${data(message)}`;
    if (from !== undefined) out += `from :${from}\n`;
    if (merge !== undefined) out += `merge :${merge}\n`;
    for (const f of changed) {
      const lines = files.get(f);
      out += lines ? `M 100644 inline ${f}\n${data(`${lines.join('\n')}\n`)}` : `D ${f}\n`;
    }
    chunks.push(out);
    return mark;
  };
  const edit = (n: number): Set<string> => {
    const changed = new Set<string>();
    for (let k = 0; k < n; k++) {
      const f = pick([...files.keys()]);
      const lines = files.get(f)!;
      for (let j = 0; j < 4; j++) lines[Math.floor(rnd() * lines.length)] = line();
      lines.splice(Math.floor(rnd() * lines.length), 0, line(), line());
      changed.add(f);
    }
    return changed;
  };
  let head = commit('refs/heads/main', 'initial import', files.keys());
  let made = 1;
  while (made < commits) {
    if (made % 40 === 39 && made + 6 <= commits) {
      // A side branch of four commits, merged back with --no-ff.
      const branch = `refs/heads/feature/${made}`;
      let side = head;
      const all = new Set<string>();
      for (let k = 0; k < 4; k++) {
        const changed = edit(1 + Math.floor(rnd() * 2));
        for (const f of changed) all.add(f);
        side = commit(branch, `feature ${made} step ${k}`, changed, k === 0 ? head : undefined);
        made++;
      }
      head = commit('refs/heads/main', `Merge feature/${made}`, all, head, side);
      merges++;
      made++;
      continue;
    }
    const changed = edit(1 + Math.floor(rnd() * 3));
    if (rnd() < 0.05) {
      const f = `src/new/${word()}-${made}.ts`;
      files.set(f, Array.from({ length: 30 + Math.floor(rnd() * 100) }, line));
      changed.add(f);
    }
    if (made % 150 === 7) {
      const f = pick([...files.keys()]);
      const lines = files.get(f)!;
      const index = Math.floor(rnd() * lines.length);
      lines.splice(index, 0, `const githubToken = "${token()}";`);
      changed.add(f);
      planted.add(`${f}:${index + 1}`);
      if (planted.size % 2 === 1) pending.push({ at: made + 30, file: f, index });
    }
    for (const p of pending.filter((x) => x.at === made)) {
      const lines = files.get(p.file)!;
      const i = lines.findIndex((l) => l.startsWith('const githubToken = "ghp_'));
      if (i >= 0) lines[i] = 'const githubToken = process.env.GITHUB_TOKEN;';
      changed.add(p.file);
    }
    head = commit('refs/heads/main', `change ${made}`, changed);
    made++;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  return { dir, planted, merges };
}

interface HistoryReport {
  findings: Array<{ path: string; line: number; inHead?: boolean }>;
  stats: { commits: number; files: number; bytes: number };
}

async function benchHistory(runner: string): Promise<void> {
  const commits = Math.max(100, Math.min(20_000, Number(process.env.BENCH_COMMITS ?? 3000)));
  const t0 = performance.now();
  const repo = historyRepo(commits);
  const genMs = performance.now() - t0;
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo.dir, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
    const root = git('rev-list', '--max-parents=0', 'main');
    const blobBytes = Number(
      execFileSync(
        'sh',
        [
          '-c',
          "git rev-list --all --objects | cut -d' ' -f1 | git cat-file --batch-check='%(objecttype) %(objectsize)' | awk '$1==\"blob\"{s+=$2} END{print s}'",
        ],
        {
          cwd: repo.dir,
          encoding: 'utf8',
        },
      ).trim(),
    );
    console.log(
      `\nGenerated repository: ${git('rev-list', '--all', '--count')} commits (${repo.merges} merges), ${git('ls-files').split('\n').length} files at HEAD, ${(blobBytes / 1e6).toFixed(1)} MB of distinct blobs, ${repo.planted.size} planted keys (half removed later); made in ${(genMs / 1000).toFixed(1)} s`,
    );
    const rows: string[] = [];
    const run = (label: string, args: string[]) => {
      const times: Array<{ ms: number; rss: number }> = [];
      let report: HistoryReport | undefined;
      for (let i = 0; i < runs; i++) {
        const out = path.join(work, 'history.json');
        const t = timed(node, [runner, ...args, '--format', 'json', '--output', out], repo.dir);
        if (t.code !== 0 && t.code !== 1) throw new Error(`${label} failed (${t.code}): ${t.stderr.slice(0, 500)}`);
        times.push({ ms: t.ms, rss: t.rssMb });
        report = JSON.parse(readFileSync(out, 'utf8')) as HistoryReport;
      }
      const ms = median(times.map((x) => x.ms));
      const found = report!.findings.filter((f) => repo.planted.has(`${f.path}:${f.line}`)).length;
      const gone = report!.findings.filter((f) => f.inHead === false).length;
      rows.push(
        `| ${label} | ${(ms / 1000).toFixed(2)} s | ${Math.round(report!.stats.commits / (ms / 1000)).toLocaleString('en-US')} | ${(report!.stats.bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s (${(report!.stats.bytes / 1e6).toFixed(1)} MB) | ${median(times.map((x) => x.rss)).toFixed(0)} MB | ${found}/${repo.planted.size} (${gone} history only), ${report!.findings.length - found} other |`,
      );
    };
    const floor = (label: string, cmd: string) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(timed('sh', ['-c', cmd], repo.dir).ms);
      rows.push(`| ${label} | ${(median(times) / 1000).toFixed(2)} s | | | | |`);
    };
    const cores = Math.max(2, Math.min(8, os.availableParallelism()));
    run(`\`--commits ROOT..main --workers ${cores}\``, ['--commits', `${root}..main`, '--workers', String(cores)]);
    run('`--commits ROOT..main --workers 1` (main thread)', ['--commits', `${root}..main`, '--workers', '1']);
    floor(
      'git alone: `git log -p -U0 -c --text` of the same range',
      `git log -p -U0 -c --text -M --reverse --topo-order ${root}..main > /dev/null`,
    );
    run(`\`--history --workers ${cores}\``, ['--history', '--workers', String(cores)]);
    run('`--history --workers 1` (main thread)', ['--history', '--workers', '1']);
    floor(
      'git alone: `rev-list --all --objects` into `cat-file --batch`',
      "git rev-list --all --objects | cut -d' ' -f1 | git cat-file --batch-check='%(objectname) %(objecttype)' | awk '$2==\"blob\"{print $1}' | git cat-file --batch > /dev/null",
    );
    console.log(
      '\nCommit-range and history scans (medians; wall time includes Node start-up; MB/s over the bytes scanned: added lines for --commits, distinct blobs for --history):',
    );
    console.log('| scan | time | commits/s | throughput | peak RSS | planted keys found |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(r);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${repo.dir}`);
    else rmSync(repo.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  console.log(
    `ass scan benchmark: ${runs} run(s), corpus cap ${(capBytes / 1e6).toFixed(0)} MB, ${os.availableParallelism()} CPU(s), Node ${process.version}`,
  );
  if (process.env.BENCH_ONLY === 'labelled') {
    await benchLabelled();
    return;
  }
  const runner = await buildRunner();
  if (process.env.BENCH_ONLY === 'history') {
    await benchHistory(runner);
    return;
  }
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
  const compare = process.env.BENCH_COMPARE ? await buildCompareRunner(process.env.BENCH_COMPARE) : undefined;
  const theirsThreads: Array<{ ms: number; rss: number }> = [];
  const theirsSingle: Array<{ ms: number; rss: number }> = [];
  let compareScore = { found: 0, missed: [] as string[], falses: 0 };
  const theirs: Array<{ ms: number; rss: number }> = [];
  let ourScore = { found: 0, missed: [] as string[], falses: 0 };
  let theirScore = { found: 0, missed: [] as string[], falses: 0 };
  let lastFindings: Array<{ path: string; line: number; ruleId: string }> = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(work, 'ours.json');
    const a = timed(node, [runner, '--format', 'json', '--output', out, '.'], tree);
    if (a.code > 1) throw new Error(`ass scan failed: ${a.stderr.slice(0, 500)}`);
    ours.push({ ms: a.ms, rss: a.rssMb });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { findings: Array<{ path: string; line: number; ruleId: string }> };
    lastFindings = json.findings;
    ourScore = score(
      json.findings.map((f) => ({ file: f.path, line: f.line })),
      planted,
    );

    const s = timed(node, [runner, '--workers', '1', '--format', 'json', '--output', out, '.'], tree);
    oursSingle.push({ ms: s.ms, rss: s.rssMb });
    if (compare) {
      const cout = path.join(work, 'compare.json');
      const ct = timed(node, [compare.runner, '--format', 'json', '--output', cout, '.'], tree);
      theirsThreads.push({ ms: ct.ms, rss: ct.rssMb });
      const cj = JSON.parse(readFileSync(cout, 'utf8')) as { findings: Array<{ path: string; line: number }> };
      compareScore = score(
        cj.findings.map((f) => ({ file: f.path, line: f.line })),
        planted,
      );
      const c1 = timed(node, [compare.runner, '--workers', '1', '--format', 'json', '--output', cout, '.'], tree);
      theirsSingle.push({ ms: c1.ms, rss: c1.rssMb });
    }

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
  if (compare) {
    const ct = median(theirsThreads.map((x) => x.ms));
    const c1 = median(theirsSingle.map((x) => x.ms));
    console.log(
      `| ass scan at ${compare.label} (${os.availableParallelism()} worker threads) | ${(ct / 1000).toFixed(2)} s | ${mbps(ct).toFixed(1)} MB/s | ${median(theirsThreads.map((x) => x.rss)).toFixed(0)} MB | ${compareScore.found}/${planted.length} | ${compareScore.missed.length} | ${compareScore.falses} |`,
    );
    console.log(
      `| ass scan at ${compare.label} (1 thread) | ${(c1 / 1000).toFixed(2)} s | ${mbps(c1).toFixed(1)} MB/s | ${median(theirsSingle.map((x) => x.rss)).toFixed(0)} MB | same | same | same |`,
    );
  }
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
  const plantedAt = new Set(planted.map((p) => `${p.file}:${p.line}`));
  const corpusFalse = new Map<string, number>();
  for (const f of lastFindings) {
    if (!plantedAt.has(`${f.path}:${f.line}`)) corpusFalse.set(f.ruleId, (corpusFalse.get(f.ruleId) ?? 0) + 1);
  }
  await benchLabelled(corpusFalse, bytes / 1e6);
  if (process.env.BENCH_ONLY === 'tree') return;
  await benchHistory(runner);
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
