/** `ass users create|list|revoke` (admin token in ASS_TOKEN). */
import type { UserRole } from '../client/client.js';
import { type Command, type CommandGroup, fields, json, oneOf, requireStr, table, usage, userClient, withClient } from './common.js';

export { ROLES } from '../core/model.js';

import { ROLES } from '../core/model.js';

const create: Command = {
  usage: 'ass users create --name N --role admin|editor|viewer|auditor [--json]',
  summary: "Create a user and print the user's token (once).",
  details: `  --name N   the person's name (one account per person)
  --role R   admin (everything), editor (secrets), viewer (metadata only), auditor (audit log only)`,
  options: { name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'createUser',
  async run(ctx, values) {
    const help = 'ass users create';
    const name = requireStr(values, 'name', 'give the person a name, e.g. --name alice', help);
    const role = oneOf<UserRole>(values, 'role', ROLES, help);
    if (!role) throw usage(`--role is required: one of ${ROLES.join(', ')}.`, help);
    const user = await withClient(userClient(ctx, values, 'users create'), (c) => c.createUser({ name, role }));
    if (values.json) {
      ctx.out(json(user));
      return 0;
    }
    ctx.out(
      fields([
        ['name', user.name],
        ['id', user.id],
        ['role', user.role],
      ]),
    );
    ctx.out(`\nUser token (shown only now; hand it over privately, it goes in ASS_TOKEN):\n${user.token}\n`);
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
          ['NAME', 'ID', 'ROLE', 'CREATED', 'REVOKED'],
          result.users.map((u) => [u.name, u.id, u.role, u.createdAt, u.revokedAt]),
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
  summary: 'Create, list and revoke human users.',
  commands: { create, list: listCmd, revoke },
};
