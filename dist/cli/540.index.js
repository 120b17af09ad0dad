export const id = 540;
export const ids = [540];
export const modules = {

/***/ 6540:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_MAX_FILE_SIZE: () => (/* binding */ DEFAULT_MAX_FILE_SIZE),
  scanCommits: () => (/* binding */ scan_scanCommits),
  scanDiff: () => (/* binding */ scanDiff),
  scanHistory: () => (/* binding */ scan_scanHistory),
  scanString: () => (/* binding */ scanString),
  scanTree: () => (/* binding */ scanTree),
  sortFindings: () => (/* binding */ sortFindings)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/scan/git.ts
var git = __webpack_require__(1513);
;// CONCATENATED MODULE: ./src/scan/commit-info.ts
/**
 * Who made a commit, when, and its subject, read from the raw commit objects (`git cat-file
 * --batch`) rather than through a `--format` string: a crafted commit can hold any byte in its
 * author or message, and a format string's separators could then be forged. Every text field is
 * cleaned (control characters, line breaks and direction overrides become `?`) and cut short here,
 * once, so nothing from a commit reaches a terminal, an annotation or a workflow command raw.
 */

const MAX_AUTHOR = 100;
const MAX_SUBJECT = 200;
/** `text` with control characters, line breaks and direction overrides replaced, at most `max` characters. */
function cleanMetadata(text, max) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, '?').trim();
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
function isoDate(seconds, tz) {
    const m = /^([+-])(\d\d)(\d\d)$/.exec(tz);
    const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    const local = new Date((seconds + offsetMin * 60) * 1000);
    if (Number.isNaN(local.getTime()))
        return '';
    const stamp = local.toISOString().slice(0, 19);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    return `${stamp}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
/** Parses a raw commit object (as `git cat-file commit` prints it). */
function parseCommit(sha, raw) {
    const blank = raw.indexOf('\n\n');
    const headers = blank === -1 ? raw : raw.slice(0, blank);
    const message = blank === -1 ? '' : raw.slice(blank + 2);
    let author = '';
    let date = '';
    for (const line of headers.split('\n')) {
        if (!line.startsWith('author '))
            continue;
        const m = /^author (.*) <[^>]*> (\d+) ([+-]\d{4})$/.exec(line);
        if (m) {
            author = m[1];
            date = isoDate(Number(m[2]), m[3]);
        }
        else
            author = line.slice('author '.length);
        break;
    }
    // As git's %s: the first paragraph, its lines joined by spaces.
    const para = message.replace(/^\n+/, '').split(/\n\s*\n/)[0] ?? '';
    const subject = para.split('\n').join(' ');
    return { sha, author: cleanMetadata(author, MAX_AUTHOR), date, subject: cleanMetadata(subject, MAX_SUBJECT) };
}
/** Reads the author, date and subject of each commit in `shas` (one git process). */
async function readCommitInfo(cwd, shas) {
    const out = new Map();
    if (shas.length === 0)
        return out;
    const objects = await readObjects(cwd, shas);
    for (const [sha, obj] of objects)
        if (obj.type === 'commit')
            out.set(sha, parseCommit(sha, obj.data.toString('utf8')));
    return out;
}
/**
 * Reads whole objects by name (`sha`, `rev:path`) with `git cat-file`. For a handful of objects
 * (commits, the blobs at a few paths); missing names are left out. Objects larger than `maxBytes`
 * are not read: they come back with their size and no data.
 */
async function readObjects(cwd, names, maxBytes = Number.POSITIVE_INFINITY) {
    const out = new Map();
    // A name is one line of cat-file's input.
    let wanted = names.filter((n) => !/[\n\r]/.test(n));
    if (wanted.length === 0)
        return out;
    if (Number.isFinite(maxBytes)) {
        const check = await catFile(cwd, wanted, false);
        wanted = [];
        for (const [name, obj] of check) {
            if (obj.size <= maxBytes)
                wanted.push(name);
            else
                out.set(name, obj);
        }
    }
    for (const [name, obj] of await catFile(cwd, wanted, true))
        out.set(name, obj);
    return out;
}
async function catFile(cwd, names, contents) {
    const out = new Map();
    if (names.length === 0)
        return out;
    const proc = (0,git.gitStream)(cwd, ['cat-file', contents ? '--batch' : '--batch-check'], 'git cat-file', { stdin: true });
    proc.stdin.end(`${names.join('\n')}\n`);
    let index = 0;
    let header = [];
    let pending;
    const finish = (p) => out.set(p.name, { type: p.type, size: p.size, data: Buffer.concat(p.parts, p.size) });
    for await (const chunk of proc.stdout) {
        let pos = 0;
        while (pos < chunk.length) {
            if (pending) {
                // The object's bytes, then one LF.
                const take = Math.min(pending.size + 1 - pending.got, chunk.length - pos);
                pending.parts.push(chunk.subarray(pos, pos + take));
                pending.got += take;
                pos += take;
                if (pending.got === pending.size + 1) {
                    pending.parts[pending.parts.length - 1] = pending.parts[pending.parts.length - 1].subarray(0, -1);
                    finish(pending);
                    pending = undefined;
                }
                continue;
            }
            const nl = chunk.indexOf(10, pos);
            if (nl === -1) {
                header.push(chunk.subarray(pos));
                break;
            }
            header.push(chunk.subarray(pos, nl));
            pos = nl + 1;
            const line = Buffer.concat(header).toString('latin1');
            header = [];
            const name = names[index++] ?? '';
            const m = /^\S+ (\S+) (\d+)$/.exec(line);
            if (!m)
                continue; // "<name> missing" or "ambiguous"
            const obj = { name, type: m[1], size: Number(m[2]), parts: [], got: 0 };
            if (contents)
                pending = obj;
            else
                out.set(name, { type: obj.type, size: obj.size, data: Buffer.alloc(0) });
        }
    }
    await proc.done;
    return out;
}

// EXTERNAL MODULE: ./src/scan/engine.ts + 3 modules
var engine = __webpack_require__(3288);
// EXTERNAL MODULE: ./src/scan/files.ts
var scan_files = __webpack_require__(5438);
// EXTERNAL MODULE: ./src/scan/patch.ts
var patch = __webpack_require__(479);
// EXTERNAL MODULE: ./src/scan/paths.ts
var paths = __webpack_require__(4341);
// EXTERNAL MODULE: ./src/scan/pool.ts + 1 modules
var pool = __webpack_require__(1647);
// EXTERNAL MODULE: ./src/scan/texts.ts
var texts = __webpack_require__(4965);
;// CONCATENATED MODULE: ./src/scan/commits.ts
/**
 * Commit-range scans (`ass scan --commits BASE..HEAD`, the scan action on pull requests and
 * pushes): every commit that HEAD has and BASE lacks, each one's added lines against its parent,
 * from one `git log -p` stream. So a key added in one commit of a pull request and removed in a
 * later one is still found, and reported with the commit that added it.
 *
 * - A merge commit is scanned as a combined diff: only lines new against every parent (an evil
 *   merge, a conflict resolved with new text). What a merge brings in from one parent was added by
 *   that parent's commits, which are in the range or were already in BASE.
 * - Renames (`-M`) add no lines unless the content changed.
 * - `--text`: `.gitattributes` `-diff` or `binary` cannot hide a file; content with a NUL byte in
 *   its first 8 KiB of added bytes, and binary file extensions, are skipped as the file scanner
 *   skips them. A file whose added bytes exceed the size cap is skipped and listed as skipped.
 * - The same secret at the same path, added by several commits (a line edited again, a file
 *   deleted and restored, a commit and its cherry-pick), is reported once: at the earliest commit.
 *   Its baseline key (rule, path, secret) and report fingerprint are those of a tree scan, so
 *   baselines and code scanning alerts carry over.
 */








/** `git log` options for a commit-range patch stream; see the module comment for why each. */
const LOG_PATCH_ARGS = [
    '-p',
    '-U0',
    '--text',
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '-M',
    '-c',
    '--reverse',
    '--topo-order',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    `--format=${patch/* COMMIT_FORMAT */._}`,
];
function refExclusions(ref) {
    const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    const name = m?.[2];
    if (!m || !name)
        return ['--branches', '--remotes', '--tags'];
    if (m[1] === 'tags')
        return ['--branches', '--remotes', `--exclude=${name}`, '--tags'];
    return [`--exclude=${name}`, '--branches', `--exclude=*/${name}`, '--remotes', '--tags'];
}
/** Resolves a selection to rev-list arguments (commit ids only, never a user's text) and a label. */
async function selectionRevs(cwd, sel) {
    if (sel.kind === 'range') {
        const base = await (0,git.resolveCommit)(cwd, sel.base, 'base');
        const head = await (0,git.resolveCommit)(cwd, sel.head, 'head');
        if (base === head)
            return undefined;
        return { revs: [head, '--not', base], head, label: `${(0,git.shownRev)(sel.base)}..${(0,git.shownRev)(sel.head)}` };
    }
    const head = await (0,git.resolveCommit)(cwd, sel.head, 'head');
    return { revs: [head, '--not', ...refExclusions(sel.ref)], head, label: `${head.slice(0, 12)} (commits no other branch or tag has)` };
}
/** A secret at a path: what deduplication keeps once. */
function findingKey(r) {
    return `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
}
/** Scans every commit of a selection; paths are relative to `cwd` (and limited to it). */
async function scanCommits(cwd, selection, options) {
    const stats = (0,scan_files.emptyStats)();
    const skipped = [];
    const sel = await selectionRevs(cwd, selection);
    if (!sel)
        return { findings: [], stats, skipped };
    await (0,git.assertRangeComplete)(cwd, sel.revs, sel.label);
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const commits = [];
    const items = [];
    const renames = [];
    const builder = new texts/* BatchBuilder */.e$();
    const parser = new patch/* PatchParser */.U({
        maxBytes: options.maxFileSize,
        classify: (p) => (filter.excluded(p) ? 'excluded' : (0,paths/* hasBinaryExtension */.Tm)(p) ? 'binary' : undefined),
        onCommit: (c) => {
            commits.push(c.sha);
            stats.commits++;
        },
        onRename: (from, to, commit) => renames.push({ commit, from, to }),
        onFile: (f) => {
            if (f.skipped === 'excluded')
                stats.excluded++;
            else if (f.skipped === 'binary')
                stats.skippedBinary++;
            else if (f.skipped === 'too-large') {
                stats.skippedLarge++;
                skipped.push({ path: f.path, bytes: f.bytes, commit: commits[f.commit] });
            }
            else {
                stats.files++;
                stats.bytes += f.data.length;
                const id = items.push({ commit: f.commit, path: f.path }) - 1;
                // A new file's lines are 1..n: no map needed.
                const contiguous = f.numbers[0] === 1 && f.numbers[f.numbers.length - 1] === f.numbers.length;
                builder.add({ id, path: f.path, ...(contiguous ? {} : { lineMap: f.numbers }) }, [f.data]);
            }
        },
    });
    const log = (0,git.gitStream)(cwd, ['log', ...LOG_PATCH_ARGS, '--relative', ...sel.revs, '--'], 'git log');
    const batches = () => (0,texts/* batchesOf */.cS)(log.stdout, parser, builder, () => log.done, () => log.kill());
    const idKey = (0,texts/* newSecretIdKey */.Rd)();
    const workers = options.workers ?? (0,pool/* defaultGitWorkerCount */.ZJ)();
    const results = await (0,pool/* scanTextBatches */.n3)(batches(), {
        workers,
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        idKey,
        logger: options.logger,
    });
    await log.done;
    // Earliest commit per (rule, path, secret).
    const earliest = new Map();
    for (const r of results) {
        const it = items[r.item];
        const key = findingKey(r);
        const prev = earliest.get(key);
        if (prev === undefined || it.commit < prev)
            earliest.set(key, it.commit);
    }
    const kept = results.filter((r) => earliest.get(findingKey(r)) === items[r.item].commit);
    const info = await readCommitInfo(cwd, [...new Set(kept.map((r) => commits[items[r.item].commit]))]);
    // Where each finding's file is at the head: renames later in the range move it.
    const headPath = (it) => {
        let p = it.path;
        for (const r of renames)
            if (r.commit > it.commit && r.from === p)
                p = r.to;
        return p;
    };
    const inHead = await keysAtCommit(cwd, sel.head, [...new Set(kept.map((r) => headPath(items[r.item])))], options, idKey);
    const findings = kept.map((r) => {
        const it = items[r.item];
        const sha = commits[it.commit];
        const commit = info.get(sha) ?? { sha, author: '', date: '', subject: '' };
        const present = inHead.get(headPath(it));
        return { ...r.finding, commit, ...(present ? { inHead: present.has(`${r.finding.ruleId}\0${r.secretId}`) } : {}) };
    });
    return { findings, stats, skipped, head: sel.head, range: sel.label };
}
/**
 * For each path, the (rule, secret id) pairs found in its blob at `commit`: whether a finding is
 * still there. Paths missing at that commit map to an empty set; paths whose blob is over the size
 * cap are left out (unknown).
 */
async function keysAtCommit(cwd, commit, paths, options, idKey) {
    const out = new Map();
    const names = paths.filter((p) => !/[\n\r]/.test(p));
    if (names.length === 0)
        return out;
    const objects = await readObjects(cwd, names.map((p) => `${commit}:./${p}`), options.maxFileSize);
    const builder = new texts/* BatchBuilder */.e$();
    names.forEach((p, id) => {
        const obj = objects.get(`${commit}:./${p}`);
        if (!obj)
            out.set(p, new Set());
        else if (obj.type === 'blob' && obj.size <= options.maxFileSize) {
            out.set(p, new Set());
            builder.add({ id, path: p }, [obj.data]);
        }
    });
    builder.seal();
    for (const batch of builder.take()) {
        for (const r of (0,texts/* scanTextBatch */.NQ)(batch, { compiled: options.compiled ?? (0,engine/* defaultRules */.Z4)(), idKey })) {
            out.get(names[r.item])?.add(`${r.finding.ruleId}\0${r.secretId}`);
        }
    }
    return out;
}

// EXTERNAL MODULE: ./src/scan/diff.ts
var diff = __webpack_require__(4998);
// EXTERNAL MODULE: ./src/scan/fingerprint.ts
var fingerprint = __webpack_require__(3565);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/scan/history.ts
/**
 * Whole-history scans (`ass scan --history`, the scan action's `mode: history`): every blob
 * reachable from any ref, each scanned once, in parallel, with memory bounded by the batches in
 * flight; then each finding is traced to the commit that introduced it.
 *
 * 1. `git rev-list --all --objects` names every reachable object once (a blob with a path it had)
 *    and counts the commits. `git cat-file --batch-check` gives types and sizes: blobs over the
 *    size cap are listed as skipped, never read. `git cat-file --batch` streams the rest; texts
 *    are packed into batches for the worker threads, blobs over 8 MiB in overlapping chunks. The
 *    three processes run as a pipeline, each paused while the next is busy.
 * 2. Only for blobs with findings: one `git log --all --raw` pass (oldest first, renames
 *    followed, merges as combined diffs) finds where each finding was introduced: a commit whose
 *    new blob holds the secret while none of the blobs it replaced did. A secret that stays in a
 *    file through later edits, or moves with a rename, is reported once, at the commit and path
 *    where it first appeared.
 * 3. Whether each secret is still in HEAD's tree (at any path). One that is not is in history
 *    only: deleting it from the tip did not un-leak it.
 */








/** Blobs larger than this are scanned in chunks of this size (plus an overlap). */
const CHUNK = 8 * 1024 * 1024;
const SNIFF = 8192;
/** A FIFO without Array.shift's O(n). */
class Queue {
    items = [];
    head = 0;
    push(item) {
        this.items.push(item);
    }
    shift() {
        if (this.head >= this.items.length)
            return undefined;
        const item = this.items[this.head++];
        if (this.head > 4096 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
        }
        return item;
    }
}
/**
 * Reads `git cat-file --batch` output and hands each blob to the batch builder: whole when small,
 * in overlapping chunks (with their line offsets) when large; binary blobs (a NUL byte in the first
 * 8 KiB) are dropped.
 */
class BlobReader {
    queue;
    builder;
    onBlob;
    header = [];
    current;
    constructor(queue, builder, onBlob) {
        this.queue = queue;
        this.builder = builder;
        this.onBlob = onBlob;
    }
    write(chunk) {
        let pos = 0;
        while (pos < chunk.length) {
            const cur = this.current;
            if (cur && cur.got < cur.size) {
                const take = Math.min(cur.size - cur.got, chunk.length - pos);
                this.data(chunk.subarray(pos, pos + take));
                pos += take;
                continue;
            }
            if (cur) {
                // The LF after the object.
                pos++;
                this.finish();
                continue;
            }
            const nl = chunk.indexOf(10, pos);
            if (nl === -1) {
                this.header.push(chunk.subarray(pos));
                return;
            }
            this.header.push(chunk.subarray(pos, nl));
            pos = nl + 1;
            const line = Buffer.concat(this.header).toString('latin1');
            this.header = [];
            const blob = this.queue.shift();
            const m = /^(\S+) blob (\d+)$/.exec(line);
            if (!blob || !m)
                continue; // "<id> missing"
            this.current = { ...blob, size: Number(m[2]), got: 0, parts: [], partBytes: 0, lineOffset: 0 };
        }
    }
    data(part) {
        const cur = this.current;
        cur.got += part.length;
        if (cur.binary === true)
            return;
        cur.parts.push(part);
        cur.partBytes += part.length;
        if (cur.binary === undefined && (cur.partBytes >= SNIFF || cur.got === cur.size)) {
            cur.binary = (0,paths/* looksBinary */.Wb)(Buffer.concat(cur.parts, Math.min(cur.partBytes, SNIFF)).subarray(0, SNIFF));
            if (cur.binary) {
                cur.parts = [];
                cur.partBytes = 0;
                return;
            }
        }
        // A large blob goes out in chunks: each holds CHUNK bytes of its own plus an overlap that the next chunk scans again.
        while (cur.size > CHUNK && cur.partBytes >= CHUNK + engine/* MAX_WINDOW */.SD && cur.got < cur.size)
            this.emitChunk(cur, false);
    }
    emitChunk(cur, last) {
        const all = Buffer.concat(cur.parts, cur.partBytes);
        const own = last ? all.length : CHUNK;
        this.builder.add({
            id: 0,
            tag: cur.sha,
            path: cur.path,
            lineOffset: cur.lineOffset,
            ...(last ? {} : { acceptBefore: own }),
        }, [last ? all : all.subarray(0, CHUNK + engine/* MAX_WINDOW */.SD)]);
        if (last)
            return;
        for (let i = all.indexOf(10); i !== -1 && i < own; i = all.indexOf(10, i + 1))
            cur.lineOffset++;
        const rest = all.subarray(own);
        cur.parts = [rest];
        cur.partBytes = rest.length;
    }
    finish() {
        const cur = this.current;
        this.current = undefined;
        const binary = cur.binary === true;
        if (!binary) {
            if (cur.size > CHUNK)
                this.emitChunk(cur, true);
            else
                this.builder.add({ id: 0, tag: cur.sha, path: cur.path }, cur.parts);
        }
        this.onBlob(cur, binary);
    }
    end() {
        if (this.current && this.current.got === this.current.size)
            this.finish();
    }
}
/** Scans every blob reachable from any ref; paths are relative to `cwd` (and limited to it). */
async function scanHistory(cwd, options) {
    await (0,git.assertRepository)(cwd);
    if (await (0,git.isShallow)(cwd)) {
        throw new errors/* AppError */.uV('invalid_input', `this clone is shallow: a history scan would miss every commit it lacks; ${git.FETCH_DEPTH_FIX}, then scan again`);
    }
    const prefix = await (0,git.repoPrefix)(cwd);
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files.emptyStats)();
    const skipped = [];
    const builder = new texts/* BatchBuilder */.e$();
    const checkQueue = new Queue();
    const catQueue = new Queue();
    const revList = (0,git.gitStream)(cwd, ['rev-list', '--all', '--objects'], 'git rev-list');
    const check = (0,git.gitStream)(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)', '--buffer'], 'git cat-file', {
        stdin: true,
    });
    const cat = (0,git.gitStream)(cwd, ['cat-file', '--batch', '--buffer'], 'git cat-file', { stdin: true });
    const kill = () => {
        revList.kill();
        check.kill();
        cat.kill();
    };
    // Stage 1: rev-list's objects → ids to check. (Not `--filter=object:type=blob`: git 2.39 leaves
    // some blobs and commits out of its output with it.)
    const listing = (async () => {
        try {
            for await (const lines of (0,git.lineBatches)(revList.stdout)) {
                let out = '';
                for (const line of lines) {
                    const space = line.indexOf(' ');
                    if (space === -1) {
                        if (line !== '')
                            stats.commits++;
                        continue;
                    }
                    out += `${line.slice(0, space)}\n`;
                    checkQueue.push(line.slice(space + 1));
                }
                if (out !== '')
                    await (0,git.writeTo)(check.stdin, out);
            }
            await revList.done;
        }
        finally {
            check.stdin.end();
        }
    })();
    // Stage 2: types and sizes → blobs to read; blobs over the size cap are listed as skipped.
    const sizing = (async () => {
        try {
            for await (const lines of (0,git.lineBatches)(check.stdout)) {
                let out = '';
                for (const line of lines) {
                    const name = checkQueue.shift();
                    const m = /^(\S+) (\S+) (\d+)$/.exec(line);
                    if (name === undefined || !m || m[2] !== 'blob')
                        continue;
                    const sha = m[1];
                    // A blob a tag points at directly has no path.
                    let p = name !== '' ? Buffer.from(name, 'latin1').toString('utf8') : `(blob ${sha.slice(0, 12)})`;
                    if (prefix !== '') {
                        if (!p.startsWith(prefix))
                            continue;
                        p = p.slice(prefix.length);
                    }
                    const size = Number(m[3]);
                    if (filter.excluded(p))
                        stats.excluded++;
                    else if ((0,paths/* hasBinaryExtension */.Tm)(p))
                        stats.skippedBinary++;
                    else if (size > options.maxFileSize) {
                        stats.skippedLarge++;
                        skipped.push({ path: p, bytes: size, blob: sha });
                    }
                    else {
                        out += `${sha}\n`;
                        catQueue.push({ sha, path: p, size });
                    }
                }
                if (out !== '')
                    await (0,git.writeTo)(cat.stdin, out);
            }
            await check.done;
        }
        finally {
            cat.stdin.end();
        }
    })();
    const feeding = Promise.all([listing, sizing]);
    feeding.catch(() => { });
    const reader = new BlobReader(catQueue, builder, (blob, binary) => {
        if (binary)
            stats.skippedBinary++;
        else {
            stats.files++;
            stats.bytes += blob.size;
        }
    });
    // Stage 3: contents → batches, pulled by the scanner.
    const batches = () => (0,texts/* batchesOf */.cS)(cat.stdout, reader, builder, async () => {
        await feeding;
        await cat.done;
    }, kill);
    const idKey = (0,texts/* newSecretIdKey */.Rd)();
    const workers = options.workers ?? (0,pool/* defaultGitWorkerCount */.ZJ)();
    let results;
    try {
        results = await (0,pool/* scanTextBatches */.n3)(batches(), {
            workers,
            compiled: options.compiled,
            baselineSalt: options.baselineSalt,
            idKey,
            logger: options.logger,
        });
    }
    finally {
        kill();
    }
    await feeding;
    const byBlob = new Map();
    for (const r of results) {
        const list = byBlob.get(r.tag);
        if (list)
            list.push(r);
        else
            byBlob.set(r.tag, [r]);
    }
    if (byBlob.size === 0)
        return { findings: [], stats, skipped, head: await headCommit(cwd) };
    const introduced = await attribute(cwd, byBlob, prefix, filter);
    const head = await headCommit(cwd);
    const tipKeys = head ? await keysInTree(cwd, byBlob) : undefined;
    const info = await readCommitInfo(cwd, [...new Set([...introduced.values()].flatMap((x) => (x.commit ? [x.commit] : [])))]);
    const findings = [...introduced.values()].map(({ result, commit, path }) => {
        const f = { ...result.finding, path };
        if (commit)
            f.commit = info.get(commit) ?? { sha: commit, author: '', date: '', subject: '' };
        if (tipKeys)
            f.inHead = tipKeys.has(`${result.finding.ruleId}\0${result.secretId}`);
        return f;
    });
    return { findings, stats, skipped, ...(head ? { head } : {}) };
}
async function headCommit(cwd) {
    const r = await (0,git.git)(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return r.code === 0 ? r.stdout.trim() : undefined;
}
/**
 * Traces findings to the commits that introduced them (see the module comment). Returns one entry
 * per (rule, path, secret), the earliest; blobs the log never shows (a blob a tag points at
 * directly) are reported without a commit, at the path rev-list gave.
 */
async function attribute(cwd, byBlob, prefix, filter) {
    const out = new Map();
    const keysOf = new Map();
    const blobKeys = (sha) => {
        let set = keysOf.get(sha);
        if (!set) {
            set = new Set((byBlob.get(sha) ?? []).map((r) => `${r.finding.ruleId}\0${r.secretId}`));
            keysOf.set(sha, set);
        }
        return set;
    };
    const seen = new Set();
    const log = (0,git.gitStream)(cwd, ['log', '--all', '--reverse', '--topo-order', '--raw', '--no-abbrev', '-M', '--diff-merges=combined', '--format=%x01C %H'], 'git log');
    let commit = '';
    try {
        for await (const lines of (0,git.lineBatches)(log.stdout)) {
            for (const line of lines) {
                if (line.startsWith('\x01C ')) {
                    commit = line.slice(3).trim();
                    continue;
                }
                if (!line.startsWith(':'))
                    continue;
                const tab = line.indexOf('\t');
                if (tab === -1)
                    continue;
                const colons = /^:+/.exec(line)[0].length;
                const fields = line.slice(colons, tab).split(' ');
                const shas = fields.slice(colons + 1, 2 * (colons + 1));
                const result = shas[colons];
                if (!result || !byBlob.has(result))
                    continue;
                seen.add(result);
                const paths = line.slice(tab + 1).split('\t');
                let p = (0,git.unquotePath)(paths[paths.length - 1]);
                if (prefix !== '') {
                    if (!p.startsWith(prefix))
                        continue;
                    p = p.slice(prefix.length);
                }
                if (filter.excluded(p))
                    continue;
                const parents = shas.slice(0, colons);
                for (const r of byBlob.get(result)) {
                    const k = `${r.finding.ruleId}\0${r.secretId}`;
                    if (parents.some((parent) => blobKeys(parent).has(k)))
                        continue;
                    const key = `${r.finding.ruleId}\0${p}\0${r.secretId}`;
                    if (!out.has(key))
                        out.set(key, { result: r, commit, path: p });
                }
            }
        }
        await log.done;
    }
    finally {
        log.kill();
    }
    for (const [sha, list] of byBlob) {
        if (seen.has(sha))
            continue;
        for (const r of list) {
            const key = `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
            if (!out.has(key))
                out.set(key, { result: r, path: r.finding.path });
        }
    }
    return out;
}
/** The (rule, secret id) pairs of every finding in a blob of HEAD's tree (below `cwd`). */
async function keysInTree(cwd, byBlob) {
    const keys = new Set();
    const tree = (0,git.gitStream)(cwd, ['ls-tree', '-r', 'HEAD'], 'git ls-tree');
    try {
        for await (const lines of (0,git.lineBatches)(tree.stdout)) {
            for (const line of lines) {
                const sha = line.split('\t', 1)[0]?.split(' ')[2];
                for (const r of (sha && byBlob.get(sha)) || [])
                    keys.add(`${r.finding.ruleId}\0${r.secretId}`);
            }
        }
        await tree.done;
    }
    finally {
        tree.kill();
    }
    return keys;
}

// EXTERNAL MODULE: ./src/scan/scan-text.ts
var scan_text = __webpack_require__(1578);
;// CONCATENATED MODULE: ./src/scan/index.ts
/**
 * The scanner's public surface: scan a tree, a diff, the commits of a range, the whole git
 * history or a string; every mode returns findings with redacted previews and paths relative to
 * the scanned directory.
 */










const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** Below this many files a tree is scanned on the main thread: starting workers costs more. */
const WORKER_MIN_FILES = 400;
const BATCH_FILES = 48;
function sortFindings(findings) {
    return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}
/** Sorts and sets the report fingerprints (they number a file's findings in order). */
function finish(findings) {
    return (0,fingerprint/* assignFingerprints */.Dz)(sortFindings(findings));
}
function gitOptions(options) {
    return {
        exclude: options.exclude,
        maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        workers: options.workers,
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        logger: options.logger,
    };
}
/** Scans every file under `root` (or the single file `root`). */
async function scanTree(root, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const fileOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files.emptyStats)();
    const skipped = [];
    const { stat } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const st = await stat(root);
    if (st.isFile()) {
        const rel = (options.pathPrefix ?? '') + external_node_path_default().basename(root);
        const findings = await (0,scan_files.scanFile)({ abs: root, rel }, fileOptions, stats, skipped);
        return { findings: finish(findings), stats, skipped };
    }
    const workers = options.workers ?? ((0,pool/* scanWorkersAvailable */.GF)() ? (0,pool/* defaultWorkerCount */.Zx)() : 1);
    const files = (0,scan_files.walk)(root, filter, stats, options.pathPrefix ?? '');
    if (workers > 1 && (0,pool/* scanWorkersAvailable */.GF)() && !options.compiled) {
        // Peek at the first files: small trees stay on the main thread.
        // Pull with next(): breaking out of for-await would close the walk.
        const head = [];
        while (head.length < WORKER_MIN_FILES) {
            const next = await files.next();
            if (next.done)
                break;
            head.push(next.value);
        }
        if (head.length >= WORKER_MIN_FILES) {
            async function* batches() {
                for (let i = 0; i < head.length; i += BATCH_FILES)
                    yield head.slice(i, i + BATCH_FILES);
                let batch = [];
                for (let next = await files.next(); !next.done; next = await files.next()) {
                    batch.push(next.value);
                    if (batch.length >= BATCH_FILES) {
                        yield batch;
                        batch = [];
                    }
                }
                if (batch.length > 0)
                    yield batch;
            }
            options.logger?.info(`Scanning on ${workers} worker threads.`);
            const result = await (0,pool/* scanOnWorkers */.An)(batches(), workers, maxFileSize, options.baselineSalt);
            (0,scan_files.addStats)(stats, result.stats);
            return { findings: finish(result.findings), stats, skipped: result.skipped };
        }
        const findings = [];
        for (const f of head)
            findings.push(...(await (0,scan_files.scanFile)(f, fileOptions, stats, skipped)));
        return { findings: finish(findings), stats, skipped };
    }
    const findings = [];
    for await (const f of files)
        findings.push(...(await (0,scan_files.scanFile)(f, fileOptions, stats, skipped)));
    return { findings: finish(findings), stats, skipped };
}
/** Scans only the lines a change adds (the net change, from the merge-base). Paths are relative to `cwd`. */
async function scanDiff(cwd, spec, options = {}) {
    const r = await (0,diff.scanAddedLines)(cwd, spec, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/**
 * Scans every commit of a selection (`BASE..HEAD`), each against its parent(s); findings carry the
 * commit that introduced them and whether they are still at the head. Paths are relative to `cwd`.
 */
async function scan_scanCommits(cwd, selection, options = {}) {
    const r = await scanCommits(cwd, selection, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/**
 * Scans every blob reachable from any ref once; findings carry the commit that introduced them
 * and whether they are still in HEAD. Paths are relative to `cwd`.
 */
async function scan_scanHistory(cwd, options = {}) {
    const r = await scanHistory(cwd, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const stats = (0,scan_files.emptyStats)();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: finish((0,scan_text/* scanText */.Ff)(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats, skipped: [] };
}


/***/ })

};
