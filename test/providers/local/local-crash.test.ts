/**
 * An apply killed (SIGKILL) while the local cloud is creating an instance: the next apply finds
 * the instance by the lineage and address it was tagged with, records it tainted and replaces
 * it — one instance in the end, none orphaned.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { cliPath } from '../../support/cli.js';
import { FAST_ENV, LocalStack } from '../../support/local-stack.js';

test('a create interrupted by a crash is adopted, not orphaned or duplicated', async (t) => {
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  // Kill the CLI as soon as the guest has started: the instance exists, the state does not know it.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'apply', s.file, '-auto-approve'], { cwd: s.dir, env: { ...process.env, ...FAST_ENV, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/guest started/.test(out)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`apply was not killed:\n${out}`))));
  });
  const status = JSON.parse((await s.run('local', 'status', '--json')).stdout) as { instances: { id: string }[] };
  t.is(status.instances.length, 1, 'the killed apply left one instance behind');
  const orphan = status.instances[0]!.id;

  const again = await s.run('apply', s.file, '-auto-approve');
  t.is(again.code, 0, again.stdout + again.stderr);
  t.regex(again.stderr, /database_instance\.orders was being created when an earlier apply stopped/);
  t.regex(again.stdout, /Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy/);
  const after = JSON.parse((await s.run('local', 'status', '--json')).stdout) as { instances: { id: string }[] };
  t.is(after.instances.length, 1, 'exactly one instance exists');
  t.not(after.instances[0]!.id, orphan, 'the adopted instance was replaced');
  t.is((await s.run('state', 'list')).stdout.trim(), 'database_instance.orders');
  t.is((await s.run('destroy', s.file, '-auto-approve')).code, 0);
});
