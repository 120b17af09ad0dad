/**
 * `ass approvals list|show|approve|deny|collect` and `ass approvals policy show|set`: the human
 * side of requests held for approval (src/server/approvals.ts).
 *
 * Deciding needs a user token (an admin, or a user marked as an approver). Listing, showing and
 * collecting also work for the requester: ASS_TOKEN when set, else ASS_AGENT_KEY.
 */
import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import type { Approval, ApprovalPolicy, VaultClient } from '../client/client.js';
import { formatDuration } from '../core/duration.js';
import { AppError, errorMessage, isAppError } from '../core/errors.js';
import { TIERS, type Tier } from '../core/model.js';
import { parsePathPrefix, parseSecretPath } from '../core/paths.js';
import {
  bodyOf,
  DEFAULT_TIMEOUT_SECONDS,
  isUserName,
  notAUserName,
  type PolicyBody,
  policyChanges,
  policyFromFile,
  toInput,
} from './approval-policy.js';
import {
  asUsage,
  type Command,
  type CommandGroup,
  type Ctx,
  durationOption,
  envCredential,
  fields,
  int,
  json,
  list,
  makeClient,
  oneOf,
  readStdin,
  str,
  table,
  terminalSafe,
  usage,
  userClient,
  type Values,
  withClient,
} from './common.js';
import { printSecret } from './secrets.js';
import { printIssuedToken } from './tokens.js';

/** What these commands print: the vault's text, made safe for a terminal (no value is printed here; printSecret prints those). */
const say = (ctx: Ctx, text: string) => ctx.out(terminalSafe(text));

const STATUSES = ['pending', 'approved', 'denied', 'expired', 'collected', 'all'] as const;

/** ASS_TOKEN (a user, or the token whose read was held), else ASS_AGENT_KEY (the agent whose token request was held). */
function anyClient(ctx: Ctx, values: Values, what: string): VaultClient {
  const credential = envCredential(ctx, 'ASS_TOKEN') ?? envCredential(ctx, 'ASS_AGENT_KEY');
  if (!credential) {
    throw new AppError(
      'unauthenticated',
      `${what} needs a credential: set ASS_TOKEN (an admin or approver sees every request; a user or token its own) or ASS_AGENT_KEY (an agent sees its own).`,
    );
  }
  return makeClient(ctx, values, credential);
}

/** An approval id as listings show it; anything else is a usage error before any request. */
function approvalId(id: string | undefined, helpFor: string): string {
  if (!id || !/^[0-9A-Za-z]{16}$/.test(id)) {
    throw usage(
      `Give the approval id: 16 letters and digits, as ass approvals list shows it${id ? ` (not ${JSON.stringify(id.slice(0, 40))})` : ''}.`,
      helpFor,
    );
  }
  return id;
}

function approvedBy(a: Pick<Approval, 'decisions'>): string[] {
  return [...new Set(a.decisions.filter((d) => d.decision === 'approve').map((d) => d.user))];
}

function requesterText(r: Approval['requester']): string {
  const run = r.claims?.repository ? ` (${r.claims.repository} run ${r.claims.run_id ?? '?'})` : '';
  return `${r.type} ${r.name}${run}`;
}

const listCmd: Command = {
  usage: 'ass approvals list [--status pending|approved|denied|expired|collected|all] [--limit N] [--json]',
  summary: 'List approval requests, newest first (admins and approvers see all; others their own).',
  details: `  --status S   pending, approved, denied, expired, collected or all (default: pending and approved)
  --limit N    at most N requests (default 100)
Credential: ASS_TOKEN, else ASS_AGENT_KEY (an agent sees its own requests).`,
  options: { status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listApprovals',
  async run(ctx, values) {
    const help = 'ass approvals list';
    const status = oneOf(values, 'status', STATUSES, help);
    const limit = int(values, 'limit', { min: 1, helpFor: help });
    const result = await withClient(anyClient(ctx, values, 'approvals list'), (c) =>
      c.listApprovals({ ...(status ? { status } : {}), ...(limit !== undefined ? { limit } : {}) }),
    );
    if (values.json) {
      say(ctx, json(result));
      return 0;
    }
    if (result.approvals.length === 0) {
      say(
        ctx,
        status && status !== 'all'
          ? `No ${status} approval requests.\n`
          : status === 'all'
            ? 'No approval requests.\n'
            : 'No pending or approved requests (--status all shows decided ones too).\n',
      );
      return 0;
    }
    say(
      ctx,
      table(
        ['ID', 'STATUS', 'REQUESTER', 'PATHS', 'APPROVALS', 'EXPIRES'],
        result.approvals.map((a) => [
          a.id,
          a.status,
          requesterText(a.requester),
          a.paths.join(','),
          `${a.approvals}/${a.requiredApprovals}`,
          a.expiresAt,
        ]),
      ),
    );
    return 0;
  },
};

const show: Command = {
  usage: 'ass approvals show ID [--json]',
  summary: 'Show one approval request: what it covers, who asked, the decisions so far, the approve command.',
  details: `  ID   the request's id, from ass approvals list or the message of the command that was held
Credential: ASS_TOKEN, else ASS_AGENT_KEY (the requester sees its own).`,
  options: { json: { type: 'boolean' } },
  positionals: ['ID'],
  remote: true,
  json: 'getApproval',
  async run(ctx, values, [rawId]) {
    const id = approvalId(rawId, 'ass approvals show');
    const a = await withClient(anyClient(ctx, values, 'approvals show'), (c) => c.getApproval(id));
    if (values.json) {
      say(ctx, json(a));
      return 0;
    }
    const claims = Object.entries(a.requester.claims ?? {}).sort(([x], [y]) => x.localeCompare(y));
    say(
      ctx,
      fields([
        ['id', a.id],
        ['kind', a.kind === 'read' ? 'read' : a.kind === 'exchange' ? 'exchange (a CI run)' : 'token request'],
        ['status', a.status],
        ['requester', requesterText(a.requester)],
        ...(a.requester.tokenId ? ([['token id', a.requester.tokenId]] as Array<[string, unknown]>) : []),
        ...claims.map(([k, v]) => [`claim ${k}`, v] as [string, unknown]),
        ['from', a.ip],
        ['paths', a.paths.join(', ')],
        ...(a.scopes.length ? ([['scopes', a.scopes.join(', ')]] as Array<[string, unknown]>) : []),
        ...(a.ttl !== null ? ([['ttl', formatDuration(a.ttl)]] as Array<[string, unknown]>) : []),
        ...(a.maxUses !== null ? ([['max uses', a.maxUses]] as Array<[string, unknown]>) : []),
        ['reason given', a.description],
        ['rule', a.rule],
        [
          'approvals',
          `${a.approvals} of ${a.requiredApprovals}${a.approvals < approvedBy(a).length ? ` (${approvedBy(a).length - a.approvals} from users who may no longer approve do not count)` : ''}`,
        ],
        ['approvers', a.approvers.length ? a.approvers.join(', ') : 'none yet (an admin makes one: ass users update NAME --approver)'],
        ['created', a.createdAt],
        ['expires', a.expiresAt],
        ['decided', a.decidedAt],
        ['collected', a.collectedAt],
      ]),
    );
    if (a.decisions.length > 0) {
      say(ctx, '\n');
      say(
        ctx,
        table(
          ['DECISION', 'BY', 'AT', 'REASON'],
          a.decisions.map((d) => [d.decision, d.user, d.at, d.reason]),
        ),
      );
    }
    if (a.status === 'pending') {
      say(ctx, `\nApprove: ${a.approveCommand} [--reason TEXT]\nDeny:    ass approvals deny ${a.id} --reason TEXT\n`);
    }
    return 0;
  },
};

const approve: Command = {
  usage: 'ass approvals approve ID [--reason TEXT] [--json]',
  summary: 'Approve a pending request (an admin or approver; never your own request).',
  details: `  ID              the request's id (ass approvals list)
  --reason TEXT   a note for the requester and the audit log
A request that needs N approvals needs N different approvers; a decision is final.`,
  options: { reason: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['ID'],
  remote: true,
  json: 'approveRequest',
  async run(ctx, values, [rawId]) {
    const id = approvalId(rawId, 'ass approvals approve');
    const reason = str(values, 'reason');
    const a = await withClient(userClient(ctx, values, 'approvals approve'), (c) => c.approveRequest(id, reason || undefined));
    if (values.json) {
      say(ctx, json(a));
      return 0;
    }
    const n = a.approvals;
    if (a.status === 'approved') {
      say(
        ctx,
        `Approved ${a.id} (${n} of ${a.requiredApprovals}): ${requesterText(a.requester)} can now collect ${a.paths.join(', ')}, once, until ${a.expiresAt}.\n`,
      );
    } else {
      const others = a.approvers.filter((name) => !approvedBy(a).includes(name));
      say(
        ctx,
        `Recorded your approval of ${a.id}: ${n} of ${a.requiredApprovals}; ${a.requiredApprovals - n} more needed${others.length ? ` (from ${others.join(', ')})` : ''} before ${a.expiresAt}.\n`,
      );
    }
    return 0;
  },
};

const deny: Command = {
  usage: 'ass approvals deny ID --reason TEXT [--json]',
  summary: 'Deny a pending request, with a reason the requester sees (one denial ends it).',
  details: `  ID              the request's id (ass approvals list)
  --reason TEXT   required: why, shown to the requester and kept in the audit log`,
  options: { reason: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['ID'],
  remote: true,
  json: 'denyRequest',
  async run(ctx, values, [rawId]) {
    const help = 'ass approvals deny';
    const id = approvalId(rawId, help);
    const reason = str(values, 'reason');
    if (reason === undefined || reason.trim() === '') {
      throw usage('--reason is required: say why, the requester sees it (e.g. --reason "not during the freeze").', help);
    }
    const a = await withClient(userClient(ctx, values, 'approvals deny'), (c) => c.denyRequest(id, reason));
    if (values.json) say(ctx, json(a));
    else say(ctx, `Denied ${a.id}: ${requesterText(a.requester)} gets nothing for ${a.paths.join(', ')} and sees your reason.\n`);
    return 0;
  },
};

const collect: Command = {
  usage: 'ass approvals collect ID [--oidc-token JWT|-] [--json]',
  summary: 'Collect what an approved request asked for, once: the token, or the values of a held read.',
  details: `  ID                 the request's id (from the command that was held, or ass approvals list)
  --oidc-token JWT   for a CI run's exchange: a fresh OIDC token of the same run ('-' reads it from stdin)
Use the credential that asked: ASS_TOKEN for a held read (a user or token), else ASS_AGENT_KEY for a
held token request. A read prints the values as ass secrets get does; a token request prints the token.`,
  options: { 'oidc-token': { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['ID'],
  remote: true,
  json: 'collectApproval',
  async run(ctx, values, [rawId]) {
    const help = 'ass approvals collect';
    const id = approvalId(rawId, help);
    let oidcToken = str(values, 'oidc-token');
    if (oidcToken === '-') oidcToken = (await readStdin(ctx.io.stdin)).trim();
    if (oidcToken === '') throw usage('The OIDC token is empty.', help);
    const result = await withClient(anyClient(ctx, values, 'approvals collect'), (c) => c.collectApproval(id, oidcToken));
    if (values.json) {
      say(ctx, json(result));
      return 0;
    }
    if (result.token) {
      printIssuedToken(ctx, result.token);
      return 0;
    }
    const secrets = result.secrets ?? [];
    secrets.forEach((s, i) => {
      if (i > 0) say(ctx, '\n');
      printSecret(ctx, s);
    });
    return 0;
  },
};

// ---------------------------------------------------------------------------------------------
// The policy

function ruleRows(p: ApprovalPolicy): unknown[][] {
  const everyone = p.approvers.length ? p.approvers.join(',') : 'any admin or approver';
  return [
    ...TIERS.map((t) => {
      const r = p.tiers[t];
      return [
        `tier ${t}`,
        r.requiredApprovals,
        r.requiredApprovals ? formatDuration(r.timeoutSeconds) : '-',
        r.requiredApprovals ? everyone : '-',
      ];
    }),
    ...p.prefixes.map((x) => [
      `prefix ${x.prefix}${x.tier ? ` (${x.tier})` : ''}`,
      x.requiredApprovals,
      x.requiredApprovals ? formatDuration(x.timeoutSeconds) : '-',
      x.requiredApprovals ? (x.approvers.length ? x.approvers.join(',') : everyone) : '-',
    ]),
  ];
}

function policyHeader(p: ApprovalPolicy): string {
  return p.revision === 0
    ? "Approval policy: the built-in default (seed 003's); nobody has set one yet.\n"
    : `Approval policy, revision ${p.revision} (set ${p.updatedAt ?? '?'} by ${p.updatedBy ?? '?'}).\n`;
}

const policyShow: Command = {
  usage: 'ass approvals policy show [--json]',
  summary: 'Show the approval policy: approvals and timeout per tier and per path prefix, approvers, webhook.',
  details: `A secret's rule is the longest prefix rule that covers it (for its tier), else its tier's rule.
--json prints the policy in the shape ass approvals policy set --file accepts.`,
  options: { json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'approvalPolicy',
  async run(ctx, values) {
    const p = await withClient(anyClient(ctx, values, 'approvals policy show'), (c) => c.approvalPolicy());
    if (values.json) {
      say(ctx, json(p));
      return 0;
    }
    say(ctx, policyHeader(p));
    say(ctx, '\n');
    say(ctx, table(['RULE', 'APPROVALS', 'TIMEOUT', 'APPROVERS'], ruleRows(p)));
    say(ctx, '\n');
    say(
      ctx,
      fields([
        ['approvers', p.approvers.length ? p.approvers.join(', ') : 'every admin and approver (never the requester)'],
        ['webhook', p.notify ? `${p.notify.webhook} (signed with the key at ${p.notify.webhookSecret})` : 'none'],
      ]),
    );
    return 0;
  },
};

/** Flags that edit the policy (everything but --file and --json). */
const EDIT_FLAGS = ['tier', 'required', 'timeout', 'prefix', 'remove-prefix', 'approvers', 'webhook', 'webhook-secret', 'no-webhook'];

interface PolicyEdit {
  tier?: Tier;
  required?: number;
  timeout?: number;
  prefix?: string;
  removePrefix?: string;
  /** Given (possibly empty: clear) or not. */
  approvers?: string[];
  notify?: PolicyBody['notify'];
}

function parseEdit(values: Values, help: string): PolicyEdit {
  const tier = oneOf<Tier>(values, 'tier', TIERS, help);
  const required = int(values, 'required', { min: 0, helpFor: help });
  const timeout = durationOption(values, 'timeout', help);
  const rawPrefix = str(values, 'prefix');
  const rawRemove = str(values, 'remove-prefix');
  if (rawPrefix !== undefined && rawRemove !== undefined) throw usage('Give --prefix or --remove-prefix, not both.', help);
  const prefix = rawPrefix === undefined ? undefined : asUsage(help, () => parsePathPrefix(rawPrefix, '--prefix'));
  const removePrefix = rawRemove === undefined ? undefined : asUsage(help, () => parsePathPrefix(rawRemove, '--remove-prefix'));
  if (prefix === '' || removePrefix === '') throw usage('The prefix is empty: give a path prefix such as production/payments.', help);
  const approvers = values.approvers === undefined ? undefined : list(values, 'approvers');
  const wrong = approvers?.find((n) => !isUserName(n));
  if (wrong !== undefined) throw usage(`--approvers: ${notAUserName(wrong)}`, help);
  if (removePrefix !== undefined && (required !== undefined || timeout !== undefined || approvers !== undefined)) {
    throw usage('--remove-prefix takes only --tier (which of the prefix rules to remove); set other things in another command.', help);
  }
  if (prefix === undefined && removePrefix === undefined) {
    if (tier === undefined && (required !== undefined || timeout !== undefined)) {
      throw usage('--required and --timeout change a rule: name it with --tier T (a tier) or --prefix PATH.', help);
    }
    if (tier !== undefined && required === undefined && timeout === undefined) {
      throw usage(`--tier ${tier} needs --required N and/or --timeout D: what to change in that tier's rule.`, help);
    }
  }
  const webhook = str(values, 'webhook');
  const webhookSecret = str(values, 'webhook-secret');
  let notify: PolicyBody['notify'] | undefined;
  if (values['no-webhook'] === true) {
    if (webhook !== undefined || webhookSecret !== undefined)
      throw usage('--no-webhook removes the webhook; give it without --webhook.', help);
    notify = null;
  } else if (webhook !== undefined || webhookSecret !== undefined) {
    if (!webhook || !webhookSecret) {
      throw usage(
        '--webhook URL and --webhook-secret VAULT_PATH go together: the https URL, and where the vault keeps the key that signs each notice.',
        help,
      );
    }
    notify = { webhook, webhookSecret: asUsage(help, () => parseSecretPath(webhookSecret, '--webhook-secret')) };
  }
  return {
    ...(tier !== undefined ? { tier } : {}),
    ...(required !== undefined ? { required } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(removePrefix !== undefined ? { removePrefix } : {}),
    ...(approvers !== undefined ? { approvers } : {}),
    ...(notify !== undefined ? { notify } : {}),
  };
}

/** The policy with the flags' changes applied. */
function applyEdit(current: PolicyBody, e: PolicyEdit, help: string): PolicyBody {
  const next: PolicyBody = {
    tiers: { ...current.tiers },
    prefixes: current.prefixes.map((p) => ({ ...p })),
    approvers: [...current.approvers],
    notify: current.notify,
  };
  const tier = e.tier ?? null;
  if (e.removePrefix !== undefined) {
    const i = next.prefixes.findIndex((p) => p.prefix === e.removePrefix && p.tier === tier);
    if (i < 0) {
      const known = current.prefixes.map((p) => `${p.prefix}${p.tier ? ` --tier ${p.tier}` : ''}`);
      throw new AppError(
        'not_found',
        `The policy has no rule for prefix ${e.removePrefix}${tier ? ` (tier ${tier})` : ' (every tier)'}; its prefix rules: ${known.length ? known.join('; ') : 'none'} (ass approvals policy show).`,
      );
    }
    next.prefixes.splice(i, 1);
  } else if (e.prefix !== undefined) {
    const existing = next.prefixes.find((p) => p.prefix === e.prefix && p.tier === tier);
    if (existing) {
      if (e.required !== undefined) existing.requiredApprovals = e.required;
      if (e.timeout !== undefined) existing.timeoutSeconds = e.timeout;
      if (e.approvers !== undefined) existing.approvers = [...new Set(e.approvers)].sort();
    } else {
      if (e.required === undefined) {
        throw usage(`A new rule for prefix ${e.prefix} needs --required N (how many approvers; 0 exempts the prefix).`, help);
      }
      next.prefixes.push({
        prefix: e.prefix,
        tier,
        requiredApprovals: e.required,
        timeoutSeconds: e.timeout ?? DEFAULT_TIMEOUT_SECONDS,
        approvers: [...new Set(e.approvers ?? [])].sort(),
      });
    }
  } else {
    if (e.tier !== undefined) {
      const old = next.tiers[e.tier];
      next.tiers[e.tier] = { requiredApprovals: e.required ?? old.requiredApprovals, timeoutSeconds: e.timeout ?? old.timeoutSeconds };
    }
    if (e.approvers !== undefined) next.approvers = [...new Set(e.approvers)].sort();
  }
  if (e.notify !== undefined) next.notify = e.notify;
  return next;
}

async function readPolicyFile(ctx: Ctx, file: string, help: string): Promise<PolicyBody> {
  let text: string;
  try {
    text = await readFile(nodePath.resolve(ctx.io.cwd, file), 'utf8');
  } catch (err) {
    throw usage(`Could not read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); give the path of a JSON policy file.`, help);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // Node's message quotes the text around the error; say only where it is.
    const at = /position (\d+)/.exec(errorMessage(err))?.[1];
    throw usage(`${file} is not valid JSON${at ? ` (at character ${at})` : ''}.`, help);
  }
  return asUsage(help, () => policyFromFile(raw, file));
}

const policySet: Command = {
  usage:
    'ass approvals policy set (--file FILE | --tier T --required N [--timeout D] | --prefix PATH [--tier T] --required N [--timeout D] [--approvers a,b] | --remove-prefix PATH [--tier T] | --approvers a,b | --webhook URL --webhook-secret PATH | --no-webhook) [--json]',
  summary: 'Change the approval policy (admin): a tier, a prefix rule, the approvers, the webhook, or all of it from a file.',
  details: `  --tier T --required N [--timeout D]   the rule of a tier (standard, sensitive, critical): N approvals
                                        (0: none) from different approvers within D (default 24h, 1m to 7d)
  --prefix PATH [--tier T] --required N [--timeout D] [--approvers a,b]
                                        a rule for the secrets below PATH (of tier T only, if given); the
                                        longest prefix wins over the tier rule; --approvers: only these may decide
  --remove-prefix PATH [--tier T]       remove a prefix rule
  --approvers a,b                       only these users may approve (each an admin or an approver);
                                        --approvers "" clears the list (every admin and approver may)
  --webhook URL --webhook-secret PATH   tell an https URL of each request and decision (Slack-compatible),
                                        signed X-Ass-Signature-256 with the key stored at the vault PATH
  --no-webhook                          stop the notices
  --file FILE                           replace the whole policy: seed 003's JSON
                                        ({"approval_policy": {"tiers": {"critical": {"required_approvals": 1,
                                        "timeout_hours": 24}, ...}, "approvers": [...]}}) or what
                                        ass approvals policy show --json prints
The change is made on the policy as it stands: if someone changes it meanwhile, the command fails
(exit 2) rather than undo their change; run it again. Prints what changed.`,
  options: {
    file: { type: 'string' },
    tier: { type: 'string' },
    required: { type: 'string' },
    timeout: { type: 'string' },
    prefix: { type: 'string' },
    'remove-prefix': { type: 'string' },
    approvers: { type: 'string' },
    webhook: { type: 'string' },
    'webhook-secret': { type: 'string' },
    'no-webhook': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: [],
  remote: true,
  json: 'setApprovalPolicy',
  async run(ctx, values) {
    const help = 'ass approvals policy set';
    const file = str(values, 'file');
    const edits = EDIT_FLAGS.filter((k) => values[k] !== undefined);
    if (file !== undefined && edits.length > 0) {
      throw usage(`--file replaces the whole policy: give it alone (not with --${edits[0]}).`, help);
    }
    if (file === undefined && edits.length === 0) {
      throw usage(
        'Say what to change: --file FILE, --tier T --required N, --prefix PATH --required N, --remove-prefix PATH, --approvers a,b, --webhook URL --webhook-secret PATH, or --no-webhook.',
        help,
      );
    }
    const fromFile = file !== undefined ? await readPolicyFile(ctx, file, help) : undefined;
    const edit = file === undefined ? parseEdit(values, help) : undefined;
    return withClient(userClient(ctx, values, 'approvals policy set'), async (c) => {
      const current = await c.approvalPolicy();
      const before = bodyOf(current);
      const after = fromFile ?? applyEdit(before, edit as PolicyEdit, help);
      const changes = policyChanges(before, after);
      if (changes.length === 0) {
        if (values.json) say(ctx, json(current));
        else
          say(
            ctx,
            `Nothing changed: the policy already says that (${current.revision === 0 ? 'the built-in default' : `revision ${current.revision}`}).\n`,
          );
        return 0;
      }
      const saved = await c.setApprovalPolicy(toInput(after, current.revision)).catch((err: unknown) => {
        if (!isAppError(err) || err.code !== 'conflict' || !/changed since revision/.test(err.message)) throw err;
        throw new AppError(
          'conflict',
          `Someone changed the approval policy while this command ran (it read ${current.revision === 0 ? 'the built-in default' : `revision ${current.revision}`}); nothing was written, so their change stands. Check it with ass approvals policy show, then run this command again.`,
        );
      });
      if (values.json) {
        say(ctx, json(saved));
        return 0;
      }
      say(ctx, `Approval policy updated (revision ${saved.revision}):\n${changes.map((l) => `  ${l}`).join('\n')}\n`);
      return 0;
    });
  },
};

export const approvalsGroup: CommandGroup = {
  name: 'approvals',
  summary: 'Decide requests held for human approval, collect approved ones, and set the approval policy.',
  commands: { list: listCmd, show, approve, deny, collect, 'policy show': policyShow, 'policy set': policySet },
};
