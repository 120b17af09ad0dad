/**
 * `ass`: the command-line interface of the vault. `runCli` parses argv (without `node` and the
 * script), runs one command and returns its exit code: 0 ok, 2 bad usage or input, 3 denied or
 * unauthenticated, 4 not found, 5 held for approval, 1 anything else (the table in
 * src/core/errors.ts).
 */
import { exitCodeFor, isAppError } from '../core/errors.js';
import { agentsGroup } from './agents.js';
import { approvalsGroup } from './approvals.js';
import { auditGroup } from './audit.js';
import { type CliDeps, type Command, type CommandGroup, type Ctx, parse, terminalSafe, usage } from './common.js';
import { reportHeld } from './held.js';
import { incidentGroup } from './incident.js';
import type { CliIo } from './io.js';
import { jsonHelp } from './json-shape.js';
import { lockoutsGroup } from './lockouts.js';
import { rotateGroup, rotationGroup } from './rotation.js';
import { scanGroup } from './scan.js';
import { secretsGroup } from './secrets.js';
import { initGroup, migrateGroup, rekeyGroup, serverGroup } from './server.js';
import { tokensGroup } from './tokens.js';
import { usersGroup } from './users.js';
import { VERSION } from './version.js';
import { whoamiGroup } from './whoami.js';

export type { CliDeps } from './common.js';

const GROUPS: CommandGroup[] = [
  initGroup,
  serverGroup,
  rekeyGroup,
  migrateGroup,
  secretsGroup,
  agentsGroup,
  tokensGroup,
  usersGroup,
  approvalsGroup,
  auditGroup,
  incidentGroup,
  rotationGroup,
  rotateGroup,
  lockoutsGroup,
  whoamiGroup,
  scanGroup,
];

const ENVIRONMENT = `Environment:
  ASS_URL                  the vault (default http://127.0.0.1:8200); --url overrides it
  ASS_TOKEN                a user, scoped or pipeline token
  ASS_AGENT_KEY            an agent key: tokens issue/exchange; secrets commands use it to issue
                           themselves a single-use 60 s token when ASS_TOKEN is not set
  ASS_CA_CERT              a PEM file to trust for an https vault with a private CA
  ASS_MASTER_KEY           the master key for init/server/rekey instead of the key file
  ASS_MASTER_KEY_PREVIOUS  earlier master keys (comma-separated) while ass rekey reseals under the new one
  ASS_DATABASE_URL         a PostgreSQL store for init/server/rekey instead of DIR/vault.db
  ASS_GITHUB_TOKEN         ass rotate: a GitHub token with "Secrets: write" (agent-key rotator, repository_dispatch)
  ASS_DEBUG                1: debug logging, and stack traces of internal errors

Exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 denied or unauthenticated, 4 not found,
5 held for a human approval (stderr says who may approve and the command they run).`;

function mainHelp(): string {
  const rows: Array<[string, string]> = [];
  for (const g of GROUPS) {
    if (g.fallback && Object.keys(g.commands).length === 0) rows.push([g.name, g.summary]);
    else {
      if (g.fallback) rows.push([g.name, g.fallback.summary]);
      for (const [name, cmd] of Object.entries(g.commands)) rows.push([`${g.name} ${name}`, cmd.summary]);
    }
  }
  const width = Math.max(...rows.map(([n]) => n.length));
  return `ass ${VERSION}: a vault for AI-agent and CI credentials.

Usage: ass <command> [options]   (ass <command> --help for its options)

Commands:
${rows.map(([n, s]) => `  ${n.padEnd(width)}  ${s}`).join('\n')}
  ${'help [command]'.padEnd(width)}  Show help.
  ${'--version'.padEnd(width)}  Print the version.

${ENVIRONMENT}
`;
}

function commandHelp(cmd: Command): string {
  return `${cmd.summary}

Usage: ${cmd.usage}
${cmd.details ? `\n${cmd.details}\n` : cmd.json || cmd.remote ? '\n' : ''}${cmd.json ? `${jsonHelp(cmd.json)}\n` : ''}${cmd.remote ? '  --url URL   the vault (default: ASS_URL, else http://127.0.0.1:8200)\n  --insecure  allow plain http to a vault beyond loopback (the credential crosses the network in clear)\n' : ''}`;
}

function groupHelp(g: CommandGroup): string {
  if (g.fallback && Object.keys(g.commands).length === 0) return commandHelp(g.fallback);
  const names = Object.keys(g.commands);
  const width = Math.max(...names.map((n) => n.length + g.name.length + 1), g.fallback ? g.name.length : 0);
  const rows = [
    ...(g.fallback ? [[g.name, g.fallback.summary]] : []),
    ...Object.entries(g.commands).map(([n, c]) => [`${g.name} ${n}`, c.summary]),
  ];
  const head = g.fallback ? `${commandHelp(g.fallback)}\n` : `${g.summary}\n\n`;
  return `${head}Commands:\n${rows.map(([n, s]) => `  ass ${n!.padEnd(width)}  ${s}`).join('\n')}\n\nRun \`ass ${g.name} <command> --help\` for a command's options.\n`;
}

/** `ass approvals policy`: the two-word commands that start with `word`. */
function subgroupHelp(g: CommandGroup, word: string, names: string[]): string {
  const width = Math.max(...names.map((n) => n.length + g.name.length + 1));
  return `Commands:\n${names.map((n) => `  ass ${`${g.name} ${n}`.padEnd(width)}  ${g.commands[n]!.summary}`).join('\n')}\n\nRun \`ass ${g.name} ${word} <command> --help\` for a command's options.\n`;
}

function findGroup(name: string | undefined): CommandGroup | undefined {
  return GROUPS.find((g) => g.name === name);
}

const isHelp = (a: string | undefined) => a === '--help' || a === '-h' || a === 'help';

/** Runs one `ass` command and returns its exit code. */
export async function runCli(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  // Everything on stderr is a message, never a value: no vault text in it drives the terminal.
  const ctx: Ctx = { io, deps, out: io.stdout, err: (s) => io.stderr(terminalSafe(s)) };
  try {
    return await dispatch(ctx, argv);
  } catch (e) {
    return report(ctx, e);
  }
}

async function dispatch(ctx: Ctx, argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (first === undefined) {
    ctx.err(mainHelp());
    return 2;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    ctx.out(`${VERSION}\n`);
    return 0;
  }
  if (isHelp(first)) {
    if (second === undefined || second.startsWith('-')) {
      ctx.out(mainHelp());
      return 0;
    }
    const g = findGroup(second);
    if (!g) throw usage(`Unknown command "${second.slice(0, 40)}".`, 'ass');
    const sub = (argv[2] && argv[3] && g.commands[`${argv[2]} ${argv[3]}`]) || (argv[2] && g.commands[argv[2]]);
    const words = argv[2] ? Object.keys(g.commands).filter((n) => n.startsWith(`${argv[2]} `)) : [];
    ctx.out(sub ? commandHelp(sub) : words.length ? subgroupHelp(g, argv[2] as string, words) : groupHelp(g));
    return 0;
  }
  const group = findGroup(first);
  if (!group) {
    throw usage(`Unknown command "${first.slice(0, 40)}". Commands: ${GROUPS.map((g) => g.name).join(', ')}.`, 'ass');
  }
  // Two-word commands (`ass approvals policy set`).
  const pair = second !== undefined && argv[2] !== undefined ? group.commands[`${second} ${argv[2]}`] : undefined;
  if (pair) return runCommand(ctx, pair, `ass ${group.name} ${second} ${argv[2]}`, argv.slice(3));
  const sub = second !== undefined ? group.commands[second] : undefined;
  if (sub) return runCommand(ctx, sub, `ass ${group.name} ${second}`, argv.slice(2));
  const words = second === undefined ? [] : Object.keys(group.commands).filter((n) => n.startsWith(`${second} `));
  if (words.length > 0) {
    if (argv[2] === undefined || isHelp(argv[2])) {
      (argv[2] === undefined ? ctx.err : ctx.out)(subgroupHelp(group, second as string, words));
      return argv[2] === undefined ? 2 : 0;
    }
    throw usage(
      `Unknown command "ass ${group.name} ${second} ${argv[2].slice(0, 40)}". Commands: ${words.map((w) => `ass ${group.name} ${w}`).join(', ')}.`,
      `ass ${group.name}`,
    );
  }
  if (group.fallback) {
    if (isHelp(second) && second !== 'help') {
      ctx.out(groupHelp(group));
      return 0;
    }
    if (second !== undefined && !second.startsWith('-')) {
      if (Object.keys(group.commands).length > 0) {
        throw usage(
          `Unknown command "ass ${group.name} ${second.slice(0, 40)}". Commands: ${Object.keys(group.commands).join(', ')} (or options of \`ass ${group.name}\`).`,
          `ass ${group.name}`,
        );
      }
    }
    return runCommand(ctx, group.fallback, `ass ${group.name}`, argv.slice(1));
  }
  if (second === undefined || isHelp(second)) {
    (second === undefined ? ctx.err : ctx.out)(groupHelp(group));
    return second === undefined ? 2 : 0;
  }
  throw usage(
    `Unknown command "ass ${group.name} ${second.slice(0, 40)}". Commands: ${Object.keys(group.commands).join(', ')}.`,
    `ass ${group.name}`,
  );
}

async function runCommand(ctx: Ctx, cmd: Command, name: string, args: string[]): Promise<number> {
  const { values, positionals, help } = parse(cmd, name, args);
  if (help) {
    ctx.out(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(ctx, values, positionals);
  } catch (err) {
    // A request held for approval is not a failure of the command: it says what happens next.
    const held = reportHeld(ctx, err, { json: values.json === true, canWait: 'wait' in cmd.options });
    if (held !== undefined) return held;
    throw err;
  }
}

function report(ctx: Ctx, e: unknown): number {
  if (isAppError(e)) {
    ctx.err(`error: ${e.message}\n`);
    return exitCodeFor(e);
  }
  // System errors (EADDRINUSE, EACCES, ENOENT...) carry paths and addresses, never values.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    ctx.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  if (ctx.io.env.ASS_DEBUG === '1' && e instanceof Error) ctx.err(`error: ${e.stack ?? e.message}\n`);
  else ctx.err('error: unexpected internal error (set ASS_DEBUG=1 for details).\n');
  return exitCodeFor(e);
}

/** The real process as a CliIo. A closed stdout (`ass audit --tail | head`) ends the process quietly. */
export function processIo(): CliIo {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
