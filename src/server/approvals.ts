/**
 * Human approval for the secrets whose policy asks for it (seed 003's shape: a rule per tier, by
 * default one approval within 24 hours for sensitive and critical secrets).
 *
 * A token request, an OIDC exchange or a read that touches such a secret is held: the vault stores
 * an approval request (who asks, which paths, what exactly they asked for) and answers 202
 * `approval_required` instead of releasing anything. Approvers (admins, and users marked as
 * approvers, as the policy narrows them; never the requester) decide; N required approvals take N
 * distinct approvers, one denial ends it, a request expires at its timeout. The requester then
 * collects what it asked for, once (src/server/routes/approvals.ts): a token that reads only the
 * approved paths among those that need approval, or the held read's values.
 *
 * Everything that carries authority here is sealed (row MACs) and checked against the audit log
 * (the freshness index): a request marked approved, or put back as it was before its collection,
 * by someone who can write the database releases nothing.
 */
import { newId } from '../core/credentials.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Tier } from '../core/model.js';
import { isUnderPrefix } from '../core/paths.js';
import { policyFor } from '../core/rotation-schedule.js';
import { type Scope, type SecretScope, scopesAllow, secretScopes } from '../core/scopes.js';
import { slackText } from '../core/text.js';
import { postSignedWebhook } from '../rotation/notify.js';
import type {
  ApprovalAsk,
  ApprovalDecisionRow,
  ApprovalPolicy,
  ApprovalPolicyRow,
  ApprovalRow,
  AuditSealer,
  Change,
  SecretRow,
  Store,
  UserRow,
} from '../store/types.js';
import { systemEntry } from './audit.js';
import type { Principal, RequestContext } from './context.js';
import type { Keyring } from './crypto.js';
import { REASON } from './freshness.js';
import { iso } from './routes/views.js';

export const DAY_SECONDS = 86_400;
/** The longest an approval request may wait. */
export const MAX_TIMEOUT_SECONDS = 7 * DAY_SECONDS;
/** Pending requests one requester may have at once (more is a runaway loop, not a person waiting). */
export const MAX_PENDING_PER_REQUESTER = 20;
/** Secrets one request may hold (a token whose scopes reach more asks for too much at once). */
export const MAX_HELD_PATHS = 500;

/** Seed 003's policy: what a new vault asks for before anyone sets one. */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  tiers: {
    standard: { requiredApprovals: 0, timeoutSeconds: DAY_SECONDS },
    sensitive: { requiredApprovals: 1, timeoutSeconds: DAY_SECONDS },
    critical: { requiredApprovals: 1, timeoutSeconds: DAY_SECONDS },
  },
  prefixes: [],
  approvers: [],
  notify: null,
};

/** The rule that applies to one secret. */
export interface AppliedRule {
  requiredApprovals: number;
  timeoutSeconds: number;
  /** Only these users may approve; null: every admin and approver. */
  approvers: string[] | null;
  label: string;
}

/** A secret a request would release, with the tier that decides its rule. */
export interface Touched {
  path: string;
  tier: Tier;
}

/** What the requester asked for, and who they are. */
export interface HoldRequest {
  kind: ApprovalRow['kind'];
  principal: Principal;
  /** Set for an exchange: the CI claims of the run that asked. */
  claims?: Record<string, string>;
  held: (Touched & { rule: AppliedRule })[];
  ask: ApprovalAsk;
  description: string | null;
}

const TIER_RANK: Record<Tier, number> = { standard: 0, sensitive: 1, critical: 2 };

/** The stricter of two tiers (a version written as critical stays critical when the secret is relabelled). */
export function stricterTier(a: Tier, b: Tier): Tier {
  return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}

/** The rule for one secret: the longest prefix rule that covers it (for its tier), else its tier's. */
export function ruleFor(policy: ApprovalPolicy, path: string, tier: Tier): AppliedRule {
  let best: ApprovalPolicy['prefixes'][number] | undefined;
  for (const p of policy.prefixes) {
    if (!isUnderPrefix(path, p.prefix) || (p.tier !== null && p.tier !== tier)) continue;
    if (!best || p.prefix.length > best.prefix.length || (p.prefix.length === best.prefix.length && p.tier !== null)) best = p;
  }
  const restrict = (names: string[]) => (names.length > 0 ? names : null);
  if (best) {
    return {
      requiredApprovals: best.requiredApprovals,
      timeoutSeconds: best.timeoutSeconds,
      approvers: restrict(best.approvers.length > 0 ? best.approvers : policy.approvers),
      label: `prefix ${best.prefix}${best.tier ? ` (${best.tier})` : ''}`,
    };
  }
  const t = policy.tiers[tier];
  return {
    requiredApprovals: t.requiredApprovals,
    timeoutSeconds: t.timeoutSeconds,
    approvers: restrict(policy.approvers),
    label: `tier ${tier}`,
  };
}

/** One request over several secrets: the most approvals any wants, the shortest timeout, approvers every rule allows. */
export function combineRules(rules: readonly AppliedRule[]): AppliedRule {
  let approvers: string[] | null = null;
  for (const r of rules) {
    if (r.approvers === null) continue;
    approvers = approvers === null ? [...r.approvers] : approvers.filter((n) => r.approvers?.includes(n));
  }
  return {
    requiredApprovals: Math.max(...rules.map((r) => r.requiredApprovals)),
    timeoutSeconds: Math.min(...rules.map((r) => r.timeoutSeconds)),
    approvers,
    label: [...new Set(rules.map((r) => r.label))].join(', '),
  };
}

/** The literal start of a scope's pattern: the prefix below which everything it may match lies. */
function literalPrefix(scope: SecretScope): string {
  const i = scope.segments.indexOf('*');
  return (i === -1 ? scope.segments : scope.segments.slice(0, i)).join('/');
}

export interface ApprovalsDeps {
  store: Store;
  keyring: Keyring;
  now: () => number;
  logger: Logger;
  freshness: { approvalPolicyRevision(): number | undefined };
  sealer: AuditSealer;
  /** Tells the audit monitor (and the freshness index) what was committed outside a request. */
  noteCommitted: (records: readonly import('../core/audit-chain.js').AuditRecord[]) => void;
  /** Where the dashboard shows a request (the link in notices), if the operator set one. */
  dashboardUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export class Approvals {
  constructor(private readonly deps: ApprovalsDeps) {}

  /** The policy last read from the store, kept while the log names the same revision. */
  private cached: (ApprovalPolicyRow & { isDefault: boolean; updatedAt: number | null }) | undefined;

  /**
   * The policy: the default until one is set, else the stored one. The audit log says which
   * revision is current (the freshness index), so every read of a secret does not read the policy
   * row again: only a new revision is loaded, and a row that is missing or older than the log says
   * is refused.
   */
  async policy(): Promise<ApprovalPolicyRow & { isDefault: boolean; updatedAt: number | null }> {
    const known = this.deps.freshness.approvalPolicyRevision();
    if (known === undefined) {
      return { policy: DEFAULT_APPROVAL_POLICY, revision: 0, updatedBy: 'default', isDefault: true, updatedAt: null };
    }
    if (this.cached?.revision === known) return this.cached;
    const row = await this.deps.store.getApprovalPolicy();
    if (!row) {
      throw new AppError(
        'integrity_failed',
        'The approval policy was removed from the database outside the vault, so no request touching a secret that may need approval is served. Restore the database from a backup, or set the policy again (ass approvals policy set), and check the audit log (ass audit verify).',
      );
    }
    this.cached = { ...row, isDefault: false, updatedAt: row.revision };
    return this.cached;
  }

  /** Whether any rule asks for an approval at all (else nothing needs to be looked up). */
  async anyApproval(): Promise<boolean> {
    const { policy } = await this.policy();
    return Object.values(policy.tiers).some((t) => t.requiredApprovals > 0) || policy.prefixes.some((p) => p.requiredApprovals > 0);
  }

  /** Which of `touched` need approval under the current policy, each with its rule. */
  async needing(touched: readonly Touched[]): Promise<(Touched & { rule: AppliedRule })[]> {
    if (touched.length === 0) return [];
    const { policy } = await this.policy();
    return touched.map((t) => ({ ...t, rule: ruleFor(policy, t.path, t.tier) })).filter((t) => t.rule.requiredApprovals > 0);
  }

  /**
   * The live secrets a token with these scopes could read: what a token request or an exchange
   * touches. Each scope is looked up below its literal prefix only; `audit:read` reads no secret.
   */
  async readableBy(all: readonly Scope[]): Promise<Touched[]> {
    const scopes = secretScopes(all);
    const readers = scopes.filter((s) => s.verb === 'read' || s.verb === '*');
    if (readers.length === 0 || !(await this.anyApproval())) return [];
    const found = new Map<string, SecretRow>();
    // A rotator's token (rotate on a secret a rotation policy covers) is not held for that secret:
    // its reads of it are, unless they are part of a rotation (getSecret's `rotating`).
    const policies =
      readers.length > 0 && scopes.some((s) => s.verb === 'rotate' || s.verb === '*') ? await this.deps.store.listRotationPolicies() : [];
    const rotatorOf = (path: string) =>
      policies.length > 0 && scopesAllow(scopes, 'rotate', path) && policyFor(path, policies) !== undefined;
    for (const s of readers) {
      const prefix = literalPrefix(s);
      const rows = s.segments.includes('*')
        ? await this.deps.store.listSecrets(prefix, false, MAX_HELD_PATHS * 20)
        : [await this.deps.store.getSecret(prefix)].filter((r): r is SecretRow => r !== undefined && r.deletedAt === null);
      for (const r of rows) if (scopesAllow(readers, 'read', r.path) && !rotatorOf(r.path)) found.set(r.path, r);
    }
    return [...found.values()].map((r) => ({ path: r.path, tier: r.tier }));
  }

  /**
   * Whether a token released by a collected approval covers `path`: the token carries the
   * approval's id (sealed with the token), and the approval, collected by this very token, names it.
   */
  async coveredByToken(principal: Principal, paths: readonly string[]): Promise<Set<string>> {
    const covered = new Set<string>();
    if (principal.kind !== 'token') return covered;
    const id = principal.token.claims?.approval;
    if (!id) return covered;
    let released = this.released.get(id);
    if (!released) {
      const found = await this.deps.store.getApproval(id);
      if (found?.row.status !== 'collected' || !found.row.collectedTokenId) return covered;
      // Collected is final: what it released is remembered (a bounded number), not read on every request.
      released = { tokenId: found.row.collectedTokenId, paths: new Set(found.row.paths) };
      if (this.released.size >= 10_000) this.released.delete(this.released.keys().next().value as string);
      this.released.set(id, released);
    }
    if (released.tokenId !== principal.token.id) return covered;
    for (const p of paths) if (released.paths.has(p)) covered.add(p);
    return covered;
  }

  /** Collected approvals: the token each released and the paths it covers. */
  private readonly released = new Map<string, { tokenId: string; paths: Set<string> }>();

  /** The active users who may approve under `restrict` (null: every admin and approver). */
  async eligibleApprovers(restrict: string[] | null): Promise<UserRow[]> {
    return (await this.deps.store.listUsers()).filter(
      (u) => u.revokedAt === null && (u.role === 'admin' || u.approver) && (restrict === null || restrict.includes(u.name)),
    );
  }

  /**
   * Stores the request (or finds the same one pending) with the request's own records, then
   * throws the 202 that tells the caller what is held and who may approve it.
   */
  async hold(
    req: HoldRequest,
    ctx: RequestContext,
    commit: <T>(change: Change<T>, finish?: (result: T) => void) => Promise<T>,
  ): Promise<never> {
    if (req.held.length > MAX_HELD_PATHS) {
      throw new AppError(
        'invalid_input',
        `The request reaches ${req.held.length} secrets that need approval; at most ${MAX_HELD_PATHS} can be approved at once. Ask for narrower scopes or fewer paths.`,
      );
    }
    if (req.principal.kind === 'agent' && req.principal.agent.replacedKeyUntil !== undefined) {
      // Whoever kept (or stole) a replaced key must not be the one an approval releases to.
      throw new AppError(
        'denied',
        `This key of ${req.principal.agent.name} was replaced; it cannot ask for what needs approval (${req.held.length} secret(s)). Use the current key.`,
      );
    }
    const now = this.deps.now();
    const rule = combineRules(req.held.map((h) => h.rule));
    // An exchange is asked for by the agent key on behalf of a CI run: the run is the requester.
    const requester = { ...requesterOf(req.principal), ...(req.kind === 'exchange' ? { requesterType: 'pipeline' as const } : {}) };
    const eligible = (await this.eligibleApprovers(rule.approvers)).filter((u) => !selfApproval(requester, req.claims, u));
    const paths = [...new Set(req.held.map((h) => h.path))].sort();
    const row: ApprovalRow = {
      id: newId(),
      kind: req.kind,
      status: 'pending',
      ...requester,
      claims: req.claims ?? requester.claims,
      paths,
      ask: { ...req.ask, allowedApprovers: rule.approvers },
      description: req.description,
      ip: ctx.ip,
      requiredApprovals: rule.requiredApprovals,
      approvers: eligible.map((u) => u.name).sort(),
      rule: rule.label,
      createdAt: now,
      expiresAt: now + rule.timeoutSeconds * 1000,
      decidedAt: null,
      collectedAt: null,
      collectedTokenId: null,
    };
    ctx.audit.status = 'pending';
    ctx.audit.path = paths[0] ?? null;
    ctx.audit.tier = req.held.reduce<Tier>((t, h) => stricterTier(t, h.tier), 'standard');
    let stored = row;
    let created = false;
    await commit(this.deps.store.changes.createApproval(row, now, MAX_PENDING_PER_REQUESTER), (r) => {
      if (r.result === 'too_many') {
        throw new AppError(
          'rate_limited',
          `${req.kind === 'exchange' ? 'This CI run' : row.tokenId ? `Token ${row.tokenId}` : requester.requesterName} already has ${MAX_PENDING_PER_REQUESTER} approval requests pending; wait for them to be decided or to expire (ass approvals list).`,
        );
      }
      stored = r.row;
      created = r.result === 'created';
      const what = `${paths.length} secret(s): ${paths.slice(0, 5).join(' ')}${paths.length > 5 ? ' ...' : ''}`;
      ctx.audit.reason = `approval_required: held for approval ${stored.id} (${stored.rule}; ${stored.requiredApprovals} approval(s) by ${iso(stored.expiresAt)})`;
      if (created) {
        ctx.extraAudit.push({
          event: 'approval.request',
          status: 'granted',
          path: paths[0] ?? null,
          tier: ctx.audit.tier,
          reason: `approval ${stored.id} requested (${stored.kind}) for ${what}${stored.description ? `; reason given: ${stored.description}` : ''}`,
        });
      }
    });
    const view = this.view(stored, created ? [] : await this.deps.store.listApprovalDecisions([stored.id]), now);
    if (created) void this.notify('approval.requested', view);
    throw heldError(view);
  }

  /**
   * Who may decide each pending request now: admins and approvers as they are today (made or unmade
   * since it was asked), within the rule it was held under, never its requester.
   */
  async approversNow(rows: readonly ApprovalRow[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!rows.some((r) => r.status === 'pending')) return out;
    const users = await this.eligibleApprovers(null);
    for (const r of rows) {
      if (r.status !== 'pending') continue;
      const allowed = r.ask.allowedApprovers ?? null;
      out.set(
        r.id,
        users
          .filter((u) => (allowed === null || allowed.includes(u.name)) && !selfApproval(r, r.claims, u))
          .map((u) => u.name)
          .sort(),
      );
    }
    return out;
  }

  /** The request as the API shows it, with its effective status (pending past its timeout is expired). */
  view(row: ApprovalRow, decisions: readonly ApprovalDecisionRow[], now: number, approvers: string[] = row.approvers) {
    const status = (row.status === 'pending' || row.status === 'approved') && row.expiresAt <= now ? ('expired' as const) : row.status;
    return {
      id: row.id,
      kind: row.kind,
      status,
      requester: { type: row.requesterType, name: row.requesterName, tokenId: row.tokenId, claims: row.claims },
      paths: row.paths,
      scopes: row.ask.scopes,
      ttl: row.ask.ttlSeconds,
      maxUses: row.ask.maxUses,
      description: row.description,
      ip: row.ip,
      requiredApprovals: row.requiredApprovals,
      approvals: new Set(
        decisions.filter((d) => d.decision === 'approve' && (status !== 'pending' || approvers.includes(d.userName))).map((d) => d.userId),
      ).size,
      approvers,
      rule: row.rule,
      decisions: decisions.map((d) => ({ user: d.userName, decision: d.decision, reason: d.reason, at: iso(d.time) })),
      createdAt: iso(row.createdAt),
      expiresAt: iso(row.expiresAt),
      decidedAt: row.decidedAt === null ? null : iso(row.decidedAt),
      collectedAt: row.collectedAt === null ? null : iso(row.collectedAt),
      approveCommand: `ass approvals approve ${row.id}`,
    };
  }

  /** Marks the requests past their timeout expired, each with its record (run by the server every so often). */
  async sweep(): Promise<number> {
    const now = this.deps.now();
    const { result, records } = await this.deps.store.commit(
      this.deps.store.changes.expireApprovals(now, 200),
      (rows) =>
        rows.map((r) =>
          systemEntry('approval.expire', now, REASON.approvalEnded(r.id, 'expired', ` at its timeout (${r.rule})`), {
            actorName: 'vault',
            path: r.paths[0] ?? null,
          }),
        ),
      this.deps.sealer,
    );
    this.deps.noteCommitted(records);
    for (const r of result) void this.notify('approval.expired', this.view(r, [], now));
    return result.length;
  }

  /**
   * Tells the policy's webhook about a request or a decision: a Slack-compatible `text` and
   * `blocks`, plus the request as fields. Never a value; signed with the key stored at the policy's
   * `webhookSecret`. Failures are logged, never raised: a notice is a courtesy, the request stands.
   */
  async notify(event: string, view: ReturnType<Approvals['view']>): Promise<void> {
    try {
      const { policy } = await this.policy();
      if (!policy.notify) return;
      const key = await this.deps.store.readSecret(policy.notify.webhookSecret);
      if (!key?.version || key.secret.deletedAt !== null) {
        this.deps.logger.warning(`The approval webhook's key at ${policy.notify.webhookSecret} does not exist; no notice was sent.`);
        return;
      }
      const secret = this.deps.keyring.open(key.version.ciphertext, key.secret.path, key.secret.version).toString('utf8');
      const verb = event.slice('approval.'.length);
      const who = `${view.requester.type} ${view.requester.name}${view.requester.claims?.repository ? ` (${view.requester.claims.repository} run ${view.requester.claims.run_id ?? '?'})` : ''}`;
      const headline = `Approval ${view.id} ${verb}: ${who} asks for ${view.paths.join(', ')}`;
      const link = this.deps.dashboardUrl ? `${this.deps.dashboardUrl.replace(/\/+$/, '')}/approvals/${view.id}` : null;
      const lines = [
        `*${slackText(headline)}*`,
        view.description ? `The requester's reason: ${slackText(view.description)}` : '',
        ...view.decisions.map(
          (d) => `${d.decision === 'approve' ? 'Approved' : 'Denied'} by ${slackText(d.user)}${d.reason ? `: ${slackText(d.reason)}` : ''}`,
        ),
        event === 'approval.requested'
          ? `Needs ${view.requiredApprovals} approval(s) from ${slackText(view.approvers.join(', ') || 'an admin or approver')} before ${view.expiresAt}.`
          : '',
        event === 'approval.requested' ? `Approve: \`${view.approveCommand}\`  Deny: \`ass approvals deny ${view.id} --reason ...\`` : '',
        link ? `<${link}|Open in the dashboard>` : '',
      ].filter(Boolean);
      const body = JSON.stringify({
        text: lines.join('\n'),
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
        event,
        approval: {
          id: view.id,
          status: view.status,
          kind: view.kind,
          requester: view.requester,
          paths: view.paths,
          description: view.description,
          requiredApprovals: view.requiredApprovals,
          approvers: view.approvers,
          decisions: view.decisions,
          expiresAt: view.expiresAt,
          approveCommand: view.approveCommand,
          ...(link ? { url: link } : {}),
        },
      });
      await postSignedWebhook(event, body, `approval ${view.id} was ${verb}`, {
        url: policy.notify.webhook,
        secret,
        logger: this.deps.logger,
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      });
    } catch (err) {
      this.deps.logger.warning(`The approval notice for ${view.id} was not delivered: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Who asks, as an approval request records it. */
export function requesterOf(p: Principal): Pick<ApprovalRow, 'requesterType' | 'requesterId' | 'requesterName' | 'tokenId' | 'claims'> {
  switch (p.kind) {
    case 'user':
      return { requesterType: 'user', requesterId: p.id, requesterName: p.name, tokenId: null, claims: null };
    case 'agent':
      return { requesterType: 'agent', requesterId: p.agent.id, requesterName: p.agent.name, tokenId: null, claims: null };
    case 'token':
      return {
        requesterType: p.token.kind,
        requesterId: p.agent.id,
        requesterName: p.agent.name,
        tokenId: p.token.id,
        claims: p.token.claims,
      };
  }
}

/**
 * Nobody approves their own request: the user who asked, or, for a pipeline, the person whose push
 * or click started the run or re-ran it (`actor`, `triggering_actor`, GitLab's `user_login`), when
 * a vault user has that name.
 */
const RUN_PEOPLE = ['actor', 'triggering_actor', 'user_login'] as const;
export function selfApproval(
  requester: Pick<ApprovalRow, 'requesterType' | 'requesterId'>,
  claims: Record<string, string> | null | undefined,
  user: Pick<UserRow, 'id' | 'name'>,
): boolean {
  if (requester.requesterType === 'user') return requester.requesterId === user.id;
  return RUN_PEOPLE.some((c) => typeof claims?.[c] === 'string' && claims[c].toLowerCase() === user.name.toLowerCase());
}

/** The 202 answer: the pending request in `details` (the pipeline puts them at the top level too). */
export function heldError(view: ReturnType<Approvals['view']>): AppError {
  const who =
    view.approvers.length > 0
      ? `${view.requiredApprovals > 1 ? `${view.requiredApprovals} of ` : ''}${view.approvers.join(', ')}`
      : `an admin or approver other than the requester, though none may decide under its rule (${view.rule}) yet: an admin makes one (ass users create NAME --role viewer --approver, or ass users update NAME --approver${view.rule.startsWith('prefix') ? ', and ass approvals policy set --prefix ... --approvers NAME' : ''})`;
  const what = view.paths.length === 1 ? `${view.paths[0]} needs` : `${view.paths.length} secrets need`;
  return new AppError(
    'approval_required',
    view.status === 'approved'
      ? `${what} a human approval (${view.rule}): request ${view.id} was approved; collect it once before ${view.expiresAt} (ass approvals collect ${view.id}, or --wait; POST /v1/approvals/${view.id}/collect).`
      : `${what} a human approval (${view.rule}): request ${view.id} is pending until ${view.expiresAt}. Ask ${who} to run: ${view.approveCommand}`,
    { details: { approvalId: view.id, ...view } },
  );
}
