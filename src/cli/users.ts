/** `ass users create|update|list|revoke` (admin token in ASS_TOKEN). */
import type { UserInfo, UserRole } from '../client/client.js';
import { type Command, type CommandGroup, fields, json, oneOf, str, table, usage, userClient, withClient } from './common.js';

export { ROLES } from '../core/model.js';

import { ROLES } from '../core/model.js';

const create: Command = {
  usage: 'ass users create NAME --role admin|editor|viewer|auditor [--approver] [--json]',
  summary: "Create a user and print the user's token (once).",
  details: `  NAME         the person's name, one account per person (--name NAME also works)
  --role R     admin (everything), editor (secrets), viewer (metadata only), auditor (audit log only)
  --approver   may approve or deny requests held for approval (admins may anyway), e.g. a viewer
               who decides on critical reads without being able to read secrets`,
  options: { name: { type: 'string' }, role: { type: 'string' }, approver: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: ['NAME'],
  minPositionals: 0,
  remote: true,
  json: 'createUser',
  async run(ctx, values, [positional]) {
    const help = 'ass users create';
    const flag = str(values, 'name');
    if (positional !== undefined && flag !== undefined && positional !== flag) {
      throw usage('Give the name once: as NAME or as --name NAME.', help);
    }
    const name = positional ?? flag;
    if (name === undefined || name.trim() === '') throw usage('Give the person a name: ass users create alice --role editor.', help);
    const role = oneOf<UserRole>(values, 'role', ROLES, help);
    if (!role) throw usage(`--role is required: one of ${ROLES.join(', ')}.`, help);
    const approver = values.approver === true;
    const user = await withClient(userClient(ctx, values, 'users create'), (c) =>
      c.createUser({ name, role, ...(approver ? { approver } : {}) }),
    );
    if (values.json) {
      ctx.out(json(user));
      return 0;
    }
    ctx.out(
      fields([
        ['name', user.name],
        ['id', user.id],
        ['role', user.role],
        ['approver', approverText(user)],
      ]),
    );
    ctx.out(`\nUser token (shown only now; hand it over privately, it goes in ASS_TOKEN):\n${user.token}\n`);
    return 0;
  },
};

/** Whether a user may decide approval requests, in words (admins may whether or not they are marked). */
function approverText(u: Pick<UserInfo, 'role' | 'approver'>): string {
  if (u.approver) return 'yes';
  return u.role === 'admin' ? 'yes (admin)' : 'no';
}

const update: Command = {
  usage: 'ass users update NAME (--approver | --no-approver) [--json]',
  summary: 'Make a user an approver of requests held for approval, or no longer one.',
  details: `  --approver      NAME may approve or deny requests held for approval (never their own)
  --no-approver   NAME no longer may (admins always may)`,
  options: { approver: { type: 'boolean' }, 'no-approver': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: ['NAME'],
  remote: true,
  json: 'updateUser',
  async run(ctx, values, [name]) {
    const help = 'ass users update';
    const on = values.approver === true;
    const off = values['no-approver'] === true;
    if (on === off) throw usage('Give exactly one of --approver or --no-approver.', help);
    const user = await withClient(userClient(ctx, values, 'users update'), (c) => c.updateUser(name!, { approver: on }));
    if (values.json) ctx.out(json(user));
    else if (user.approver) ctx.out(`${user.name} is now an approver: they can approve or deny requests (ass approvals list).\n`);
    else ctx.out(`${user.name} is no longer an approver${user.role === 'admin' ? ' (as an admin they still may decide requests)' : ''}.\n`);
    return 0;
  },
};

const listCmd: Command = {
  usage: 'ass users list [--json]',
  summary: 'List users.',

  options: { json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listUsers',
  async run(ctx, values) {
    const result = await withClient(userClient(ctx, values, 'users list'), (c) => c.listUsers());
    if (values.json) ctx.out(json(result));
    else
      ctx.out(
        table(
          ['NAME', 'ID', 'ROLE', 'APPROVER', 'CREATED', 'REVOKED'],
          result.users.map((u) => [u.name, u.id, u.role, approverText(u), u.createdAt, u.revokedAt]),
        ),
      );
    return 0;
  },
};

const revoke: Command = {
  usage: 'ass users revoke NAME [--json]',
  summary: "Revoke a user's token (the account stays in listings and the audit log).",
  details: 'The last active admin cannot be revoked: create another admin first.',
  options: { json: { type: 'boolean' } },
  positionals: ['NAME'],
  remote: true,
  json: 'revokeUser',
  async run(ctx, values, positionals) {
    const name = positionals[0];
    if (!name) throw usage('Give the name of the user to revoke, as shown by ass users list.', 'ass users revoke');
    const result = await withClient(userClient(ctx, values, 'users revoke'), (c) => c.revokeUser(name));
    if (values.json) ctx.out(json(result));
    else ctx.out(`Revoked user ${result.name}: their token no longer works.\n`);
    return 0;
  },
};

export const usersGroup: CommandGroup = {
  name: 'users',
  summary: 'Create, update (approver or not), list and revoke human users.',
  commands: { create, update, list: listCmd, revoke },
};
