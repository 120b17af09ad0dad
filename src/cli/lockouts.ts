/** `ass lockouts list|clear` (admin token in ASS_TOKEN). */
import { type Command, type CommandGroup, json, str, table, usage, userClient, withClient } from './common.js';

const listCmd: Command = {
  usage: 'ass lockouts list [--all] [--json]',
  summary:
    'Addresses and credential ids locked out after failed credential checks. A lockout refuses only failing requests (429 with Retry-After): a valid credential is still served.',
  details: '  --all    also those still counting failures, or remembering earlier lockouts (which make the next one longer)',
  options: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'listLockouts',
  async run(ctx, values) {
    const result = await withClient(userClient(ctx, values, 'lockouts list'), (c) =>
      c.listLockouts(values.all === true ? { all: true } : {}),
    );
    if (values.json) {
      ctx.out(json(result));
      return 0;
    }
    if (result.lockouts.length === 0) {
      ctx.out(
        values.all === true
          ? 'No lockouts and no failures being counted.\n'
          : 'No lockouts in force (ass lockouts list --all also shows failures still being counted).\n',
      );
      return 0;
    }
    ctx.out(
      table(
        ['SUBJECT', 'ID', 'LOCKED UNTIL', 'RETRY AFTER', 'FAILURES', 'LOCKOUTS', 'REFUSED'],
        result.lockouts.map((l) => [
          l.subject,
          l.id,
          l.lockedUntil ?? '-',
          l.retryAfter === null ? '-' : `${l.retryAfter}s`,
          l.failures,
          l.lockouts,
          l.refused,
        ]),
      ),
    );
    return 0;
  },
};

const clear: Command = {
  usage: 'ass lockouts clear (--address IP | --credential KIND:ID | --all) [--json]',
  summary: 'End a lockout now and forget its count (audited).',
  details: `  --address IP           an address (or the IPv6 /64 that ass lockouts list shows)
  --credential KIND:ID   a credential id as ass lockouts list shows it, such as token:4f7KpQ2mX9aB3cD1
  --all                  every lockout and counter`,
  options: { address: { type: 'string' }, credential: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'clearLockouts',
  async run(ctx, values) {
    const help = 'ass lockouts clear';
    const address = str(values, 'address');
    const credential = str(values, 'credential');
    const all = values.all === true;
    if ([address, credential, all || undefined].filter((x) => x !== undefined).length !== 1) {
      throw usage('Give exactly one of --address IP, --credential KIND:ID or --all.', help);
    }
    if (credential !== undefined && !/^(user|agent|token|pipeline):[A-Za-z0-9]{1,100}$/.test(credential)) {
      throw usage(
        '--credential takes KIND:ID as ass lockouts list shows it (KIND is user, agent, token or pipeline), such as token:4f7KpQ2mX9aB3cD1.',
        help,
      );
    }
    const result = await withClient(userClient(ctx, values, 'lockouts clear'), (c) =>
      c.clearLockouts(address !== undefined ? { address } : credential !== undefined ? { credential } : { all: true }),
    );
    if (values.json) ctx.out(json(result));
    else
      ctx.out(
        result.cleared === 0
          ? 'Nothing to clear: no lockout or counter matched.\n'
          : `Cleared ${result.cleared} lockout counter${result.cleared === 1 ? '' : 's'}.\n`,
      );
    return 0;
  },
};

export const lockoutsGroup: CommandGroup = {
  name: 'lockouts',
  summary: 'List and clear lockouts after failed credential checks (admin).',
  commands: { list: listCmd, clear },
};
