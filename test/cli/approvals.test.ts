/** `ass users` and approvers, against a real vault whose approval policy is the default one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass, type CliResult } from '../helpers/cli-io.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault;
let admin: Record<string, string>;
let bob: Record<string, string>; // a viewer marked approver: decides, cannot read

const run = (args: string[], env: Record<string, string | undefined>): Promise<CliResult> => ass(args, env);

async function userToken(name: string, role: string): Promise<Record<string, string>> {
  const r = await run(['users', 'create', name, '--role', role, '--json'], admin);
  expect(r.code, r.stderr).toBe(0);
  return { ASS_URL: v.url, ASS_TOKEN: JSON.parse(r.stdout).token };
}

beforeAll(async () => {
  v = await startTestVault({ approvals: 'default' });
  admin = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
});
afterAll(async () => {
  await v.cleanup();
});

describe('approvers', () => {
  it('users create NAME --approver, users update, and users list showing who may approve', async () => {
    const created = await run(['users', 'create', 'bob', '--role', 'viewer', '--approver', '--json'], admin);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'bob', role: 'viewer', approver: true });
    bob = { ASS_URL: v.url, ASS_TOKEN: JSON.parse(created.stdout).token };
    const human = await run(['users', 'create', '--name', 'carol', '--role', 'editor'], admin);
    expect(human.stdout).toMatch(/^approver\s+no$/m);
    await userToken('dave', 'viewer');

    const on = await run(['users', 'update', 'carol', '--approver'], admin);
    expect(on).toMatchObject({ code: 0, stdout: 'carol is now an approver: they can approve or deny requests (ass approvals list).\n' });
    const again = await run(['users', 'update', 'carol', '--approver'], admin);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/carol is already an approver; nothing changed/);
    const off = await run(['users', 'update', 'carol', '--no-approver', '--json'], admin);
    expect(JSON.parse(off.stdout)).toMatchObject({ name: 'carol', approver: false });
    expect((await run(['users', 'update', 'carol', '--approver'], admin)).code).toBe(0);

    const neither = await run(['users', 'update', 'carol'], admin);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/exactly one of --approver or --no-approver[\s\S]*ass users update --help/);
    const both = await run(['users', 'create', 'x', '--name', 'y', '--role', 'viewer'], admin);
    expect(both.code).toBe(2);
    expect((await run(['users', 'update', 'nobody', '--approver'], admin)).code).toBe(4);
    expect((await run(['users', 'update', 'dave', '--approver'], bob)).code).toBe(3);

    const list = await run(['users', 'list'], admin);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+ID\s+ROLE\s+APPROVER\s+CREATED\s+REVOKED$/);
    expect(list.stdout).toMatch(/^admin\s+\S+\s+admin\s+yes \(admin\)/m);
    expect(list.stdout).toMatch(/^bob\s+\S+\s+viewer\s+yes\s/m);
    expect(list.stdout).toMatch(/^dave\s+\S+\s+viewer\s+no\s/m);
  });
});
