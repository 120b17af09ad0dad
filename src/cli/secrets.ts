/**
 * `ass secrets set|get|list|versions|delete`.
 *
 * Credentials: ASS_TOKEN (user, scoped or pipeline token) when set. Otherwise, with only
 * ASS_AGENT_KEY set (the CI pattern `ASS_AGENT_KEY=... ass secrets get PATH --silent`), each
 * command first issues itself a token for exactly what it needs (one scope, 60 s, one use) and
 * makes its one request with that.
 */
import { LIMITS } from '../api/schemas.js';
import type { Secret, SecretTier, SecretType, VaultClient } from '../client/client.js';
import { AppError } from '../core/errors.js';
import { parsePathPrefix, parseSecretPath } from '../core/paths.js';
import {
  type Command,
  type CommandGroup,
  type Ctx,
  envCredential,
  fields,
  int,
  json,
  makeClient,
  oneOf,
  readStdin,
  str,
  stripOneNewline,
  table,
  usage,
  type Values,
  withClient,
} from './common.js';
import { orWaitForApproval, WAIT_HELP, WAIT_OPTIONS, type WaitSpec, waitOption } from './held.js';

export { SECRET_TYPES, TIERS as SECRET_TIERS } from '../core/model.js';

import { TIERS as SECRET_TIERS, SECRET_TYPES, STAGES } from '../core/model.js';

/** Lifetime of the token a command issues itself from ASS_AGENT_KEY. */
const SELF_TOKEN_TTL_SECONDS = 60;
const DESCRIPTION_MAX = LIMITS.description;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function secretPath(input: string | undefined, helpFor: string): string {
  try {
    return parseSecretPath(input);
  } catch (e) {
    if (e instanceof AppError) throw new AppError(e.code, `${e.message}\nRun \`${helpFor} --help\` for usage.`);
    throw e;
  }
}

/**
 * A client able to do `scope`'s work: the ASS_TOKEN client, or one holding a fresh single-use token
 * issued from ASS_AGENT_KEY for exactly that scope.
 */
async function secretsClient<T>(
  ctx: Ctx,
  values: Values,
  scope: string,
  what: string,
  fn: (c: VaultClient) => Promise<T>,
  opts: { wait?: WaitSpec | undefined; reason?: string | undefined } = {},
): Promise<T> {
  const token = envCredential(ctx, 'ASS_TOKEN');
  if (token) return withClient(makeClient(ctx, values, token), fn);
  const agentKey = envCredential(ctx, 'ASS_AGENT_KEY');
  if (!agentKey) {
    throw new AppError(
      'unauthenticated',
      `${what} needs a credential: set ASS_TOKEN (a user or scoped token) or ASS_AGENT_KEY (an agent key; a single-use token for ${scope} is then issued for this command).`,
    );
  }
  return withClient(makeClient(ctx, values, agentKey), async (agent) => {
    // The token request is what the approvers see (and decide on) when the secret needs approval.
    const description = `ass CLI: ${what}${opts.reason ? `; reason: ${opts.reason}` : ''}`.slice(0, DESCRIPTION_MAX);
    const issued = await orWaitForApproval(
      ctx,
      agent,
      opts.wait,
      () => agent.issueToken({ scopes: [scope], ttl: SELF_TOKEN_TTL_SECONDS, maxUses: 1, description }),
      async (id) => {
        const collected = await agent.collectApproval(id);
        if (!collected.token) throw new AppError('internal', `Approval ${id} released no token; see ass approvals show ${id}.`);
        return collected.token;
      },
    );
    return fn(agent.withCredential(issued.token));
  });
}

const set: Command = {
  usage: 'ass secrets set PATH [VALUE|-] [--type T] [--tier T] [--description D] [--expected-version N] [--stdin] [--json]',
  summary: 'Store a new version of a secret.',
  details: `Without VALUE (or with '-' or --stdin) the value is read from stdin, so it never sits in shell
history; exactly one trailing newline is removed.
  --type T               ${SECRET_TYPES.join(', ')}
  --tier T               ${SECRET_TIERS.join(', ')}
  --description D        a note shown in listings (never put a secret here)
  --expected-version N   write only if the current version is N (0: create only, fail if it exists)
  --stdin                read the value from stdin`,
  options: {
    type: { type: 'string' },
    tier: { type: 'string' },
    description: { type: 'string' },
    'expected-version': { type: 'string' },
    stdin: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['PATH', 'VALUE'],
  minPositionals: 1,
  sensitivePositionals: true,
  remote: true,
  json: 'putSecret',
  async run(ctx, values, [rawPath, rawValue]) {
    const help = 'ass secrets set';
    const path = secretPath(rawPath, help);
    const type = oneOf<SecretType>(values, 'type', SECRET_TYPES, help);
    const tier = oneOf<SecretTier>(values, 'tier', SECRET_TIERS, help);
    const expectedVersion = int(values, 'expected-version', { min: 0, helpFor: help });
    const description = str(values, 'description');
    let value: string;
    if (rawValue !== undefined && rawValue !== '-') {
      if (values.stdin) throw usage('Give the value either as an argument or with --stdin, not both.', help);
      value = rawValue;
    } else {
      if ((ctx.io.stdin as { isTTY?: boolean }).isTTY)
        ctx.err('Type the value, then press Enter and Ctrl-D (it is not echoed to any log).\n');
      value = stripOneNewline(await readStdin(ctx.io.stdin));
    }
    if (value === '')
      throw usage('The value is empty: pass it on stdin (printf %s "$VALUE" | ass secrets set PATH) or as an argument.', help);
    const result = await secretsClient(ctx, values, `secrets:write:${path}`, `secrets set ${path}`, (c) =>
      c.putSecret(path, {
        value,
        ...(type ? { type } : {}),
        ...(tier ? { tier } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      }),
    );
    if (values.json) ctx.out(json(result));
    else ctx.out(`Stored ${result.path} version ${result.version} (${result.type}, ${result.tier}).\n`);
    return 0;
  },
};

const get: Command = {
  usage:
    'ass secrets get PATH [--version N | --stage current|previous|pending] [--silent] [--reason TEXT] [--wait [--wait-timeout 15m]] [--json]',
  summary: 'Read a secret value.',
  details: `  --version N          read that version instead of the latest
  --stage S            previous: the value the last rotation replaced, until its grace period ends;
                       pending: the value a rotation is testing (needs secrets:rotate too)
  --silent             print only the value, exactly as stored (no trailing newline): export X=$(ass secrets get PATH --silent)
  --reason TEXT        why you read it, shown to the approvers when the read is held for approval
A secret whose approval policy asks for it (by default: sensitive and critical) is held for a human
approval: exit 5 with who may approve and the command they run, or, with --wait, the value once approved.
${WAIT_HELP}`,
  options: {
    version: { type: 'string' },
    stage: { type: 'string' },
    silent: { type: 'boolean', short: 's' },
    reason: { type: 'string' },
    ...WAIT_OPTIONS,
    json: { type: 'boolean' },
  },
  positionals: ['PATH'],
  remote: true,
  json: 'getSecret',
  async run(ctx, values, [rawPath]) {
    const help = 'ass secrets get';
    const path = secretPath(rawPath, help);
    const version = int(values, 'version', { min: 1, helpFor: help });
    const stage = oneOf(values, 'stage', STAGES, help);
    if (values.silent && values.json) throw usage('--silent and --json cannot be combined.', help);
    if (version !== undefined && stage !== undefined) throw usage('Give --version or --stage, not both.', help);
    const reason = str(values, 'reason');
    if (reason !== undefined && (reason.length > DESCRIPTION_MAX || CONTROL.test(reason))) {
      throw usage(`--reason is one line of at most ${DESCRIPTION_MAX} characters.`, help);
    }
    const wait = waitOption(values, help);
    const query = {
      ...(version !== undefined ? { version } : stage !== undefined ? { stage } : {}),
      ...(reason ? { reason } : {}),
    };
    const secret: SecretOut = await secretsClient(
      ctx,
      values,
      `secrets:read:${path}`,
      `secrets get ${path}`,
      (c) =>
        orWaitForApproval<SecretOut>(
          ctx,
          c,
          wait,
          () => c.getSecret(path, query),
          async (id) => {
            const released = (await c.collectApproval(id)).secrets?.find((s) => s.path === path);
            if (!released) throw new AppError('internal', `Approval ${id} released no value for ${path}; see ass approvals show ${id}.`);
            return released;
          },
        ),
      { wait, reason },
    );
    if (values.silent) ctx.out(secret.value);
    else if (values.json) ctx.out(json(secret));
    else printSecret(ctx, secret);
    return 0;
  },
};

/** A value as a read returns it (a collected approval's lacks `createdAt`). */
type SecretOut = Omit<Secret, 'createdAt'> & { createdAt?: string };

/** A secret and its value as `secrets get` prints it for people (and `approvals collect` for a held read). */
export function printSecret(ctx: Ctx, secret: SecretOut): void {
  ctx.out(
    fields([
      ['path', secret.path],
      ['version', secret.version],
      ['type', secret.type],
      ['tier', secret.tier],
      ...(secret.createdAt ? ([['created', secret.createdAt]] as Array<[string, unknown]>) : []),
    ]),
  );
  ctx.out(`value\n${secret.value}\n`);
}

const listCmd: Command = {
  usage: 'ass secrets list [PREFIX] [--deleted] [--json]',
  summary: 'List secrets (metadata only, never values).',
  details: `  PREFIX      only secrets below this path (production/payments)
  --deleted   include soft-deleted secrets`,
  options: { deleted: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: ['PREFIX'],
  minPositionals: 0,
  remote: true,
  json: 'listMetadata',
  async run(ctx, values, [rawPrefix]) {
    const help = 'ass secrets list';
    let prefix: string;
    try {
      prefix = parsePathPrefix(rawPrefix);
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `${e.message}\nRun \`${help} --help\` for usage.`);
      throw e;
    }
    const scope = prefix ? `secrets:list:${prefix}/*` : 'secrets:list:*';
    const result = await secretsClient(ctx, values, scope, `secrets list${prefix ? ` ${prefix}` : ''}`, (c) =>
      c.listMetadata({ ...(prefix ? { prefix } : {}), ...(values.deleted ? { deleted: true } : {}) }),
    );
    if (values.json) {
      ctx.out(json(result));
      return 0;
    }
    if (result.secrets.length === 0) {
      ctx.out(prefix ? `No secrets below ${prefix}.\n` : 'No secrets.\n');
      return 0;
    }
    const headers = ['PATH', 'VERSION', 'TYPE', 'TIER', 'UPDATED', ...(values.deleted ? ['DELETED'] : []), 'DESCRIPTION'];
    ctx.out(
      table(
        headers,
        result.secrets.map((s) => [
          s.path,
          s.version,
          s.type,
          s.tier,
          s.updatedAt ?? s.createdAt,
          ...(values.deleted ? [s.deleted ? 'yes' : 'no'] : []),
          s.description,
        ]),
      ),
    );
    return 0;
  },
};

const versions: Command = {
  usage: 'ass secrets versions PATH [--json]',
  summary: "List a secret's versions (never values).",
  options: { json: { type: 'boolean' } },
  positionals: ['PATH'],
  remote: true,
  json: 'getMetadata',
  async run(ctx, values, [rawPath]) {
    const path = secretPath(rawPath, 'ass secrets versions');
    const meta = await secretsClient(ctx, values, `secrets:list:${path}`, `secrets versions ${path}`, (c) => c.getMetadata(path));
    if (values.json) {
      ctx.out(json(meta));
      return 0;
    }
    ctx.out(
      fields([
        ['path', meta.path],
        ['current', meta.version],
        ['type', meta.type],
        ['tier', meta.tier],
        ['deleted', meta.deleted ? 'yes' : 'no'],
        ...(meta.previousUntil ? ([['previous readable until', meta.previousUntil]] as Array<[string, unknown]>) : []),
        ...(meta.rotation
          ? ([['rotating', `${meta.rotation.rotationId} (${meta.rotation.rotator}) until ${meta.rotation.leaseUntil}`]] as Array<
              [string, unknown]
            >)
          : []),
        ['description', meta.description],
      ]),
    );
    ctx.out('\n');
    ctx.out(
      table(
        ['VERSION', 'STAGE', 'TYPE', 'TIER', 'CREATED', 'CREATED BY', 'DELETED'],
        meta.versions.map((v) => [v.version, v.stage ?? '', v.type, v.tier, v.createdAt, v.createdBy, v.deletedAt]),
      ),
    );
    return 0;
  },
};

const del: Command = {
  usage: 'ass secrets delete PATH [--json]',
  summary: 'Soft-delete a secret (its versions are kept).',

  options: { json: { type: 'boolean' } },
  positionals: ['PATH'],
  remote: true,
  json: 'deleteSecret',
  async run(ctx, values, [rawPath]) {
    const path = secretPath(rawPath, 'ass secrets delete');
    const result = await secretsClient(ctx, values, `secrets:write:${path}`, `secrets delete ${path}`, (c) => c.deleteSecret(path));
    if (values.json) ctx.out(json(result));
    else ctx.out(`Deleted ${result.path} (soft delete; versions up to ${result.version} are kept).\n`);
    return 0;
  },
};

export const secretsGroup: CommandGroup = {
  name: 'secrets',
  summary: 'Store, read, list and delete secrets.',
  commands: { set, get, list: listCmd, versions, delete: del },
};
