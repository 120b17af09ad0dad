/** `ass whoami`: which credential the CLI is using. */

import { AppError } from '../core/errors.js';
import { type Command, type CommandGroup, envCredential, fields, json, makeClient, withClient } from './common.js';

const whoami: Command = {
  usage: 'ass whoami [--json]',
  summary: 'Show who the current credential (ASS_TOKEN, else ASS_AGENT_KEY) belongs to.',
  details: '  --json   print {kind, id, name, role?, agent?, scopes?, expiresAt?}',
  options: { json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  async run(ctx, values) {
    const credential = envCredential(ctx, 'ASS_TOKEN') ?? envCredential(ctx, 'ASS_AGENT_KEY');
    if (!credential)
      throw new AppError('unauthenticated', 'No credential: set ASS_TOKEN (user, scoped or pipeline token) or ASS_AGENT_KEY.');
    const me = await withClient(makeClient(ctx, values, credential), (c) => c.whoami());
    if (values.json) {
      ctx.out(json(me));
      return 0;
    }
    const pairs: Array<[string, unknown]> = [
      ['kind', me.kind],
      ['id', me.id],
      ['name', me.name],
    ];
    if (me.role) pairs.push(['role', me.role]);
    if (me.agent) pairs.push(['agent', me.agent]);
    if (me.scopes) pairs.push(['scopes', me.scopes.join(', ')]);
    if (me.expiresAt) pairs.push(['expires', me.expiresAt]);
    ctx.out(fields(pairs));
    return 0;
  },
};

export const whoamiGroup: CommandGroup = { name: 'whoami', summary: whoami.summary, commands: {}, fallback: whoami };
