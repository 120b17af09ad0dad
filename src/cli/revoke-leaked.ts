/**
 * `ass scan --revoke-leaked`: a finding that is one of this vault's own credentials is revoked at
 * once, the self-hosted counterpart of a provider's partner revocation. The credential is read back
 * from where the scan found it (the scanner never keeps secrets), checked (prefix and CRC), and then:
 * a token or pipeline token revokes itself; an agent key's agent is revoked with an admin token
 * (ASS_TOKEN), or else the key replaces itself with grace 0 (the new key is thrown away, so nobody
 * holds it); a user token's user is revoked with an admin token. Only the vault at ASS_URL is asked:
 * a credential it does not know is reported as such. Nothing here prints a credential.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CREDENTIAL_KINDS, type CredentialKind } from '../core/credentials.js';
import { isAppError } from '../core/errors.js';
import { validAssCredential } from '../scan/checksum.js';
import { git } from '../scan/git.js';
import type { Finding } from '../scan/index.js';
import { type Ctx, makeClient, type Values, withClient } from './common.js';

/** At most this many credentials are tried per scan: a repository full of foreign keys must not lock this machine out. */
const MAX_ATTEMPTS = 25;
const CREDENTIAL = /ass_([uatp])_[0-9A-Za-z]{65}/g;

/** Where the scanned text came from, to read a finding's line back. */
export type Source =
  | { kind: 'tree'; root: string }
  | { kind: 'git'; dir: string; rev: string | undefined }
  | { kind: 'text'; text: string };

export interface Revocation {
  /** The credential's public id (never the secret). */
  id: string;
  kind: CredentialKind;
  where: string;
  result: 'revoked' | 'key-replaced' | 'unknown' | 'needs-admin' | 'failed' | 'not-tried';
  message: string;
}

const KIND_OF = Object.fromEntries(Object.entries(CREDENTIAL_KINDS).map(([k, v]) => [v, k])) as Record<string, CredentialKind>;

async function lineOf(source: Source, f: Finding): Promise<string | undefined> {
  try {
    let text: string;
    if (source.kind === 'text') text = source.text;
    else if (source.kind === 'tree') text = await readFile(path.resolve(source.root, f.path), 'utf8');
    else {
      const rev = f.commit?.sha ?? source.rev;
      const shown = await git(source.dir, ['show', `${rev ?? ''}:${f.path}`]);
      if (shown.code !== 0) return undefined;
      text = shown.stdout;
    }
    return text.split('\n')[f.line - 1];
  } catch {
    return undefined;
  }
}

/** The vault credentials among the findings, read back from their lines and checked. */
export async function leakedCredentials(findings: readonly Finding[], source: Source): Promise<{ credential: string; finding: Finding }[]> {
  const out = new Map<string, { credential: string; finding: Finding }>();
  for (const f of findings) {
    if (f.ruleId !== 'ass-credential') continue;
    const line = await lineOf(source, f);
    if (line === undefined) continue;
    for (const m of line.matchAll(CREDENTIAL)) {
      const credential = m[0];
      if (validAssCredential(credential) && !out.has(credential)) out.set(credential, { credential, finding: f });
    }
  }
  return [...out.values()];
}

/** Revokes each credential at the vault; never throws for one credential's failure. */
export async function revokeLeaked(
  ctx: Ctx,
  values: Values,
  leaked: readonly { credential: string; finding: Finding }[],
  adminToken: string | undefined,
): Promise<Revocation[]> {
  const out: Revocation[] = [];
  let stop: string | undefined;
  for (const [i, { credential, finding }] of leaked.entries()) {
    const kind = KIND_OF[credential[4] as string] as CredentialKind;
    const id = credential.slice(6, 22);
    const where = `${finding.path}:${finding.line}${finding.commit ? ` (commit ${finding.commit.sha.slice(0, 12)})` : ''}`;
    const base = { id, kind, where };
    if (stop || i >= MAX_ATTEMPTS) {
      out.push({ ...base, result: 'not-tried', message: stop ?? `only the first ${MAX_ATTEMPTS} vault credentials are tried per scan` });
      continue;
    }
    try {
      out.push({ ...base, ...(await revokeOne(ctx, values, kind, id, credential, adminToken)) });
    } catch (e) {
      const code = isAppError(e) ? e.code : 'internal';
      if (code === 'unauthenticated') {
        out.push({
          ...base,
          result: 'unknown',
          message: 'this vault does not know it as a live credential (expired, revoked already, or another vault’s)',
        });
      } else {
        const message = isAppError(e)
          ? e.message
          : `the vault could not be reached (${e instanceof Error ? e.message.slice(0, 200) : 'error'})`;
        out.push({ ...base, result: 'failed', message });
        // Locked out or limited: trying more would only make it worse.
        if (code === 'rate_limited' || code === 'locked_out') stop = `not tried: the vault refused the last attempt (${code})`;
      }
    }
  }
  return out;
}

async function revokeOne(
  ctx: Ctx,
  values: Values,
  kind: CredentialKind,
  id: string,
  credential: string,
  adminToken: string | undefined,
): Promise<Pick<Revocation, 'result' | 'message'>> {
  const leaked = () => makeClient(ctx, values, credential);
  if (kind === 'token' || kind === 'pipeline') {
    await withClient(leaked(), (c) => c.revokeSelf());
    return { result: 'revoked', message: `${kind === 'pipeline' ? 'pipeline token' : 'token'} ${id} revoked` };
  }
  const who = await withClient(leaked(), (c) => c.whoami());
  const name = 'name' in who ? who.name : id;
  if (kind === 'agent') {
    if (adminToken) {
      const r = await withClient(makeClient(ctx, values, adminToken), (c) => c.revokeAgent(name));
      return { result: 'revoked', message: `agent ${name} revoked with its key and ${r.tokensRevoked ?? 0} live token(s)` };
    }
    // The key replaces itself and the new one is dropped: the leaked key stops working now.
    await withClient(leaked(), (c) => c.rotateAgentKey(name, 0));
    return {
      result: 'key-replaced',
      message: `agent ${name}'s leaked key no longer works (its replacement was discarded); an admin gives the agent a new key (POST /v1/agents/{name}/key with an admin token) and revokes the tokens it issued (ass tokens list --agent ${name})`,
    };
  }
  if (!adminToken)
    return {
      result: 'needs-admin',
      message: `user ${name}'s token is live: set ASS_TOKEN to an admin token, or run ass users revoke ${name}`,
    };
  await withClient(makeClient(ctx, values, adminToken), (c) => c.revokeUser(name));
  return { result: 'revoked', message: `user ${name} revoked` };
}
