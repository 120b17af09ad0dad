/** `ass whoami`: which credential the CLI is using. */

import { AppError } from '../core/errors.js';
import { type Command, type CommandGroup, envCredential, fields, json, makeClient, withClient } from './common.js';

const whoami: Command = {
  usage: 'ass whoami [--json]',
  summary: 'Show who the current credential (ASS_TOKEN, else ASS_AGENT_KEY) belongs to.',
  options: { json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'whoami',
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
    ];
    if (me.kind === 'user') pairs.push(['name', me.name], ['role', me.role]);
    else if (me.kind === 'agent') {
      pairs.push(['name', me.name], ['scopes', me.scopes.join(', ')]);
      if (me.trustPolicy) pairs.push(['oidc issuer', me.trustPolicy.issuer]);
    } else {
      pairs.push(['agent', me.agent], ['scopes', me.scopes.join(', ')], ['expires', me.expiresAt]);
      if (me.claims?.repository)
        pairs.push(['repository', me.claims.repository], ['run', `${me.claims.run_id ?? '?'}/${me.claims.run_attempt ?? '?'}`]);
    }
    ctx.out(fields(pairs));
    return 0;
  },
};

export const whoamiGroup: CommandGroup = { name: 'whoami', summary: whoami.summary, commands: {}, fallback: whoami };
