/**
 * `ass tokens issue|exchange` (agent key in ASS_AGENT_KEY) and `ass tokens list|revoke` (admin
 * token in ASS_TOKEN).
 */
import type { IssuedToken } from '../client/client.js';
import { parseCidr } from '../core/cidr.js';
import { AppError } from '../core/errors.js';
import { parseSecretPath } from '../core/paths.js';
import { scopesOption } from './agents.js';
import {
  agentClient,
  asUsage,
  type Command,
  type CommandGroup,
  type Ctx,
  durationOption,
  fields,
  int,
  json,
  list,
  readStdin,
  str,
  table,
  usage,
  userClient,
  withClient,
} from './common.js';
import { orWaitForApproval, WAIT_HELP, WAIT_OPTIONS, waitOption } from './held.js';

const issue: Command = {
  usage:
    'ass tokens issue --scopes "..." --ttl 1h [--max-uses N] [--allowed-ips "10.0.0.1,10.0.0.0/24"] [--description D] [--wait [--wait-timeout 15m]] [--json]',
  summary: 'Issue a short-lived scoped token with the agent key (ASS_AGENT_KEY).',
  details: `  --scopes "a,b"        what the token may do, within the agent's scopes ("secrets:read:production/gemini/*",
                        or audit:read for the audit log)
  --ttl D               lifetime: 90s, 15m, 1h (hard expiry, at most the server's maximum, 24h by default)
  --max-uses N          spent once per request; the token dies after N uses
  --allowed-ips "a,b"   only these addresses or CIDR ranges (IPv4 or IPv6) may use it
  --description D       a note shown in listings and audit records, and to approvers when the request is
                        held for approval (scopes that reach a sensitive or critical secret: exit 5, or --wait)
${WAIT_HELP}`,
  options: {
    scopes: { type: 'string', multiple: true },
    ttl: { type: 'string' },
    'max-uses': { type: 'string' },
    'allowed-ips': { type: 'string', multiple: true },
    description: { type: 'string' },
    ...WAIT_OPTIONS,
    json: { type: 'boolean' },
  },
  positionals: [],
  remote: true,
  json: 'issueToken',
  async run(ctx, values) {
    const help = 'ass tokens issue';
    const scopes = scopesOption(values, help);
    const ttl = durationOption(values, 'ttl', help);
    if (ttl === undefined) throw usage('--ttl is required: give the lifetime, such as --ttl 15m or --ttl 1h.', help);
    const maxUses = int(values, 'max-uses', { min: 1, helpFor: help });
    const allowedIps = list(values, 'allowed-ips');
    for (const ip of allowedIps) asUsage(help, () => parseCidr(ip, '--allowed-ips entry'));
    const description = str(values, 'description');
    const wait = waitOption(values, help);
    const request = {
      scopes,
      ttl,
      ...(maxUses !== undefined ? { maxUses } : {}),
      ...(allowedIps.length ? { allowedIps } : {}),
      ...(description !== undefined ? { description } : {}),
    };
    const token = await withClient(agentClient(ctx, values, 'tokens issue'), (c) =>
      orWaitForApproval(
        ctx,
        c,
        wait,
        () => c.issueToken(request),
        async (id) => {
          const collected = await c.collectApproval(id);
          if (!collected.token) throw new AppError('internal', `Approval ${id} released no token; see ass approvals show ${id}.`);
          return collected.token;
        },
      ),
    );
    if (values.json) ctx.out(json(token));
    else printIssuedToken(ctx, token);
    return 0;
  },
};

/** A scoped token as `tokens issue` prints it (and `approvals collect`, for an approved token request). */
export function printIssuedToken(ctx: Ctx, token: IssuedToken): void {
  ctx.out(
    fields([
      ['id', token.id],
      ['agent', token.agent],
      ['scopes', token.scopes.join(', ')],
      ['expires', token.expiresAt],
      ['max uses', token.maxUses ?? 'unlimited'],
      ['allowed ips', token.allowedIps?.length ? token.allowedIps.join(', ') : 'any'],
    ]),
  );
  ctx.out(`\nToken (shown only now; use it as ASS_TOKEN):\n${token.token}\n`);
}

const exchange: Command = {
  usage: 'ass tokens exchange --oidc-token JWT|- [--scopes "..."] [--ttl 15m] [--json]',
  summary: 'Exchange a CI OIDC token (GitHub, GitLab, Buildkite, CircleCI) and the agent key for a pipeline token.',
  details: `Needs both factors: ASS_AGENT_KEY and an OIDC token that satisfies the agent's trust policy.
  --oidc-token JWT   the CI's OIDC token ('-' reads it from stdin, keeping it out of the process list)
  --scopes "a,b"     narrow the pipeline token further (default: everything the policy allows)
  --ttl D            lifetime within the server's maximum (default 15m)`,
  options: {
    'oidc-token': { type: 'string' },
    scopes: { type: 'string', multiple: true },
    ttl: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  remote: true,
  json: 'exchangeToken',
  async run(ctx, values) {
    const help = 'ass tokens exchange';
    let oidcToken = str(values, 'oidc-token');
    if (oidcToken === undefined) throw usage("--oidc-token is required: pass the CI's OIDC token (or '-' to read it from stdin).", help);
    if (oidcToken === '-') oidcToken = (await readStdin(ctx.io.stdin)).trim();
    if (oidcToken === '') throw usage('The OIDC token is empty.', help);
    const scopes = list(values, 'scopes').length ? scopesOption(values, help) : undefined;
    const ttl = durationOption(values, 'ttl', help);
    const token = await withClient(agentClient(ctx, values, 'tokens exchange'), (c) =>
      c.exchangeToken({ oidcToken: oidcToken!, ...(scopes ? { scopes } : {}), ...(ttl !== undefined ? { ttl } : {}) }),
    );
    if (values.json) {
      ctx.out(json(token));
      return 0;
    }
    const claims = token.claims ?? {};
    ctx.out(
      fields([
        ['id', token.id],
        ['agent', token.agent],
        ['scopes', token.scopes.join(', ')],
        ['expires', token.expiresAt],
        ['repository', claims.repository],
        ['run', claims.run_id === undefined ? undefined : `${String(claims.run_id)}/${String(claims.run_attempt ?? '')}`],
      ]),
    );
    ctx.out(`\nPipeline token (shown only now; use it as ASS_TOKEN):\n${token.token}\n`);
    return 0;
  },
};

const listCmd: Command = {
  usage: 'ass tokens list [--agent N] [--path P] [--all] [--json]',
  summary: 'List tokens (admin), e.g. every token that covers a leaked path.',
  details: `  --agent N   only tokens of this agent
  --path P    only tokens whose scopes cover this secret path (incident response)
  --all       include expired and revoked tokens`,
  options: { agent: { type: 'string' }, path: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listTokens',
  async run(ctx, values) {
    const help = 'ass tokens list';
    const path = str(values, 'path');
    if (path !== undefined) asUsage(help, () => parseSecretPath(path, '--path'));
    const agent = str(values, 'agent');
    const result = await withClient(userClient(ctx, values, 'tokens list'), (c) =>
      c.listTokens({ ...(agent ? { agent } : {}), ...(path ? { path } : {}), ...(values.all ? { all: true } : {}) }),
    );
    if (values.json) ctx.out(json(result));
    else if (result.tokens.length === 0) ctx.out(values.all ? 'No tokens.\n' : 'No active tokens.\n');
    else
      ctx.out(
        table(
          ['ID', 'KIND', 'AGENT', 'SCOPES', 'EXPIRES', 'USES', 'ACTIVE', 'REVOKED', 'DESCRIPTION'],
          result.tokens.map((t) => [
            t.id,
            t.kind,
            t.agent,
            t.scopes.join(','),
            t.expiresAt,
            t.maxUses == null ? `${t.uses}` : `${t.uses}/${t.maxUses}`,
            t.active ? 'yes' : 'no',
            t.revokedAt,
            t.description,
          ]),
        ),
      );
    return 0;
  },
};

const revoke: Command = {
  usage: 'ass tokens revoke ID [--json]',
  summary: 'Revoke a token by its id (admin).',
  details: '  ID       the token id shown by `ass tokens list` (not the token itself)',
  options: { json: { type: 'boolean' } },
  positionals: ['ID'],
  remote: true,
  json: 'revokeToken',
  async run(ctx, values, [id]) {
    if (/^ass_[uatp]_/.test(id!)) {
      throw usage('Give the token id (the 16-character accessor shown by `ass tokens list`), not the token itself.', 'ass tokens revoke');
    }
    const result = await withClient(userClient(ctx, values, 'tokens revoke'), (c) => c.revokeToken(id!));
    if (values.json) ctx.out(json(result));
    else ctx.out(`Revoked token ${result.id}.\n`);
    return 0;
  },
};

export const tokensGroup: CommandGroup = {
  name: 'tokens',
  summary: 'Issue, exchange, list and revoke scoped tokens.',
  commands: { issue, exchange, list: listCmd, revoke },
};
