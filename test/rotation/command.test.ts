import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { commandRotator, MAX_STDOUT_BYTES } from '../../src/rotation/command.js';
import { RotationStepError } from '../../src/rotation/types.js';
import { errorText, testContext } from '../helpers/rotation.js';

const rotator = commandRotator({ killGraceMs: 200 });
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
let dir: string;

function ctxFor(raw: Record<string, unknown>, extra: Parameters<typeof testContext>[0] = {}) {
  return testContext({ settings: rotator.parseSettings({ cwd: dir, ...raw }), path: 'test/cmd/key', rotationId: 'rot_42', ...extra });
}

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return `./${name}`;
}

/** Whether a process is still running: a killed one may linger as a zombie until it is reaped, which counts as gone. */
async function running(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const noCanary = (ctx: ReturnType<typeof ctxFor>, text = '') => {
  expect(ctx.logger.lines.join('\n')).not.toContain(CANARY);
  expect(text).not.toContain(CANARY);
};

describe('command rotator', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ass-rot-cmd-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the new value from stdout without one trailing newline, and never logs it', async () => {
    const cmd = await script(
      'create.sh',
      `echo "making a key for $ASS_ROTATION_PATH ($ASS_ROTATION_ID)" >&2\necho "leaked ${CANARY} here" >&2\nprintf '%s\\n\\n' '${CANARY}'`,
    );
    const ctx = ctxFor({ command: cmd });
    const value = await rotator.create(ctx);
    expect(value).toBe(`${CANARY}\n`);
    expect(ctx.masked).toContain(value);
    expect(ctx.masked).toContain(CANARY);
    expect(ctx.logger.lines).toContain('info: command: making a key for test/cmd/key (rot_42)');
    expect(ctx.logger.lines).toContain('info: command: leaked *** here');
    noCanary(ctx);
  });

  it('gives the command the caller environment and the rotation ids, but not the value', async () => {
    const ctx = ctxFor(
      { command: 'echo "$CALLER_VAR:$ASS_ROTATION_PATH:$ASS_ROTATION_ID"' },
      { env: { PATH: process.env.PATH, CALLER_VAR: 'hello' } },
    );
    expect(await rotator.create(ctx)).toBe('hello:test/cmd/key:rot_42');
  });

  it('fails on empty output', async () => {
    const ctx = ctxFor({ command: 'echo "nothing to say" >&2' });
    const text = await errorText(rotator.create(ctx));
    expect(text).toMatch(/printed nothing on stdout/);
    expect(ctx.logger.lines).toContain('info: command: nothing to say');
  });

  it('fails on a non-zero exit without showing the partial stdout', async () => {
    const ctx = ctxFor({ command: `echo ${CANARY}; echo "boom: ${CANARY}" >&2; exit 7` });
    const text = await errorText(rotator.create(ctx));
    expect(text).toMatch(/exited with code 7/);
    expect(ctx.logger.lines).toContain('info: command: boom: ***');
    noCanary(ctx, text);
  });

  it('delivers the value to the test command on stdin, not in argv or the environment', async () => {
    const out = path.join(dir, 'seen');
    const test = await script('test.sh', `cat > '${out}'\nenv > '${out}.env'\necho "$0 $*" > '${out}.argv'`);
    const ctx = ctxFor({ command: 'true', testCommand: test });
    await rotator.test!(ctx, CANARY);
    expect(await readFile(out, 'utf8')).toBe(CANARY);
    expect(await readFile(`${out}.env`, 'utf8')).not.toContain(CANARY);
    expect(await readFile(`${out}.argv`, 'utf8')).not.toContain(CANARY);
    noCanary(ctx);
  });

  it('fails the test step on a non-zero exit, with the value cut from its output', async () => {
    const test = await script('test-fail.sh', 'read v\necho "rejected key $v" >&2\necho "stdout $v"\nexit 3');
    const ctx = ctxFor({ command: 'true', testCommand: test });
    const promise = rotator.test!(ctx, CANARY);
    await expect(promise).rejects.toBeInstanceOf(RotationStepError);
    await expect(promise).rejects.toMatchObject({ step: 'test' });
    const text = await errorText(rotator.test!(ctx, CANARY));
    expect(text).toMatch(/testCommand exited with code 3/);
    expect(ctx.logger.lines).toContain('info: testCommand: rejected key ***');
    noCanary(ctx, text);
  });

  it('passes when the test command exits 0 even if it does not read stdin', async () => {
    const ctx = ctxFor({ command: 'true', testCommand: 'exit 0' });
    await expect(rotator.test!(ctx, 'x'.repeat(300_000))).resolves.toBeUndefined();
  });

  it('runs the revoke command with the previous value on stdin', async () => {
    const out = path.join(dir, 'revoked');
    const ctx = ctxFor({ command: 'true', revokeCommand: `cat > '${out}'` });
    await rotator.revoke!(ctx, CANARY);
    expect(await readFile(out, 'utf8')).toBe(CANARY);
    const failing = ctxFor({ command: 'true', revokeCommand: 'exit 1' });
    await expect(rotator.revoke!(failing, CANARY)).rejects.toMatchObject({ step: 'revoke' });
  });

  it('stops a command at its timeout, with everything it started', async () => {
    const pids = path.join(dir, 'pids');
    // The shell ignores SIGTERM, so only the escalation to SIGKILL stops it; its background sleep must die too.
    const ctx = ctxFor({ command: `trap '' TERM; sleep 30 & echo "$$ $!" > '${pids}'; wait; echo ${CANARY}`, timeoutSeconds: 1 });
    const text = await errorText(rotator.create(ctx));
    expect(text).toMatch(/did not finish within 1 s/);
    expect(text).toMatch(/timeoutSeconds/);
    const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split(' ').map(Number);
    expect(await running(shell!)).toBe(false);
    expect(await running(sleeper!)).toBe(false);
    noCanary(ctx, text);
  });

  it('stops a command when the rotation is aborted', async () => {
    const controller = new AbortController();
    const ctx = ctxFor({ command: 'sleep 30' }, { signal: controller.signal });
    const promise = errorText(rotator.create(ctx));
    setTimeout(() => controller.abort(), 100);
    expect(await promise).toMatch(/cancelled/);
  });

  it('stops a command that prints more than 1 MiB', async () => {
    const ctx = ctxFor({ command: `head -c ${MAX_STDOUT_BYTES + 10} /dev/zero | tr '\\0' a; sleep 30` });
    expect(await errorText(rotator.create(ctx))).toMatch(/more than 1048576 bytes/);
  });

  it('says when the working directory does not exist', async () => {
    const ctx = ctxFor({ command: 'true', cwd: path.join(dir, 'missing') });
    expect(await errorText(rotator.create(ctx))).toMatch(/could not start[\s\S]*cwd/);
  });

  it.each([
    [{}, /"command"/],
    [{ command: '' }, /"command".*give a command/],
    [{ command: 'x', timeoutSeconds: 0 }, /"timeoutSeconds".*1 to 3600/],
    [{ command: 'x', timeoutSeconds: '60' }, /"timeoutSeconds"/],
    [{ command: 'x', testCommand: 5 }, /"testCommand"/],
    [{ command: 'x', env: {} }, /takes command, testCommand/],
  ])('refuses bad settings %j and names the fix', (raw, message) => {
    let caught: unknown;
    try {
      rotator.parseSettings(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toMatch(message);
  });

  it('defaults the timeout to 300 seconds', () => {
    expect(rotator.parseSettings({ command: './scripts/create-gemini-key.sh' })).toEqual({
      command: './scripts/create-gemini-key.sh',
      timeoutSeconds: 300,
    });
  });
});
