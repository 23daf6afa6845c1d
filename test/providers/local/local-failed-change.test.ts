/**
 * Issue 9, item 6 through the real CLI on the local cloud: a change the engine refuses leaves
 * nothing half-applied (the old password still logs in), the instance record is not poisoned
 * (reverting the file gives "No changes", later changes and destroy work), and the instance
 * stays supervised after the failure (kill -9 of postgres → restarted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import { LocalStack } from '../../support/local-stack.js';
import { waitUntil } from '../../support/local-cloud.js';
import { pidAlive } from '../../../guest/datastores/process.js';

async function logsIn(port: number, password: string): Promise<boolean> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'app', password, database: 'orders', connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

test('a refused change is rolled back, reverting the file gives No changes, the instance stays supervised, later changes and destroy work', async (t) => {
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  const original = readFileSync(s.file, 'utf8');
  const applied = await s.run('apply', s.file, '-auto-approve');
  t.is(applied.code, 0, applied.stdout + applied.stderr);
  const port = Number(await s.output('orders_port'));
  t.true(await logsIn(port, 'change-me-please'));

  // the repro: a new password for app and a reserved role name
  s.edit((text) => text.replace('default     = "change-me-please"', 'default     = "brand-new-pass"')
    .replace('  user "app" {', '  user "pg_bad" {\n    password = "whatever-123"\n  }\n\n  user "app" {'));
  const bad = await s.run('apply', s.file, '-auto-approve');
  t.is(bad.code, 1, bad.stdout + bad.stderr);
  t.regex(bad.stderr, /role names beginning with pg_ are reserved/);
  t.regex(bad.stderr, /the instance is back at its previous spec/);
  t.true(await logsIn(port, 'change-me-please'), 'the old password still logs in');
  t.false(await logsIn(port, 'brand-new-pass'));

  s.edit(() => original);
  const plan = await s.run('plan', s.file);
  t.is(plan.code, 0, plan.stderr);
  t.regex(plan.stdout, /No changes/);
  t.true(await logsIn(port, 'change-me-please'));

  // a database with a collation the system does not have: refused by the engine, then undone
  s.edit((text) => text.replace('  database "orders" {', '  database "badcoll" {\n    collation = "xx_NOPE.UTF-8"\n  }\n\n  database "orders" {'));
  const coll = await s.run('apply', s.file, '-auto-approve');
  t.is(coll.code, 1, coll.stdout + coll.stderr);
  t.regex(coll.stderr, /xx_NOPE/);

  // ERROR never stops supervision
  const dataDir = s.dataDirs()[0]!;
  const pid1 = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid1, 'SIGKILL');
  await waitUntil(() => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return pid !== pid1 && pidAlive(pid);
    } catch { return false; }
  }, 120_000, 'postgres restarted by the agent');
  await waitUntil(() => logsIn(port, 'change-me-please'), 60_000, 'the old password logging in again');

  // not poisoned: a later change applies, then destroy empties the state
  s.edit(() => original.replace('  database "orders" {', '  database "more" {}\n\n  database "orders" {'));
  const more = await s.run('apply', s.file, '-auto-approve');
  t.is(more.code, 0, more.stdout + more.stderr);
  t.regex((await s.run('plan', s.file)).stdout, /No changes/);
  const destroyed = await s.run('destroy', s.file, '-auto-approve');
  t.is(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  t.is((await s.run('state', 'list')).stdout.trim(), '');
});
