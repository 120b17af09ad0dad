/**
 * Approval requests (see src/server/approvals.ts): the policy, listing and showing requests, the
 * approvers' decisions, and the requester's one collection of what an approved request asked for.
 */
import { VALUE_ROLES } from '../../api/routes.js';
import { parseCidr } from '../../core/cidr.js';
import { formatDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { SecretType, Tier } from '../../core/model.js';
import { formatScopes, parseScopes, scopesOutside } from '../../core/scopes.js';
import { validateWebhookUrl } from '../../rotation/notify.js';
import type { ApprovalDecisionRow, ApprovalPolicy, ApprovalRow, TokenRow } from '../../store/types.js';
import { combineRules, heldError, MAX_TIMEOUT_SECONDS, ruleFor, selfApproval } from '../approvals.js';
import type { Principal, RequestContext } from '../context.js';
import type { ServiceDeps } from '../deps.js';
import { REASON } from '../freshness.js';
import type { Handlers } from '../pipeline.js';
import { loadValue, readBatch, refuseOwnKeyToReplacedKey } from './secrets.js';
import { newToken, RUN_ID_CLAIMS, replacedKeyClaims, replacedKeyTtl, verifyRun } from './tokens.js';
import { asUser, iso, tokenView, userView } from './views.js';

/**
 * The CI claims a pipeline's later OIDC token must repeat to collect what its run asked for: the
 * same run (a re-run attempt of it, after the approval came, may collect), of the same commit.
 */
const RUN_CLAIMS = [
  'repository_id',
  'repository',
  'sha',
  'ref',
  'environment',
  'project_id',
  'pipeline_slug',
  'oidc.circleci.com/project-id',
  ...RUN_ID_CLAIMS,
] as const;

function unknownApproval(id: string): AppError {
  return new AppError('not_found', `No approval request ${id}; see ass approvals list (--status all for decided ones).`);
}

/** Admins and approvers see every request; everybody else their own. */
function mayView(principal: Principal, row: ApprovalRow): boolean {
  if (principal.kind === 'user') return principal.role === 'admin' || row.requesterId === principal.id;
  return row.requesterId === principal.agent.id;
}

async function isApprover(deps: ServiceDeps, principal: Principal): Promise<boolean> {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') return true;
  return (await deps.store.getUser(principal.id))?.approver === true;
}

async function load(deps: ServiceDeps, principal: Principal, id: string) {
  const found = await deps.store.getApproval(id);
  if (!found) throw unknownApproval(id);
  if (!(mayView(principal, found.row) || (await isApprover(deps, principal)))) throw notYours(id);
  return found;
}

function notYours(id: string): AppError {
  return new AppError('denied', `Only the requester, admins and approvers can see approval ${id}.`);
}

/** A timeout in seconds from the policy input: 24 h by default, from a minute to 7 days. */
function timeoutOf(t: number | undefined, where: string): number {
  const s = t ?? 86_400;
  if (s < 60 || s > MAX_TIMEOUT_SECONDS) {
    throw new AppError('invalid_input', `The timeout of ${where} is ${formatDuration(s)}; give one from 1m to 7d.`);
  }
  return s;
}

/** Approval decisions are the decided rows' last word (the row MACs and the log keep them honest). */
function finalWord(row: ApprovalRow, now: number, decisions: readonly ApprovalDecisionRow[] = []): AppError {
  const status = row.status === 'pending' || row.status === 'approved' ? (row.expiresAt <= now ? 'expired' : row.status) : row.status;
  switch (status) {
    case 'denied': {
      const no = decisions.find((d) => d.decision === 'deny');
      return new AppError(
        'approval_denied',
        `Approval ${row.id} was denied${no ? ` by ${no.userName}${no.reason ? `: ${no.reason}` : ''}` : ''}; a decision is final. Ask again if things have changed.`,
      );
    }
    case 'expired':
      return new AppError('approval_expired', `Approval ${row.id} expired at ${iso(row.expiresAt)}; ask again.`);
    case 'collected':
      return new AppError(
        'conflict',
        `Approval ${row.id} was already collected at ${iso(row.collectedAt ?? now)}; what it released is released once.`,
      );
    default:
      return new AppError('conflict', `Approval ${row.id} is already ${status}; a decision is final.`);
  }
}

export const approvalHandlers = {
  async approvalPolicy({ deps, ctx }) {
    const p = await deps.approvals.policy();
    ctx.audit.reason = p.isDefault ? 'the default policy' : `revision ${p.revision}`;
    return {
      ...p.policy,
      revision: p.revision,
      updatedAt: p.updatedAt === null ? null : iso(p.updatedAt),
      updatedBy: p.isDefault ? null : p.updatedBy,
    };
  },

  async setApprovalPolicy({ input: { body }, principal, deps, ctx, commit }) {
    const user = asUser(principal);
    const policy: ApprovalPolicy = {
      tiers: {
        standard: {
          requiredApprovals: body.tiers.standard.requiredApprovals,
          timeoutSeconds: timeoutOf(body.tiers.standard.timeout, 'the standard tier'),
        },
        sensitive: {
          requiredApprovals: body.tiers.sensitive.requiredApprovals,
          timeoutSeconds: timeoutOf(body.tiers.sensitive.timeout, 'the sensitive tier'),
        },
        critical: {
          requiredApprovals: body.tiers.critical.requiredApprovals,
          timeoutSeconds: timeoutOf(body.tiers.critical.timeout, 'the critical tier'),
        },
      },
      prefixes: (body.prefixes ?? []).map((p) => ({
        prefix: p.prefix,
        tier: (p.tier ?? null) as Tier | null,
        requiredApprovals: p.requiredApprovals,
        timeoutSeconds: timeoutOf(p.timeout, `prefix ${p.prefix}`),
        approvers: [...new Set(p.approvers ?? [])].sort(),
      })),
      approvers: [...new Set(body.approvers ?? [])].sort(),
      notify:
        body.notify?.webhook && body.notify.webhookSecret
          ? { webhook: body.notify.webhook, webhookSecret: body.notify.webhookSecret }
          : null,
    };
    const seen = new Set<string>();
    for (const p of policy.prefixes) {
      const key = `${p.prefix}|${p.tier ?? ''}`;
      if (seen.has(key))
        throw new AppError('invalid_input', `The prefix ${p.prefix}${p.tier ? ` (${p.tier})` : ''} has two rules; keep one.`);
      seen.add(key);
    }
    if (body.notify && (!body.notify.webhook || !body.notify.webhookSecret)) {
      throw new AppError(
        'invalid_input',
        'An approval webhook needs both notify.webhook (its https URL) and notify.webhookSecret (the vault path of the key that signs each notice).',
      );
    }
    if (policy.notify) {
      validateWebhookUrl(policy.notify.webhook);
      const key = await deps.store.getSecret(policy.notify.webhookSecret);
      if (!key || key.deletedAt !== null) {
        throw new AppError(
          'invalid_input',
          `No secret at ${policy.notify.webhookSecret} holds the webhook's signing key; store a random one first (openssl rand -hex 32 | ass secrets set ${policy.notify.webhookSecret}).`,
        );
      }
    }
    // Every approver named must be able to approve: a typo must not leave a rule nobody can satisfy.
    const users = new Map((await deps.store.listUsers()).map((u) => [u.name, u]));
    for (const name of new Set([...policy.approvers, ...policy.prefixes.flatMap((p) => p.approvers)])) {
      const u = users.get(name);
      if (!u || u.revokedAt !== null)
        throw new AppError('invalid_input', `No active user named ${name} (approvers are vault users, by name; see ass users list).`);
      if (u.role !== 'admin' && !u.approver) {
        throw new AppError('invalid_input', `${name} is not an approver; make them one first (ass users update ${name} --approver).`);
      }
    }
    const now = deps.now();
    const row = { policy, revision: now, updatedBy: `user:${user.name}` };
    await commit(deps.store.changes.putApprovalPolicy(row, body.expectedRevision), (r) => {
      if (r === 'conflict') {
        throw new AppError(
          'conflict',
          `The approval policy changed since revision ${body.expectedRevision}; show it again and redo the change.`,
        );
      }
      ctx.audit.reason = REASON.approvalPolicySet(row.revision);
    });
    return { ...policy, revision: row.revision, updatedAt: iso(row.revision), updatedBy: row.updatedBy };
  },

  async listApprovals({ input: { query }, principal, deps, ctx }) {
    const now = deps.now();
    const all = await isApprover(deps, principal);
    const status = query.status ?? 'open';
    const statuses =
      status === 'all'
        ? undefined
        : status === 'open'
          ? ['pending', 'approved']
          : status === 'expired'
            ? ['pending', 'approved', 'expired']
            : [status];
    const requesterId = all ? undefined : principal.kind === 'user' ? principal.id : principal.agent.id;
    const rows = await deps.store.listApprovals({ statuses, requesterId, limit: query.limit ?? 100 });
    const decisions = await deps.store.listApprovalDecisions(rows.map((r) => r.id));
    const approvers = await deps.approvals.approversNow(rows);
    const views = rows
      .map((r) =>
        deps.approvals.view(
          r,
          decisions.filter((d) => d.approvalId === r.id),
          now,
          approvers.get(r.id),
        ),
      )
      .filter((v) => (status === 'open' ? v.status === 'pending' || v.status === 'approved' : status === 'all' || v.status === status));
    ctx.audit.reason = `${views.length} request(s)${all ? '' : ', own only'}`;
    return { approvals: views };
  },

  async getApproval({ input: { params }, principal, deps, ctx }) {
    const { row, decisions } = await load(deps, principal, params.id);
    ctx.audit.path = row.paths[0] ?? null;
    const view = deps.approvals.view(row, decisions, deps.now(), (await deps.approvals.approversNow([row])).get(row.id));
    ctx.audit.reason = `request ${row.id} is ${view.status}`;
    return view;
  },

  async approveRequest({ input: { params, body }, principal, deps, ctx, commit }) {
    return decide(deps, principal, ctx, commit, params.id, 'approve', body.reason ?? null);
  },

  async denyRequest({ input: { params, body }, principal, deps, ctx, commit }) {
    return decide(deps, principal, ctx, commit, params.id, 'deny', body.reason);
  },

  async collectApproval({ input: { params, body }, principal, deps, ctx, commit }) {
    const found = await deps.store.getApproval(params.id);
    if (!found) throw unknownApproval(params.id);
    if (!mayView(principal, found.row)) throw notYours(params.id);
    const { row, decisions } = found;
    const now = deps.now();
    ctx.audit.path = row.paths[0] ?? null;
    const isRequester =
      row.kind === 'read'
        ? row.tokenId === null
          ? principal.kind === 'user' && principal.id === row.requesterId
          : principal.kind === 'token' && principal.token.id === row.tokenId
        : principal.kind === 'agent' && principal.agent.id === row.requesterId;
    if (!isRequester) {
      const who =
        row.kind === 'read'
          ? row.tokenId
            ? `the token ${row.tokenId}`
            : `the user ${row.requesterName}`
          : `the agent key of ${row.requesterName}`;
      throw new AppError('denied', `Only whoever asked can collect approval ${row.id}: ${who}.`);
    }
    const view = deps.approvals.view(row, decisions, now);
    if (view.status === 'pending') {
      ctx.audit.status = 'pending';
      throw heldError(view);
    }
    if (view.status !== 'approved') throw finalWord(row, now, decisions);

    if (row.kind === 'read') {
      if (principal.kind === 'user' && !(VALUE_ROLES as readonly string[]).includes(principal.role)) {
        throw new AppError('denied', `The ${principal.role} role cannot read secrets any more; the approval was for a read.`);
      }
      const secrets = await releaseRead(deps, ctx, principal, row, now);
      ctx.audit.reason = REASON.approvalEnded(row.id, 'collected', `: ${secrets.length} value(s) read`);
      await commit(deps.store.changes.collectApproval(row.id, now, null), (r) => {
        if (r.result !== 'collected') throw r.result === 'not_found' ? unknownApproval(row.id) : finalWord(r.row, now);
      });
      return { approval: { ...view, status: 'collected' as const, collectedAt: iso(now) }, secrets };
    }

    const agent = principal.kind === 'agent' ? principal.agent : undefined;
    if (!agent) throw new AppError('internal', 'The requester check let a non-agent collect a token.');
    if (agent.replacedKeyUntil !== undefined) {
      throw new AppError('denied', `This key of ${agent.name} was replaced; it cannot collect approval ${row.id}. Use the current key.`);
    }
    const scopes = parseScopes(row.ask.scopes);
    if (scopesOutside(scopes, parseScopes(agent.scopes)).length > 0) {
      throw new AppError('denied', `The agent ${agent.name} no longer has the scopes approval ${row.id} asked for.`);
    }
    let token: { secret: string; row: TokenRow };
    if (row.kind === 'exchange') {
      if (!body.oidcToken) {
        throw new AppError(
          'invalid_input',
          `Approval ${row.id} was for a CI run's exchange: collect it with a fresh OIDC token of the same run (oidcToken; ass approvals collect ${row.id} --oidc-token -, or the fetch action, which does).`,
        );
      }
      const claims = await verifyRun(deps, ctx, agent, body.oidcToken);
      if (!RUN_ID_CLAIMS.some((c) => row.claims?.[c] !== undefined)) {
        throw new AppError('denied', `Approval ${row.id} names no CI run, so no run can collect it.`);
      }
      for (const name of RUN_CLAIMS) {
        const asked = row.claims?.[name];
        if (asked !== undefined && claims[name] !== asked) {
          throw new AppError(
            'denied',
            `Approval ${row.id} was given to ${row.claims?.repository ?? 'another'} run ${row.claims?.run_id ?? '?'}; this OIDC token is from another run (its ${name} differs).`,
          );
        }
      }
      const max = deps.settings.maxPipelineTtlSeconds;
      token = newToken(deps.keys, {
        kind: 'pipeline',
        agent,
        scopes: formatScopes(scopes),
        now,
        ttlSeconds: replacedKeyTtl(agent, Math.min(row.ask.ttlSeconds ?? max, max), now),
        maxUses: row.ask.maxUses,
        allowedIps: [],
        description:
          row.description ?? (row.claims?.repository ? `${row.claims.repository} run ${row.claims.run_id ?? '?'} (approved)` : null),
        // The claims of the run that collects (a re-run attempt is itself), with the approval's id.
        claims: { ...claims, ...replacedKeyClaims(agent), approval: row.id },
      });
      ctx.audit.claims = token.row.claims;
    } else {
      token = newToken(deps.keys, {
        kind: 'token',
        agent,
        scopes: formatScopes(scopes),
        now,
        ttlSeconds: replacedKeyTtl(agent, Math.min(row.ask.ttlSeconds ?? 900, deps.settings.maxTokenTtlSeconds), now),
        maxUses: row.ask.maxUses,
        allowedIps: row.ask.allowedIps.map((c) => parseCidr(c).text),
        description: row.description,
        claims: { ...replacedKeyClaims(agent), approval: row.id },
      });
    }
    ctx.audit.reason = REASON.approvalEnded(
      row.id,
      'collected',
      `: token ${token.row.id}, ttl ${formatDuration(Math.round((token.row.expiresAt - now) / 1000))}`,
    );
    await commit(deps.store.changes.collectApproval(row.id, now, token.row), (r) => {
      if (r.result !== 'collected') throw r.result === 'not_found' ? unknownApproval(row.id) : finalWord(r.row, now);
    });
    return {
      approval: { ...view, status: 'collected' as const, collectedAt: iso(now) },
      token: { token: token.secret, ...tokenView(token.row, agent, now) },
    };
  },

  async updateUser({ input: { params, body }, deps, ctx, commit }) {
    const user = await deps.store.getUserByName(params.name);
    if (!user) throw new AppError('not_found', `No user named ${JSON.stringify(params.name)}; see ass users list.`);
    ctx.audit.reason = REASON.userApprover(user.name, user.id, body.approver);
    const r = await commit(deps.store.changes.setUserApprover(user.id, body.approver), (result) => {
      if (result.result === 'not_active') throw new AppError('conflict', `${user.name} is revoked; create a new user instead.`);
      if (result.result === 'unchanged') {
        throw new AppError('conflict', `${user.name} is ${body.approver ? 'already' : 'not'} an approver; nothing changed.`);
      }
    });
    return userView(r.result === 'not_active' ? user : r.user);
  },
} satisfies Pick<
  Handlers,
  | 'approvalPolicy'
  | 'setApprovalPolicy'
  | 'listApprovals'
  | 'getApproval'
  | 'approveRequest'
  | 'denyRequest'
  | 'collectApproval'
  | 'updateUser'
>;

async function decide(
  deps: ServiceDeps,
  principal: Principal,
  ctx: RequestContext,
  commit: Parameters<Handlers['approveRequest']>[0]['commit'],
  id: string,
  decision: 'approve' | 'deny',
  reason: string | null,
) {
  const user = asUser(principal);
  const found = await deps.store.getApproval(id);
  if (!found) throw unknownApproval(id);
  const { row } = found;
  ctx.audit.path = row.paths[0] ?? null;
  if (selfApproval(row, row.claims, user)) {
    throw new AppError(
      'denied',
      `No one ${decision === 'approve' ? 'approves' : 'decides'} their own request: approval ${row.id} was asked for by ${row.requesterType === 'user' ? 'you' : `a run you started (${row.claims?.repository ?? 'CI'})`}. Ask another approver.`,
    );
  }
  if (!(await isApprover(deps, principal))) {
    throw new AppError(
      'denied',
      `The ${user.role} role cannot ${decision} requests: only admins and approvers can (an admin makes someone one with ass users update ${user.name} --approver).`,
    );
  }
  // The approvers the current policy allows for these paths (a policy narrowed since applies).
  const { policy } = await deps.approvals.policy();
  const tiers = new Map(
    (await Promise.all(row.paths.map((p) => deps.store.getSecret(p)))).flatMap((s) => (s ? [[s.path, s.tier] as const] : [])),
  );
  const now_ = combineRules(row.paths.map((p) => ruleFor(policy, p, tiers.get(p) ?? 'critical'))).approvers;
  // Both the rule it was held under and the policy now must allow the decider (a secret relabelled
  // since, or a policy narrowed since, cannot widen who decides).
  for (const restrict of [row.ask.allowedApprovers ?? null, now_]) {
    if (restrict !== null && !restrict.includes(user.name)) {
      throw new AppError('denied', `The approval policy lets only ${restrict.join(', ') || 'nobody'} decide on ${row.paths.join(', ')}.`);
    }
  }
  const now = deps.now();
  const d: ApprovalDecisionRow = { approvalId: row.id, userId: user.id, userName: user.name, decision, reason, time: now };
  // Only the approvals of users who may still decide count (not a revoked or former approver's).
  const counts = new Set(
    (await deps.approvals.eligibleApprovers(null))
      .filter((u) => [row.ask.allowedApprovers ?? null, now_].every((r) => r === null || r.includes(u.name)))
      .map((u) => u.id),
  );
  const result = await commit(deps.store.changes.decideApproval(d, now, counts), (r) => {
    switch (r.result) {
      case 'not_found':
        throw unknownApproval(id);
      case 'expired':
        throw finalWord(r.row, now);
      case 'not_pending':
        throw r.row.expiresAt <= now && r.row.status === 'approved'
          ? finalWord(r.row, now)
          : new AppError('conflict', `Approval ${id} is already ${r.row.status}; a decision is final.`);
      case 'already_decided':
        throw new AppError(
          'conflict',
          `You already decided on approval ${id}; it needs ${r.row.requiredApprovals} distinct approvers, so ask another one.`,
        );
      case 'recorded': {
        const n = new Set(r.decisions.filter((x) => x.decision === 'approve' && counts.has(x.userId)).map((x) => x.userId)).size;
        ctx.audit.reason = `approval ${id}: approval ${n} of ${r.row.requiredApprovals} recorded`;
        return;
      }
      case 'approved':
        ctx.audit.reason = REASON.approvalEnded(
          id,
          'approved',
          ` (${r.row.requiredApprovals} of ${r.row.requiredApprovals})${reason ? `: ${reason}` : ''}`,
        );
        return;
      case 'denied':
        ctx.audit.reason = REASON.approvalEnded(id, 'denied', `: ${reason ?? ''}`);
        return;
    }
  });
  if (result.result === 'not_found') throw unknownApproval(id);
  const view = deps.approvals.view(
    result.row,
    'decisions' in result ? result.decisions : [],
    now,
    (await deps.approvals.approversNow([result.row])).get(result.row.id),
  );
  if (result.result === 'approved' || result.result === 'denied') void deps.approvals.notify(`approval.${result.result}`, view);
  return view;
}

/** The held read, again, as it was asked: every secret that needs approval must be one the approvers saw. */
async function releaseRead(deps: ServiceDeps, ctx: RequestContext, principal: Principal, row: ApprovalRow, now: number) {
  const read = row.ask.read;
  if (!read) throw new AppError('internal', `Approval ${row.id} is a read without its request.`);
  let loaded: { path: string; version: number; value: string; type: SecretType; tier: Tier; gateTier: Tier }[];
  if (read.prefixes.length > 0 || read.paths.length !== 1) {
    loaded = await readBatch(deps, ctx, principal, read.paths, read.prefixes);
  } else {
    const path = read.paths[0] as string;
    let version = read.version ?? undefined;
    const rotated = deps.freshness.rotationOf(path);
    if (read.stage === 'previous') {
      if (!rotated || rotated.retired || rotated.previousUntil <= now) {
        throw new AppError(
          'not_found',
          `The previous version of ${path} is no longer readable (its grace period ended); read the current one.`,
        );
      }
      version = rotated.previousVersion;
    } else if (
      version !== undefined &&
      rotated &&
      (version < rotated.previousVersion || (version === rotated.previousVersion && (rotated.retired || rotated.previousUntil <= now)))
    ) {
      throw new AppError('not_found', `Version ${version} of ${path} was rotated out since the request; read the current version.`);
    }
    await refuseOwnKeyToReplacedKey(deps, principal, [path]);
    loaded = [await loadValue(deps, path, version)];
  }
  const needing = await deps.approvals.needing(loaded.map((l) => ({ path: l.path, tier: l.gateTier })));
  const unapproved = needing.filter((n) => !row.paths.includes(n.path));
  if (unapproved.length > 0) {
    throw new AppError(
      'conflict',
      `Since approval ${row.id} was asked for, ${unapproved.map((n) => n.path).join(', ')} came to need approval too; ask again for the read.`,
    );
  }
  for (const s of loaded)
    ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: `approved by ${row.id}` });
  return loaded.map((s) => ({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier }));
}
