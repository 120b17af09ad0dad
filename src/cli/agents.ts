/** `ass agents create|list|revoke` (admin token in ASS_TOKEN). */
import type { AgentInfo } from '../client/client.js';
import { formatScopes, parseScopes } from '../core/scopes.js';
import {
  asUsage,
  type Command,
  type CommandGroup,
  fields,
  json,
  list,
  requireStr,
  str,
  table,
  usage,
  userClient,
  withClient,
} from './common.js';

/** `--scopes "a,b"` → validated, canonical scope strings (usage error naming the bad one). */
export function scopesOption(values: Parameters<typeof list>[0], helpFor: string, key = 'scopes'): string[] {
  const items = list(values, key);
  if (items.length === 0) throw usage(`--${key} is required: give scopes such as "secrets:read:production/gemini/*".`, helpFor);
  return asUsage(helpFor, () => formatScopes(parseScopes(items)));
}

/** `--oidc-claim k=v` (repeatable) → `{k: v}`. */
export function claimsOption(items: string[], helpFor: string): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    const key = i < 0 ? '' : item.slice(0, i).trim();
    const value = i < 0 ? '' : item.slice(i + 1).trim();
    if (!key || !value) {
      throw usage(
        `--oidc-claim ${JSON.stringify(item.slice(0, 80))} is not NAME=VALUE: write it like --oidc-claim repository_id=123456.`,
        helpFor,
      );
    }
    if (Object.hasOwn(claims, key)) throw usage(`--oidc-claim ${key} is given twice; a claim must match one exact value.`, helpFor);
    claims[key] = value;
  }
  return claims;
}

const create: Command = {
  usage:
    'ass agents create --name N --scopes "a,b" [--description D] [--oidc-issuer URL] [--oidc-claim k=v ...] [--oidc-scopes "a,b"] [--json]',
  summary: 'Register an agent and print its agent key (once).',
  details: `  --name N            the agent's name, one per service (payment-service)
  --scopes "a,b"      the most the agent's tokens may grant, e.g. "secrets:read:production/stripe/*",
                      or audit:read (the audit log, no secret)
  --description D     a note
  --oidc-issuer URL   trust CI OIDC tokens from this issuer (default GitHub's
                      https://token.actions.githubusercontent.com when a claim is given)
  --oidc-claim k=v    a claim the OIDC token must carry exactly; repeat for several
                      (GitHub needs repository_id=..., e.g. --oidc-claim repository_id=123 --oidc-claim ref=refs/heads/main)
  --oidc-scopes "a,b" a further limit for pipeline tokens: they get the agent's scopes ∩ these ∩ the requested
`,
  options: {
    name: { type: 'string' },
    scopes: { type: 'string', multiple: true },
    description: { type: 'string' },
    'oidc-issuer': { type: 'string' },
    'oidc-claim': { type: 'string', multiple: true },
    'oidc-scopes': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  positionals: [],
  remote: true,
  json: 'createAgent',
  async run(ctx, values) {
    const help = 'ass agents create';
    const name = requireStr(values, 'name', 'name the agent after its service, e.g. --name payment-service', help);
    const scopes = scopesOption(values, help);
    const description = str(values, 'description');
    const issuer = str(values, 'oidc-issuer');
    const claimItems = (values['oidc-claim'] as string[] | undefined) ?? [];
    const claims = claimsOption(claimItems, help);
    if (issuer !== undefined && claimItems.length === 0) {
      throw usage('--oidc-issuer needs at least one --oidc-claim NAME=VALUE to bind tokens to (for GitHub: repository_id).', help);
    }
    const policyScopes = values['oidc-scopes'] ? scopesOption(values, help, 'oidc-scopes') : undefined;
    if (policyScopes && claimItems.length === 0)
      throw usage('--oidc-scopes belongs to a trust policy: give --oidc-claim NAME=VALUE too.', help);
    const trustPolicy = claimItems.length
      ? { ...(issuer ? { issuer } : {}), claims, ...(policyScopes ? { scopes: policyScopes } : {}) }
      : undefined;
    const agent = await withClient(userClient(ctx, values, 'agents create'), (c) =>
      c.createAgent({ name, scopes, ...(description !== undefined ? { description } : {}), ...(trustPolicy ? { trustPolicy } : {}) }),
    );
    if (values.json) {
      ctx.out(json(agent));
      return 0;
    }
    const pairs: Array<[string, unknown]> = [
      ['name', agent.name],
      ['id', agent.id],
      ['scopes', agent.scopes.join(', ')],
    ];
    if (agent.trustPolicy) {
      pairs.push(['oidc issuer', agent.trustPolicy.issuer]);
      pairs.push([
        'oidc claims',
        Object.entries(agent.trustPolicy.claims ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      ]);
      if (agent.trustPolicy.scopes) pairs.push(['oidc scopes', agent.trustPolicy.scopes.join(', ')]);
    }
    ctx.out(fields(pairs));
    ctx.out(`\nAgent key (shown only now; store it as ASS_AGENT_KEY in your CI secret store):\n${agent.agentKey}\n`);
    return 0;
  },
};

/** A trust policy in one cell: the issuer (unless GitHub's), the bound claims, the OIDC scopes. */
function trustPolicyCell(p: AgentInfo['trustPolicy']): string | undefined {
  if (!p) return undefined;
  const issuer = p.issuer === 'https://token.actions.githubusercontent.com' ? 'github' : p.issuer;
  const claims = Object.entries(p.claims).map(([k, v]) => `${k}=${v}`);
  return [issuer, ...claims, ...(p.scopes ? [`scopes ${p.scopes.join(',')}`] : [])].join(' ');
}

const listCmd: Command = {
  usage: 'ass agents list [--json]',
  summary: 'List agents.',

  options: { json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listAgents',
  async run(ctx, values) {
    const result = await withClient(userClient(ctx, values, 'agents list'), (c) => c.listAgents());
    if (values.json) ctx.out(json(result));
    else if (result.agents.length === 0) ctx.out('No agents. Create one with `ass agents create --name N --scopes ...`.\n');
    else
      ctx.out(
        table(
          ['NAME', 'ID', 'SCOPES', 'OIDC', 'CREATED', 'REVOKED', 'DESCRIPTION'],
          result.agents.map((a) => [
            a.name,
            a.id,
            a.scopes.join(','),
            trustPolicyCell(a.trustPolicy),
            a.createdAt,
            a.revokedAt,
            a.description,
          ]),
        ),
      );
    return 0;
  },
};

const revoke: Command = {
  usage: 'ass agents revoke NAME [--json]',
  summary: 'Revoke an agent: its key and every token it issued.',

  options: { json: { type: 'boolean' } },
  positionals: ['NAME'],
  remote: true,
  json: 'revokeAgent',
  async run(ctx, values, [name]) {
    const result = await withClient(userClient(ctx, values, 'agents revoke'), (c) => c.revokeAgent(name!));
    if (values.json) ctx.out(json(result));
    else ctx.out(`Revoked agent ${result.name} and ${result.tokensRevoked} token${result.tokensRevoked === 1 ? '' : 's'} it issued.\n`);
    return 0;
  },
};

export const agentsGroup: CommandGroup = {
  name: 'agents',
  summary: 'Register, list and revoke agents.',
  commands: { create, list: listCmd, revoke },
};
