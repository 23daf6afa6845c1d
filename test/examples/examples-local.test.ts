/**
 * Every example, end to end on its own embedded local cloud, through the real CLI: apply →
 * connect with the engine's own client and write data → change configuration and add a user →
 * the plan shows in-place updates only → apply → verified inside the engine → a change made
 * behind dbstack's back shows as drift → destroy → no process, port or volume left.
 */
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStack, portIsFree, processesMentioning } from '../support/local-stack.js';
import { mariadbAdmin, postgresAdmin, redisAdmin } from '../support/engine-admin.js';

async function ok(t: ExecutionContext, s: LocalStack, ...args: string[]): Promise<string> {
  const r = await s.run(...args);
  if (r.code !== 0) t.fail(`dbstack ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `plan -detailed-exitcode`: asserts there are changes and returns the plan text. */
async function planWithChanges(t: ExecutionContext, s: LocalStack): Promise<string> {
  const r = await s.run('plan', s.file, '-detailed-exitcode');
  t.is(r.code, 2, `${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function destroyAndCheckNothingLeft(t: ExecutionContext, s: LocalStack, ports: number[]): Promise<void> {
  const out = await ok(t, s, 'destroy', s.file, '-auto-approve');
  t.regex(out, /Destroy complete! Resources: 0 added, 0 changed, \d+ destroyed/);
  t.deepEqual(s.dataDirs(), [], 'every volume is removed');
  t.is((await ok(t, s, 'state', 'list')).trim(), '');
  for (const port of ports) t.true(await portIsFree(port), `port ${port} is free`);
  await ok(t, s, 'local', 'down');
  t.deepEqual(processesMentioning(s.dir), [], 'no process of this stack is left');
  const configurations = join(s.dir, '.dbstack/local/configurations');
  t.deepEqual(existsSync(configurations) ? readdirSync(configurations) : [], [], 'no configuration group is left');
}

test('quickstart.hcl: PostgreSQL instance with a database and a user', async (t) => {
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  const applied = await ok(t, s, 'apply', s.file, '-auto-approve');
  t.regex(applied, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed/);
  t.regex(applied, /orders_uri = \(sensitive value/);
  t.notRegex(applied, /change-me-please/, 'the password is never printed');

  const uri = await s.output('orders_uri');
  t.regex(uri, /^postgresql:\/\/app:change-me-please@127\.0\.0\.1:\d+\/orders$/);
  const port = Number(await s.output('orders_port'));
  const app = new pg.Client({ connectionString: uri });
  await app.connect();
  await app.query('CREATE TABLE orders (id int PRIMARY KEY, item text)');
  await app.query(`INSERT INTO orders VALUES (1, 'book')`);
  t.deepEqual((await app.query('SELECT item FROM orders')).rows, [{ item: 'book' }]);
  await app.end();

  s.edit((x) => x.replace('  user "app" {', '  user "reporting" {\n    password  = "reporting-secret-1"\n    databases = ["orders"]\n  }\n\n  user "app" {'));
  const plan = await planWithChanges(t, s);
  t.regex(plan, /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
  t.regex(plan, /database_instance\.orders will be updated in-place/);
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 0 added, 1 changed, 0 destroyed/);
  const reporting = new pg.Client({ connectionString: `postgresql://reporting:reporting-secret-1@127.0.0.1:${port}/orders` });
  await reporting.connect();
  t.is((await reporting.query('SELECT current_user AS u')).rows[0].u, 'reporting');
  await reporting.end();

  await postgresAdmin(s.dataDirs()[0]!, 'DROP DATABASE orders WITH (FORCE)');
  const drift = await planWithChanges(t, s);
  t.regex(drift, /objects have changed outside of dbstack/);
  t.regex(drift, /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 0 added, 1 changed/);
  const again = new pg.Client({ connectionString: uri });
  await again.connect();
  t.is((await again.query('SELECT current_database() AS d')).rows[0].d, 'orders', 'the dropped database is back');
  await again.end();

  await destroyAndCheckNothingLeft(t, s, [port]);
});

test('mariadb.hcl: configuration group, generated password, utf8mb4 database', async (t) => {
  const s = new LocalStack('mariadb.hcl');
  t.teardown(() => s.dispose());
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 3 added/);
  const uri = await s.output('shop_uri');
  const port = Number(new URL(uri).port);
  const shop = await mysql.createConnection(uri);
  await shop.query('CREATE TABLE items (id int PRIMARY KEY, name varchar(20))');
  await shop.query(`INSERT INTO items VALUES (1, 'caf\u00e9')`);
  const [rows] = await shop.query('SELECT name, @@max_connections AS mc, @@character_set_database AS cs FROM items');
  t.deepEqual(rows, [{ name: 'caf\u00e9', mc: 200, cs: 'utf8mb4' }]);
  await shop.end();

  s.edit((x) => x.replace('max_connections = 200', 'max_connections = 250')
    .replace('  user "shop" {', '  user "reader" {\n    password  = "reader-secret-1"\n    databases = ["shop"]\n  }\n\n  user "shop" {'));
  const plan = await planWithChanges(t, s);
  t.regex(plan, /Plan: 0 to add, 2 to change, 0 to replace, 0 to destroy/);
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 0 added, 2 changed/);
  const reader = await mysql.createConnection({ host: '127.0.0.1', port, user: 'reader', password: 'reader-secret-1', database: 'shop' });
  const [after] = await reader.query('SELECT name, @@max_connections AS mc FROM items');
  t.deepEqual(after, [{ name: 'caf\u00e9', mc: 250 }]);
  await reader.end();

  // The engine judges new values at plan time: a bad one fails the plan, a restart is announced.
  s.edit((x) => x.replace('max_connections = 250', 'max_connections = 999999999\n    table_open_cache_instances = 4'));
  const refused = await s.run('plan', s.file);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /database_configuration\.tuned: on instance shop: max_connections: 999999999 is out of range \[10, 100000\]/);
  t.regex(refused.stderr, /applying table_open_cache_instances restarts the database/);
  s.edit((x) => x.replace('max_connections = 999999999\n    table_open_cache_instances = 4', 'max_connections = 250'));

  await mariadbAdmin(s.dataDirs()[0]!, 'SET GLOBAL max_connections = 300');
  const drift = await planWithChanges(t, s);
  t.regex(drift, /objects have changed outside of dbstack/);
  t.regex(drift, /max_connections\s+= 300 -> 250/);
  await destroyAndCheckNothingLeft(t, s, [port]);
});

test('redis.hcl: Redis with an ACL user', async (t) => {
  const s = new LocalStack('redis.hcl');
  t.teardown(() => s.dispose());
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 2 added/);
  const uri = await s.output('cache_uri');
  const port = Number(await s.output('cache_port'));
  const app = new Redis(uri);
  await app.set('greeting', 'hello');
  t.is(await app.get('greeting'), 'hello');
  app.disconnect();

  s.edit((x) => x.replace('  user "app" {', '  user "worker" {\n    password = "worker-secret-1"\n  }\n\n  user "app" {'));
  t.regex(await planWithChanges(t, s), /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 0 added, 1 changed/);
  const worker = new Redis({ port, username: 'worker', password: 'worker-secret-1' });
  t.is(await worker.get('greeting'), 'hello');
  worker.disconnect();

  await redisAdmin(s.dataDirs()[0]!, port, 'ACL', 'DELUSER', 'worker');
  const drift = await planWithChanges(t, s);
  t.regex(drift, /objects have changed outside of dbstack/);
  t.regex(drift, /Plan: 0 to add, 1 to change/);
  await destroyAndCheckNothingLeft(t, s, [port]);
});

test('heat-trove.yaml: HOT RandomString + OS::Trove::Instance with outputs through get_attr', async (t) => {
  const s = new LocalStack('heat-trove.yaml');
  t.teardown(() => s.dispose());
  t.regex(await ok(t, s, 'apply', s.file, '-auto-approve'), /Resources: 2 added/);
  t.is(await s.output('hostname'), '127.0.0.1');
  const port = Number(await s.output('port'));
  const uri = await s.output('uri');
  t.regex(uri, new RegExp(`^postgresql://app:[^@]+@127\\.0\\.0\\.1:${port}/app$`));
  const app = new pg.Client({ connectionString: uri });
  await app.connect();
  await app.query('CREATE TABLE notes (body text)');
  await app.end();

  s.edit((x) => x.replace('        - name: app\n', '        - name: auditor\n          password: auditor-secret-1\n          databases: [{ get_param: db_name }]\n        - name: app\n'));
  t.regex(await planWithChanges(t, s), /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
  await ok(t, s, 'apply', s.file, '-auto-approve');
  const auditor = new pg.Client({ connectionString: `postgresql://auditor:auditor-secret-1@127.0.0.1:${port}/app` });
  await auditor.connect();
  t.is((await auditor.query('SELECT current_user AS u')).rows[0].u, 'auditor');
  await auditor.end();
  await destroyAndCheckNothingLeft(t, s, [port]);
});
