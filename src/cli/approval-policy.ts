/**
 * The approval policy as `ass approvals policy set` edits it: read from a file in either seed 003's
 * shape (`{"approval_policy": {"tiers": {"critical": {"required_approvals": 1, "timeout_hours":
 * 24}}, "approvers": [...]}}`) or the API's own (what `policy show --json` prints), changed by flags,
 * compared with the stored one to say what changed, and sent back as the API's input. Pure: no I/O.
 */
import { Name } from '../api/schemas.js';
import type { ApprovalPolicy, ApprovalPolicyInput } from '../client/client.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { AppError, errorMessage } from '../core/errors.js';
import { TIERS, type Tier } from '../core/model.js';

/** A request waits 24 hours for its approvals unless the policy says otherwise (the vault's default). */
export const DEFAULT_TIMEOUT_SECONDS = 86_400;

/** The parts of the policy a change touches (the stored one also has its revision and author). */
export type PolicyBody = Pick<ApprovalPolicy, 'tiers' | 'prefixes' | 'approvers' | 'notify'>;
type Rule = PolicyBody['tiers']['standard'];
type PrefixRule = PolicyBody['prefixes'][number];

/** What the stored policy says, without its revision. */
export function bodyOf(p: ApprovalPolicy): PolicyBody {
  return { tiers: p.tiers, prefixes: p.prefixes, approvers: p.approvers, notify: p.notify };
}

/** The API's input for `p`, to be accepted only at `expectedRevision`. */
export function toInput(p: PolicyBody, expectedRevision: number): ApprovalPolicyInput {
  const rule = (r: Rule) => ({ requiredApprovals: r.requiredApprovals, timeout: r.timeoutSeconds });
  return {
    tiers: { standard: rule(p.tiers.standard), sensitive: rule(p.tiers.sensitive), critical: rule(p.tiers.critical) },
    prefixes: p.prefixes.map((x) => ({
      prefix: x.prefix,
      ...(x.tier ? { tier: x.tier } : {}),
      ...rule(x),
      ...(x.approvers.length > 0 ? { approvers: x.approvers } : {}),
    })),
    approvers: p.approvers,
    ...(p.notify ? { notify: p.notify } : {}),
    expectedRevision,
  };
}

// ---------------------------------------------------------------------------------------------
// A policy file

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a policy file's parsed JSON, in seed 003's snake_case shape or the API's camelCase one. */
export function policyFromFile(raw: unknown, file: string): PolicyBody {
  const bad = (msg: string) => new AppError('invalid_input', `${file}: ${msg}`);
  let root = raw;
  if (isObj(root) && 'approval_policy' in root) {
    const extra = Object.keys(root).filter((k) => k !== 'approval_policy');
    if (extra.length > 0) throw bad(`unknown key ${JSON.stringify(extra[0])} beside "approval_policy".`);
    root = root.approval_policy;
  }
  if (!isObj(root)) {
    throw bad('expected a JSON object such as {"approval_policy": {"tiers": {"critical": {"required_approvals": 1}}}}.');
  }
  // revision and its author: what `policy show --json` prints beside the policy; the vault sets them.
  onlyKeys(root, ['tiers', 'prefixes', 'approvers', 'notify', 'revision', 'updatedAt', 'updated_at', 'updatedBy', 'updated_by'], '', bad);
  const tiers = root.tiers;
  if (!isObj(tiers)) throw bad('"tiers" is missing: give a rule for each of standard, sensitive and critical.');
  onlyKeys(tiers, TIERS, 'tiers.', bad);
  const rules = {} as PolicyBody['tiers'];
  for (const tier of TIERS) {
    const r = tiers[tier];
    if (!isObj(r)) {
      throw bad(
        `no rule for the ${tier} tier: give all three tiers, e.g. "${tier}": {"required_approvals": ${tier === 'standard' ? 0 : 1}}.`,
      );
    }
    onlyKeys(r, RULE_KEYS, `tiers.${tier}.`, bad);
    rules[tier] = ruleOf(r, `tiers.${tier}`, bad);
  }
  const prefixes: PrefixRule[] = [];
  if (root.prefixes !== undefined && root.prefixes !== null) {
    if (!Array.isArray(root.prefixes))
      throw bad('"prefixes" must be a list of rules such as {"prefix": "production/payments", "required_approvals": 2}.');
    root.prefixes.forEach((p, i) => {
      const where = `prefixes[${i}]`;
      if (!isObj(p)) throw bad(`${where} must be an object with "prefix" and "required_approvals".`);
      onlyKeys(p, [...RULE_KEYS, 'prefix', 'tier', 'approvers'], `${where}.`, bad);
      if (typeof p.prefix !== 'string' || p.prefix === '')
        throw bad(`${where}.prefix must be a path prefix such as "production/payments".`);
      if (p.tier !== undefined && p.tier !== null && !(TIERS as readonly unknown[]).includes(p.tier)) {
        throw bad(`${where}.tier must be one of ${TIERS.join(', ')} (or left out: every tier).`);
      }
      prefixes.push({
        prefix: p.prefix,
        tier: (p.tier ?? null) as Tier | null,
        ...ruleOf(p, where, bad),
        approvers: namesOf(p.approvers, `${where}.approvers`, bad),
      });
    });
  }
  let notify: PolicyBody['notify'] = null;
  if (root.notify !== undefined && root.notify !== null) {
    if (!isObj(root.notify)) throw bad('"notify" must be {"webhook": URL, "webhook_secret": VAULT_PATH} or null.');
    onlyKeys(root.notify, ['webhook', 'webhookSecret', 'webhook_secret'], 'notify.', bad);
    const webhook = root.notify.webhook;
    const webhookSecret = root.notify.webhookSecret ?? root.notify.webhook_secret;
    if (typeof webhook !== 'string' || typeof webhookSecret !== 'string') {
      throw bad('"notify" needs both "webhook" (an https URL) and "webhook_secret" (the vault path of the signing key).');
    }
    notify = { webhook, webhookSecret };
  }
  return { tiers: rules, prefixes, approvers: namesOf(root.approvers, 'approvers', bad), notify };
}

const RULE_KEYS = [
  'required_approvals',
  'requiredApprovals',
  'timeout_hours',
  'timeoutHours',
  'timeout_seconds',
  'timeoutSeconds',
  'timeout',
] as const;

function onlyKeys(o: Obj, allowed: readonly string[], where: string, bad: (m: string) => AppError): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw bad(`unknown key ${JSON.stringify(`${where}${k}`.slice(0, 80))}; allowed here: ${allowed.join(', ')}.`);
  }
}

function ruleOf(o: Obj, where: string, bad: (m: string) => AppError): Rule {
  const given = (['required_approvals', 'requiredApprovals'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw bad(`${where} needs "required_approvals" (0 for none), once.`);
  const n = o[given[0] as string];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(`${where}.required_approvals must be a whole number, 0 or more.`);
  const timeouts = (['timeout_hours', 'timeoutHours', 'timeout_seconds', 'timeoutSeconds', 'timeout'] as const).filter(
    (k) => o[k] !== undefined && o[k] !== null,
  );
  if (timeouts.length > 1) throw bad(`${where} gives the timeout twice (${timeouts.join(', ')}); keep one.`);
  const key = timeouts[0];
  let seconds = DEFAULT_TIMEOUT_SECONDS;
  if (key !== undefined) {
    const v = o[key];
    if (key === 'timeout') {
      try {
        seconds = parseDuration(v, `${where}.timeout`);
      } catch (e) {
        throw bad(errorMessage(e));
      }
    } else if (typeof v !== 'number' || !(v > 0)) throw bad(`${where}.${key} must be a positive number.`);
    else seconds = Math.round(key === 'timeout_hours' || key === 'timeoutHours' ? v * 3600 : v);
  }
  return { requiredApprovals: n, timeoutSeconds: seconds };
}

function namesOf(v: unknown, where: string, bad: (m: string) => AppError): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) {
    throw bad(`${where} must be a list of user names, such as ["alice", "security"].`);
  }
  const names = v.map((x: string) => x.trim());
  const wrong = names.find((n) => !isUserName(n));
  if (wrong !== undefined) throw bad(`${where}: ${notAUserName(wrong)}`);
  return [...new Set(names)].sort();
}

/** Whether `name` can be a vault user's name (approvers are users, by name). */
export function isUserName(name: string): boolean {
  return Name().safeParse(name).success;
}

/** Why an approver's name is refused, and what to do instead. */
export function notAUserName(name: string): string {
  return `${JSON.stringify(name.slice(0, 80))} is not a vault user name. Approvers are vault users, by name (ass users list): make each person one first, e.g. ass users create alice --role viewer --approver, and list alice.`;
}

// ---------------------------------------------------------------------------------------------
// What changed

/** "1 approval within 24h", "no approval". */
export function describeRule(r: Rule): string {
  if (r.requiredApprovals === 0) return 'no approval';
  return `${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'} within ${formatDuration(r.timeoutSeconds)}`;
}

function describePrefix(p: PrefixRule): string {
  return `${describeRule(p)}${p.approvers.length > 0 ? `, by ${p.approvers.join(', ')}` : ''}`;
}

const prefixLabel = (p: Pick<PrefixRule, 'prefix' | 'tier'>) => `prefix ${p.prefix}${p.tier ? ` (${p.tier} only)` : ''}`;
const prefixKey = (p: Pick<PrefixRule, 'prefix' | 'tier'>) => `${p.prefix}|${p.tier ?? ''}`;
const approversText = (names: string[]) => (names.length > 0 ? names.join(', ') : 'every admin and approver');
const notifyText = (n: PolicyBody['notify']) => (n ? `${n.webhook} (signed with the key at ${n.webhookSecret})` : 'none');

/** One line per difference between two policies, in words; empty when they say the same. */
export function policyChanges(before: PolicyBody, after: PolicyBody): string[] {
  const lines: string[] = [];
  for (const tier of TIERS) {
    const a = describeRule(before.tiers[tier]);
    const b = describeRule(after.tiers[tier]);
    if (a !== b) lines.push(`tier ${tier}: ${a} -> ${b}`);
  }
  const old = new Map(before.prefixes.map((p) => [prefixKey(p), p]));
  const next = new Map(after.prefixes.map((p) => [prefixKey(p), p]));
  for (const [k, p] of next) {
    const o = old.get(k);
    if (!o) lines.push(`${prefixLabel(p)}: added, ${describePrefix(p)}`);
    else if (describePrefix(o) !== describePrefix(p)) lines.push(`${prefixLabel(p)}: ${describePrefix(o)} -> ${describePrefix(p)}`);
  }
  for (const [k, o] of old) if (!next.has(k)) lines.push(`${prefixLabel(o)}: removed (was ${describePrefix(o)})`);
  const sortedBefore = [...before.approvers].sort();
  const sortedAfter = [...after.approvers].sort();
  if (sortedBefore.join(',') !== sortedAfter.join(',')) {
    lines.push(`approvers: ${approversText(sortedBefore)} -> ${approversText(sortedAfter)}`);
  }
  if (notifyText(before.notify) !== notifyText(after.notify))
    lines.push(`webhook: ${notifyText(before.notify)} -> ${notifyText(after.notify)}`);
  return lines;
}

/** The policy for people: one rule per line. */
export function describePolicy(p: ApprovalPolicy): string[] {
  return [
    ...TIERS.map((t) => `tier ${t}: ${describeRule(p.tiers[t])}`),
    ...p.prefixes.map((x) => `${prefixLabel(x)}: ${describePrefix(x)}`),
    `approvers: ${approversText(p.approvers)}`,
    `webhook: ${notifyText(p.notify)}`,
  ];
}
