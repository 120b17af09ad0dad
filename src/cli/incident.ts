/**
 * `ass incident PATH`: seed 001's incident runbook for a leaked secret as one command: which live
 * tokens reach it (and, with --revoke, revoke them), who read it, from where and when, whether a
 * rotation policy covers it (and, with --rotate, rotate it now), and its whole history as CSV for
 * the report. --dry-run says what it would do and changes nothing.
 */
import path from 'node:path';
import type { AuditEvent } from '../client/client.js';
import { AppError, isAppError } from '../core/errors.js';
import { parseSecretPath } from '../core/paths.js';
import {
  asUsage,
  type Command,
  type CommandGroup,
  csvRecordCount,
  json,
  str,
  table,
  terminalSafe,
  usage,
  userClient,
  withClient,
  writePrivateFile,
} from './common.js';
import { rotate } from './rotation.js';

/** At most this many reads are counted (the newest). */
const READ_CAP = 100_000;

interface Reader {
  actor: string;
  agent: string | null;
  tokenId: string | null;
  ip: string | null;
  reads: number;
  denied: number;
  first: string;
  last: string;
  run: string | null;
}

/** Who read the secret (and who tried), one row per actor, token and address, from its audit records. */
function readers(events: readonly AuditEvent[], secretPath: string): Reader[] {
  const rows = new Map<string, Reader>();
  for (const e of events) {
    if (e.path !== secretPath || e.event !== 'secret.read') continue;
    const actor = `${e.actorType}:${e.actorName ?? '-'}`;
    const key = `${actor} ${e.tokenId ?? ''} ${e.ip ?? ''}`;
    const r = rows.get(key) ?? {
      actor,
      agent: e.agent,
      tokenId: e.tokenId,
      ip: e.ip,
      reads: 0,
      denied: 0,
      first: e.time,
      last: e.time,
      run: e.claims?.repository ? `${e.claims.repository} run ${e.claims.run_id ?? '?'}` : null,
    };
    if (e.status === 'granted') r.reads++;
    else r.denied++;
    if (e.time < r.first) r.first = e.time;
    if (e.time > r.last) r.last = e.time;
    rows.set(key, r);
  }
  return [...rows.values()].sort((a, b) => (a.last < b.last ? 1 : -1));
}

const incident: Command = {
  usage: 'ass incident PATH [--since 90d] [--revoke] [--rotate [--allow-commands]] [--output FILE] [--dry-run] [--json]',
  summary: 'The incident runbook for a leaked secret: tokens that reach it, who read it, revoke, rotate, and its history as CSV.',
  details: `  PATH              the leaked secret
  --since S         how far back to look for reads (default 90d; a duration or an ISO time)
  --revoke          revoke every live token whose scopes reach PATH (ass tokens revoke, one by one)
  --rotate          rotate PATH now under its rotation policy, even inside a grace period (ass rotate --force)
  --allow-commands  with --rotate: run a command policy's script (see ass rotate --help)
  --output FILE     where the history goes as CSV, a new file of mode 0600 (default
                    incident-<path with / as ->-<UTC time>.csv in this folder)
  --dry-run         say what would be revoked, rotated and written; change nothing
Needs an admin token (tokens, audit, rotation). Agent keys and the secret's value are never printed.`,
  options: {
    since: { type: 'string' },
    revoke: { type: 'boolean' },
    rotate: { type: 'boolean' },
    'allow-commands': { type: 'boolean' },
    output: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['PATH'],
  remote: true,
  async run(ctx, values, [rawPath]) {
    const help = 'ass incident';
    if (!rawPath) throw usage('Missing PATH: the leaked secret, such as production/payments/stripe/secret-key.', help);
    const secretPath = asUsage(help, () => parseSecretPath(rawPath));
    const dryRun = values['dry-run'] === true;
    const since = str(values, 'since') ?? '90d';
    const output = str(values, 'output');
    if (output === '-' || output === '') {
      throw usage(
        '--output takes a file name: the report itself is what goes to stdout (for the CSV alone: ass audit export --format csv).',
        help,
      );
    }
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const file = path.resolve(ctx.io.cwd, output ?? `incident-${secretPath.replaceAll('/', '-')}-${stamp}.csv`);
    const say = (s: string) => {
      if (!values.json) ctx.out(terminalSafe(s));
    };
    const report = await withClient(userClient(ctx, values, 'incident'), async (c) => {
      // A mistyped path must not read as "nothing reaches it": no secret and no record about it is an error.
      const exists = await c.getMetadata(secretPath).then(
        () => true,
        (e: unknown) => {
          if (isAppError(e) && e.code === 'not_found') return false;
          throw e;
        },
      );
      const touched = await c.queryAudit({
        resourcePath: secretPath,
        eventType: ['secret.read', 'secret.write', 'secret.delete'],
        limit: 1,
      });
      if (!exists && touched.events.length === 0) {
        throw new AppError(
          'not_found',
          `No secret is stored at ${secretPath} and the audit log holds no read or write of it: check the path (ass secrets list ${secretPath.split('/').slice(0, -1).join('/') || ''}).`,
        );
      }
      const { tokens } = await c.listTokens({ path: secretPath });
      // The reads of the window, newest first, at most READ_CAP of them (said when the cap is reached).
      const page = await c.queryAudit({ resourcePath: secretPath, since, eventType: ['secret.read'], limit: READ_CAP });
      const events: AuditEvent[] = page.events;
      const who = readers(events, secretPath);
      if (events.length >= READ_CAP) {
        ctx.err(`warning: only the newest ${READ_CAP} reads since ${since} are counted; narrow --since to see the older ones.\n`);
      }
      const { secrets } = await c.listRotationPolicies({ prefix: secretPath });
      const rotation = secrets.find((s) => s.path === secretPath);
      if (values.rotate && !rotation) {
        // Before anything changes: a runbook that cannot finish should not start.
        throw new AppError(
          'not_found',
          `No rotation policy covers ${secretPath}, so --rotate has nothing to run; set one with ass rotation set (or drop --rotate and write a new value with ass secrets set).`,
        );
      }

      say(`Incident report for ${secretPath} (reads since ${since})\n\n`);
      say(`Live tokens that reach it: ${tokens.length}\n`);
      if (tokens.length) {
        say(
          table(
            ['TOKEN', 'KIND', 'AGENT', 'SCOPES', 'EXPIRES', 'USES', 'CI RUN'],
            tokens.map((t) => [
              t.id,
              t.kind,
              t.agent,
              t.scopes.join(' '),
              t.expiresAt,
              `${t.uses}${t.maxUses ? `/${t.maxUses}` : ''}`,
              t.claims?.repository ? `${t.claims.repository} ${t.claims.run_id ?? ''}` : '',
            ]),
          ),
        );
      }
      say(`\nWho read it: ${who.reduce((n, r) => n + r.reads, 0)} read(s) by ${who.length} actor/address pair(s)\n`);
      if (who.length) {
        say(
          table(
            ['ACTOR', 'AGENT', 'TOKEN', 'ADDRESS', 'READS', 'REFUSED', 'FIRST', 'LAST', 'CI RUN'],
            who.map((r) => [r.actor, r.agent, r.tokenId, r.ip, r.reads, r.denied, r.first, r.last, r.run]),
          ),
        );
      }
      say(
        `\nRotation: ${rotation ? `policy ${rotation.policy} (${rotation.rotator}), version ${rotation.version}, last rotated ${rotation.lastRotatedAt}` : 'no rotation policy covers it (set one with ass rotation set, or write a new value with ass secrets set)'}\n`,
      );

      const revoked: string[] = [];
      const wouldRevoke: string[] = [];
      const failed: { id: string; error: string }[] = [];
      if (values.revoke) {
        for (const t of tokens) {
          if (dryRun) {
            wouldRevoke.push(t.id);
            say(`would revoke token ${t.id} (${t.agent ?? '-'})\n`);
            continue;
          }
          try {
            await c.revokeToken(t.id);
            revoked.push(t.id);
            say(`revoked token ${t.id} (${t.agent ?? '-'})\n`);
          } catch (err) {
            if (isAppError(err) && (err.code === 'conflict' || err.code === 'not_found')) {
              // Revoked meanwhile (another responder): done all the same.
              revoked.push(t.id);
              say(`token ${t.id} was already revoked\n`);
              continue;
            }
            const error = isAppError(err) ? err.message : String(err);
            failed.push({ id: t.id, error });
            say(`could not revoke token ${t.id}: ${error}\n`);
          }
        }
      }
      const csv = await c.exportAudit('csv', { resourcePath: secretPath });
      const history = csvRecordCount(csv);
      if (dryRun) say(`would write ${history} audit record(s) about ${secretPath} as CSV to ${file}\n`);
      else {
        await writePrivateFile(file, csv);
        say(`wrote ${history} audit record(s) about ${secretPath} as CSV to ${file}\n`);
      }
      return {
        path: secretPath,
        tokens,
        readers: who,
        rotation: rotation ?? null,
        revoked,
        ...(dryRun ? { wouldRevoke } : {}),
        revokeFailed: failed,
        history: { records: history, file: dryRun ? null : file },
      };
    });
    let rotated: boolean | null = null;
    if (values.rotate) {
      say('\n');
      const before = await withClient(userClient(ctx, values, 'incident'), (c) => c.getMetadata(secretPath));
      const code = await rotate.run(
        // Rotation's own lines go to stderr and its table to stdout; with --json both stay quiet here.
        values.json ? { ...ctx, out: () => {} } : ctx,
        {
          force: true,
          ...(dryRun ? { 'dry-run': true } : {}),
          ...(values['allow-commands'] ? { 'allow-commands': true } : {}),
          // The same vault as everything above.
          ...(values.url !== undefined ? { url: values.url } : {}),
          ...(values.insecure !== undefined ? { insecure: values.insecure } : {}),
        },
        [secretPath],
      );
      // A rotation skipped (a command policy without --allow-commands, a disabled policy, one already
      // running) leaves the leaked value current: that is a failure here.
      const after = dryRun ? before : await withClient(userClient(ctx, values, 'incident'), (c) => c.getMetadata(secretPath));
      rotated = code === 0 && (dryRun || after.version > before.version);
      if (!rotated) ctx.err(`error: ${secretPath} was not rotated: its leaked value is still current (see the lines above).\n`);
    }
    if (values.json) ctx.out(json({ ...report, rotated }));
    return rotated !== false && report.revokeFailed.length === 0 ? 0 : 1;
  },
};

export const incidentGroup: CommandGroup = { name: 'incident', summary: incident.summary, commands: {}, fallback: incident };
