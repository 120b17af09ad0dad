/** `ass rotation set|list|show|delete` (policies) and `ass rotate` (run rotations). */
import type { RotationPolicyInput, RotationStatus } from '../client/client.js';
import { formatDuration } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import { ROTATORS, type RotatorName } from '../core/model.js';
import { plan, rotateAll } from '../rotation/engine.js';
import { makeNotifier } from '../rotation/notifier.js';
import { rotatorFor } from '../rotation/registry.js';
import type { RotationResult } from '../rotation/types.js';
import {
  type Command,
  type CommandGroup,
  durationOption,
  fields,
  int,
  json,
  list,
  oneOf,
  stopSignal,
  str,
  table,
  usage,
  userClient,
  withClient,
} from './common.js';

/** The rotator's settings from its flags; each rotator checks them again before it runs. */
/** Which rotator each rotator-specific option belongs to. */
const OPTION_OF: Record<string, RotatorName> = {
  length: 'random',
  alphabet: 'random',
  prefix: 'random',
  'admin-secret': 'postgres',
  roles: 'postgres',
  command: 'command',
  'test-command': 'command',
  'revoke-command': 'command',
  timeout: 'command',
  agent: 'agent-key',
  'github-secret': 'agent-key',
};

function settingsFrom(rotator: RotatorName, values: Record<string, unknown>, helpFor: string): Record<string, unknown> {
  const v = values as Parameters<typeof str>[0];
  // An option of another rotator would be dropped without a word: say so instead.
  for (const [option, owner] of Object.entries(OPTION_OF)) {
    if (owner !== rotator && values[option] !== undefined) {
      throw usage(`--${option} is an option of the ${owner} rotator, not of ${rotator}; drop it, or use --rotator ${owner}.`, helpFor);
    }
  }
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  switch (rotator) {
    case 'random':
      set('length', int(v, 'length', { min: 1, helpFor }));
      set('alphabet', str(v, 'alphabet'));
      set('prefix', str(v, 'prefix'));
      break;
    case 'postgres': {
      const roles = list(v, 'roles');
      if (!str(v, 'admin-secret')) {
        throw usage('The postgres rotator needs --admin-secret PATH: the vault path of an admin connection string.', helpFor);
      }
      if (roles.length !== 2)
        throw usage('The postgres rotator needs exactly two roles to alternate between: --roles ROLE_A,ROLE_B.', helpFor);
      set('adminSecret', str(v, 'admin-secret'));
      set('roles', roles);
      break;
    }
    case 'command':
      if (!str(v, 'command')) throw usage('The command rotator needs --command CMD: it prints the new value on stdout.', helpFor);
      set('command', str(v, 'command'));
      set('testCommand', str(v, 'test-command'));
      set('revokeCommand', str(v, 'revoke-command'));
      set('timeoutSeconds', durationOption(v, 'timeout', helpFor));
      break;
    case 'agent-key':
      if (!str(v, 'agent')) throw usage('The agent-key rotator needs --agent NAME: the agent whose key rotates.', helpFor);
      set('agent', str(v, 'agent'));
      set('githubSecret', str(v, 'github-secret'));
      break;
  }
  // The rotator's own check, so a mistake is found now and not at 3 a.m.
  return rotatorFor(rotator).parseSettings(out);
}

const set: Command = {
  usage:
    'ass rotation set PATH --rotator random|postgres|command|agent-key [--every 30d] [--grace 1h] [rotator options] [--webhook URL --webhook-secret PATH] [--dispatch OWNER/REPO:EVENT] [--disable|--enable] [--json]',
  summary: 'Set the rotation policy of a secret, or of every secret below a prefix (PATH ending in /*).',
  details: `  --rotator R          random, postgres, command or agent-key
  --every D            the interval (default by type and tier: critical API keys 14d, other critical 30d,
                       sensitive tokens 60d, other sensitive 90d, standard 365d)
  --grace D            how long the replaced value stays readable (--stage previous) after a rotation (default 1h)
  random:    --length N (32), --alphabet alphanumeric|hex|base64url, --prefix P
  postgres:  --admin-secret PATH (a vault secret holding an admin connection string), --roles ROLE_A,ROLE_B
  command:   --command CMD (prints the new value), --test-command CMD (gets it on stdin),
             --revoke-command CMD (gets the old value on stdin), --timeout D (5m)
  agent-key: --agent NAME, --github-secret repo:OWNER/REPO|env:OWNER/REPO:ENV|org:ORG (where ASS_AGENT_KEY lives)
  --webhook URL        told of each rotation (signed with the key at --webhook-secret PATH)
  --dispatch R:E       send repository_dispatch event E to repository R after each rotation
  --disable, --enable  stop or restart the schedule (a disabled policy still shows when it was due)
Only admins set policies: a command policy runs its command wherever rotation runs.`,
  options: {
    rotator: { type: 'string' },
    every: { type: 'string' },
    grace: { type: 'string' },
    length: { type: 'string' },
    alphabet: { type: 'string' },
    prefix: { type: 'string' },
    'admin-secret': { type: 'string' },
    roles: { type: 'string', multiple: true },
    command: { type: 'string' },
    'test-command': { type: 'string' },
    'revoke-command': { type: 'string' },
    timeout: { type: 'string' },
    agent: { type: 'string' },
    'github-secret': { type: 'string' },
    webhook: { type: 'string' },
    'webhook-secret': { type: 'string' },
    dispatch: { type: 'string' },
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['PATH'],
  remote: true,
  json: 'putRotationPolicy',
  async run(ctx, values, positionals) {
    const help = 'ass rotation set';
    const path = positionals[0];
    if (!path) throw usage('Give the secret path (or PREFIX/* for every secret below it).', help);
    const rotator = oneOf<RotatorName>(values, 'rotator', ROTATORS, help);
    if (!rotator) throw usage(`--rotator is required: one of ${ROTATORS.join(', ')}.`, help);
    if (values.disable === true && values.enable === true) throw usage('Give --disable or --enable, not both.', help);
    const every = durationOption(values, 'every', help);
    const grace = str(values, 'grace');
    const dispatch = str(values, 'dispatch');
    const d = dispatch ? /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+):(.{1,100})$/.exec(dispatch) : undefined;
    if (dispatch && !d) throw usage('--dispatch takes OWNER/REPO:EVENT_TYPE, such as acme/deploy:secret-rotated.', help);
    const webhook = str(values, 'webhook');
    const webhookSecret = str(values, 'webhook-secret');
    const notify = {
      ...(webhook ? { webhook } : {}),
      ...(webhookSecret ? { webhookSecret } : {}),
      ...(d ? { dispatch: { repository: d[1] as string, eventType: d[2] as string } } : {}),
    };
    const body: RotationPolicyInput = {
      rotator,
      settings: settingsFrom(rotator, values, help),
      ...(every !== undefined ? { every } : {}),
      ...(grace !== undefined ? { grace } : {}),
      ...(Object.keys(notify).length ? { notify } : {}),
      ...(values.disable === true ? { enabled: false } : {}),
    };
    const policy = await withClient(userClient(ctx, values, 'rotation set'), (c) => c.putRotationPolicy(path, body));
    if (values.json) ctx.out(json(policy));
    else
      ctx.out(
        `Rotation policy for ${policy.path}: ${policy.rotator}, every ${policy.intervalSeconds ? formatDuration(policy.intervalSeconds) : 'default for type and tier'}, grace ${formatDuration(policy.graceSeconds)}${policy.enabled ? '' : ' (disabled)'}.\n`,
      );
    return 0;
  },
};

function statusRows(secrets: RotationStatus[]): unknown[][] {
  return secrets.map((s) => [
    s.path,
    s.tier,
    s.rotator,
    formatDuration(s.intervalSeconds),
    s.nextDue,
    s.due
      ? s.enabled
        ? `due${s.overdueSeconds > 0 ? ` (${formatDuration(s.overdueSeconds)} over)` : ''}`
        : 'OVERDUE, policy disabled'
      : s.enabled
        ? 'ok'
        : 'disabled',
    s.rotating ? `rotating (${s.rotating.rotationId})` : s.revokeDue ? 'previous value due to be revoked' : '',
  ]);
}

const listCmd: Command = {
  usage: 'ass rotation list [--due] [--prefix P] [--json]',
  summary: 'Secrets under a rotation policy and when each is due, most urgent first (critical tier first).',
  details: `  --due        only what is due or overdue, disabled policies included (a schedule that stopped shows here)
  --prefix P   only secrets below P`,
  options: { due: { type: 'boolean' }, prefix: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listRotationPolicies',
  async run(ctx, values) {
    const prefix = str(values, 'prefix');
    const result = await withClient(userClient(ctx, values, 'rotation list'), (c) =>
      c.listRotationPolicies({ ...(values.due === true ? { due: true } : {}), ...(prefix ? { prefix } : {}) }),
    );
    if (values.json) {
      ctx.out(json(result));
      return 0;
    }
    if (result.secrets.length === 0) {
      ctx.out(
        values.due === true ? 'Nothing is due for rotation.\n' : 'No secret is under a rotation policy; set one with ass rotation set.\n',
      );
      return 0;
    }
    ctx.out(table(['PATH', 'TIER', 'ROTATOR', 'EVERY', 'NEXT DUE', 'STATUS', 'NOTE'], statusRows(result.secrets)));
    return 0;
  },
};

const show: Command = {
  usage: 'ass rotation show PATH [--json]',
  summary: 'The policy that governs a secret (or a policy path) and where each secret it covers stands.',
  options: { json: { type: 'boolean' } },
  positionals: ['PATH'],
  remote: true,
  json: 'listRotationPolicies',
  async run(ctx, values, positionals) {
    const help = 'ass rotation show';
    const path = positionals[0];
    if (!path) throw usage('Give a secret path or a policy path (PREFIX/*).', help);
    const result = await withClient(userClient(ctx, values, 'rotation show'), (c) => c.listRotationPolicies());
    const secrets = result.secrets.filter((s) => s.path === path || s.policy === path);
    const policyPaths = new Set([...secrets.map((s) => s.policy), ...(result.policies.some((p) => p.path === path) ? [path] : [])]);
    const policies = result.policies.filter((p) => policyPaths.has(p.path));
    if (policies.length === 0) {
      throw new AppError('not_found', `No rotation policy covers ${path}; set one with ass rotation set ${path} --rotator ...`);
    }
    if (values.json) {
      ctx.out(json({ policies, secrets }));
      return 0;
    }
    for (const p of policies) {
      const settings = Object.entries(p.settings)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      ctx.out(
        fields([
          ['policy', p.path],
          ['rotator', p.rotator],
          ['settings', settings || '-'],
          ['every', p.intervalSeconds ? formatDuration(p.intervalSeconds) : 'default for type and tier'],
          ['grace', formatDuration(p.graceSeconds)],
          ['enabled', p.enabled],
          ['notify', p.notify ? JSON.stringify(p.notify) : '-'],
          ['updated', `${p.updatedAt} by ${p.updatedBy}`],
        ]),
      );
    }
    if (secrets.length > 0) ctx.out(`\n${table(['PATH', 'TIER', 'ROTATOR', 'EVERY', 'NEXT DUE', 'STATUS', 'NOTE'], statusRows(secrets))}`);
    return 0;
  },
};

const del: Command = {
  usage: 'ass rotation delete PATH [--json]',
  summary: 'Remove a rotation policy (the secrets stay as they are).',
  options: { json: { type: 'boolean' } },
  positionals: ['PATH'],
  remote: true,
  json: 'deleteRotationPolicy',
  async run(ctx, values, positionals) {
    const path = positionals[0];
    if (!path) throw usage('Give the policy path, as ass rotation list shows it.', 'ass rotation delete');
    const r = await withClient(userClient(ctx, values, 'rotation delete'), (c) => c.deleteRotationPolicy(path));
    if (values.json) ctx.out(json(r));
    else ctx.out(`Deleted the rotation policy for ${r.path}.\n`);
    return 0;
  },
};

export const rotationGroup: CommandGroup = {
  name: 'rotation',
  summary: 'Rotation policies: what rotates, how, how often (admin sets; anyone with read access to metadata lists).',
  commands: { set, list: listCmd, show, delete: del },
};

function resultRows(results: RotationResult[]): unknown[][] {
  return results.map((r) => [
    r.path,
    r.rotator,
    r.status,
    r.toVersion !== null ? `${r.fromVersion ?? '-'} → ${r.toVersion}` : `${r.fromVersion ?? '-'}`,
    r.test,
    r.graceEnds ?? '',
    r.reason ? `${r.reason}${r.fix ? ` (fix: ${r.fix})` : ''}` : '',
  ]);
}

export const rotate: Command = {
  usage: 'ass rotate (PATH ... | --due [--prefix P]) [--dry-run] [--allow-commands] [--force] [--rotation-id ID] [--abort ID] [--json]',
  summary: 'Rotate secrets now under their policies: make, test and promote a new value (the old one stays readable for the grace period).',
  details: `  PATH ...          the secrets to rotate (each needs a policy: ass rotation set)
  --due             every secret whose interval has passed (within what ASS_TOKEN may rotate)
  --prefix P        with --due: only below P
  --dry-run         say what would rotate, change nothing
  --rotation-id ID  resume that rotation of PATH (after a crash between put and finish)
  --abort ID        abort that rotation of PATH: its pending value goes, the current one stays
  --force           rotate even while the previous value is in its grace period (a leaked value): its
                    grace ends now; without it such a rotation is refused
  --allow-commands  run command policies: their scripts were set in the vault by its admins and run
                    with your privileges (environment, files, credentials); without it they are skipped
A failed test aborts: the current value stays and the audit log says why. Exit 1 if any rotation failed.
Needs secrets:rotate on each path (secrets:write alone does not rotate), or an admin or editor token.
A secret that needs approval (ass approvals policy show) is rotated without one only with a rotator's
token (ASS_TOKEN set to a scoped token with secrets:rotate on it): a person's reads, a rotation's
included, are held for approval.
ASS_GITHUB_TOKEN: a token with "Secrets: write" for the agent-key rotator's GitHub secret, and for repository_dispatch.`,
  options: {
    due: { type: 'boolean' },
    prefix: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'rotation-id': { type: 'string' },
    abort: { type: 'string' },
    'allow-commands': { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['PATH'],
  minPositionals: 0,
  variadic: true,
  remote: true,
  async run(ctx, values, positionals) {
    const help = 'ass rotate';
    const due = values.due === true;
    if (due && positionals.length > 0) throw usage('Give the paths to rotate, or --due for everything due, not both.', help);
    if (!due && positionals.length === 0) throw usage('Give the paths to rotate, or --due for everything that is due.', help);
    const rotationId = str(values, 'rotation-id');
    const abort = str(values, 'abort');
    if ((rotationId || abort) && positionals.length !== 1) throw usage('--rotation-id and --abort take exactly one PATH.', help);
    const client = userClient(ctx, values, 'rotate');
    if (abort) {
      const r = await withClient(client, (c) => c.abortRotation(positionals[0] as string, abort, 'aborted by hand (ass rotate --abort)'));
      if (values.json) ctx.out(json(r));
      else ctx.out(`Aborted rotation ${r.rotationId} of ${r.path}; version ${r.fromVersion} stays current.\n`);
      return 0;
    }
    const { signal, dispose } = stopSignal(ctx);
    try {
      return await withClient(client, async (c) => {
        const prefix = str(values, 'prefix');
        const githubToken = ctx.io.env.ASS_GITHUB_TOKEN?.trim() || undefined;
        const { items, missing } = await plan(c, due ? { due: true, ...(prefix ? { prefix } : {}) } : { paths: positionals });
        if (missing.length > 0) {
          throw new AppError(
            'not_found',
            `No rotation policy covers ${missing.join(', ')} (or this credential may not rotate it); set one with ass rotation set.`,
          );
        }
        const results = await rotateAll(
          {
            client: c,
            rotatorFor: (name) => rotatorFor(name, { client: c, ...(githubToken ? { githubToken } : {}) }),
            notify: makeNotifier(githubToken ? { githubToken } : {}),
            logger: {
              debug: () => {},
              info: (m) => ctx.err(`${m}\n`),
              warning: (m) => ctx.err(`warning: ${m}\n`),
              error: (m) => ctx.err(`error: ${m}\n`),
            },
            // The CLI prints no value, ever: nothing to mask beyond never printing.
            mask: () => {},
            env: ctx.io.env,
            signal,
            allowCommands: values['allow-commands'] === true,
          },
          items,
          {
            ...(values['dry-run'] === true ? { dryRun: true } : {}),
            ...(rotationId ? { rotationId } : {}),
            ...(values.force === true ? { force: true } : {}),
            explicit: !due,
          },
        );
        if (values.json) ctx.out(json({ results }));
        else if (results.length === 0) ctx.out('Nothing to rotate.\n');
        else ctx.out(table(['PATH', 'ROTATOR', 'RESULT', 'VERSION', 'TEST', 'PREVIOUS READABLE UNTIL', 'NOTE'], resultRows(results)));
        return results.some((r) => r.status === 'failed') ? 1 : 0;
      });
    } finally {
      dispose();
    }
  },
};

export const rotateGroup: CommandGroup = { name: 'rotate', summary: rotate.summary, commands: {}, fallback: rotate };
