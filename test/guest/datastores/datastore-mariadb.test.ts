import test from 'ava';
import mysql from 'mysql2/promise';
import { createDriver, freePort, InvalidConfigError, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { tempRoot, stopAndCheck, safeStop } from '../../support/datastore-harness.js';

const tmp = tempRoot('mariadb');
let driver: DatastoreDriver;
let port: number;

test.before(async (t) => {
  driver = createDriver('mysql', { fast: true }); // the mysql type is served by MariaDB
  port = await freePort();
  const t0 = Date.now();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  t.log(`mariadb init→healthy ${Date.now() - t0} ms`);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
});

async function asUser<T>(user: string, password: string, database: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user, password, database });
  try { return await fn(c); } finally { await c.end(); }
}

const one = async (c: mysql.Connection, sql: string) => Object.values((await c.query<mysql.RowDataPacket[]>(sql))[0][0]!)[0];

test.serial('version, servesAs and health', async (t) => {
  t.is(driver.engine, 'mariadb');
  t.deepEqual([...driver.servesAs], ['mariadb', 'mysql']);
  t.regex(await driver.version(), /^10\.\d+\.\d+/);
  t.deepEqual(await driver.health(), { ok: true });
});

test.serial('databases and users: the created user writes and reads over TCP with its password', async (t) => {
  await driver.ensureDatabases([{ name: 'app', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' }, { name: 'other' }]);
  await driver.ensureDatabases([{ name: 'app' }]);
  await driver.ensureUsers([{ name: 'appuser', password: "s3cr3t'\"x", databases: ['app'] }]);
  const rows = await asUser('appuser', "s3cr3t'\"x", 'app', async (c) => {
    await c.query('CREATE TABLE items (id int PRIMARY KEY, label varchar(20))');
    await c.query('INSERT INTO items VALUES (1, ?)', ['hello']);
    t.is(await one(c, 'SELECT @@character_set_database'), 'utf8mb4');
    return (await c.query<mysql.RowDataPacket[]>('SELECT label FROM items'))[0].map((r) => ({ ...r }));
  });
  t.deepEqual(rows, [{ label: 'hello' }]);
  await t.throwsAsync(asUser('appuser', "s3cr3t'\"x", 'other', async () => undefined), { message: /Access denied/ });
  await t.throwsAsync(asUser('appuser', 'wrong', 'app', async () => undefined), { message: /Access denied/ });
  await driver.ensureUsers([{ name: 'appuser', password: 'n3w', databases: ['app'] }]);
  t.is(Number(await asUser('appuser', 'n3w', 'app', (c) => one(c, 'SELECT count(*) FROM items'))), 1);
});

test.serial('observe reports databases, users and variables', async (t) => {
  const o = await driver.observe();
  t.deepEqual(o.databases, ['app', 'other']);
  t.deepEqual(o.users, ['appuser@%']);
  t.is(o.config.port, String(port));
});

test.serial('revokeGrants, dropUsers and dropDatabases remove what they name and skip absent or system ones', async (t) => {
  await driver.ensureDatabases([{ name: 'scratch' }]);
  await driver.ensureUsers([{ name: 'temp', password: 'pw', databases: ['scratch', 'other'] }, { name: 'temp', host: 'localhost', password: 'pw' }]);
  t.is(Number(await asUser('temp', 'pw', 'other', (c) => one(c, 'SELECT 1'))), 1);
  await driver.revokeGrants({ name: 'temp' }, ['other', 'never_granted']);
  await driver.revokeGrants({ name: 'nobody' }, ['other']);
  await t.throwsAsync(asUser('temp', 'pw', 'other', async () => undefined), { message: /Access denied/ });
  t.is(Number(await asUser('temp', 'pw', 'scratch', (c) => one(c, 'SELECT 1'))), 1);
  // accounts are name@host: dropping temp@% keeps temp@localhost
  const session = await mysql.createConnection({ host: '127.0.0.1', port, user: 'temp', password: 'pw', database: 'scratch' });
  session.on('error', () => undefined);
  await driver.dropUsers([{ name: 'temp' }, { name: 'nobody' }, { name: 'root' }]);
  t.deepEqual((await driver.observe()).users, ['appuser@%', 'temp@localhost']);
  t.is(Number(await one(session, 'SELECT 1')), 1, 'temp@localhost is left: the session of temp@% runs on');
  await driver.dropUsers([{ name: 'temp', host: 'localhost' }]);
  await t.throwsAsync(session.query('SELECT 1'), undefined, 'the last temp account is gone: its sessions were killed');
  session.destroy();
  await driver.dropDatabases(['scratch', 'not_there', 'mysql', 'information_schema']);
  const o = await driver.observe();
  t.deepEqual(o.databases, ['app', 'other']);
  t.deepEqual(o.users, ['appuser@%']);
});

test.serial('validateConfig uses SYSTEM_VARIABLES: unknown, out of range with bounds, restart-required', async (t) => {
  const r = await driver.validateConfig({ no_such_setting: 1, max_connections: 5, wait_timeout: 'abc', back_log: 100, sql_mode: 'NOPE', long_query_time: 2 });
  t.true(r.errors.some((e) => /no_such_setting: unknown setting/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /max_connections: 5 is out of range \[10, 100000\]/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /wait_timeout: expected an integer/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /sql_mode: NOPE not in .*STRICT_TRANS_TABLES/.test(e)), r.errors.join('\n'));
  t.is(r.errors.length, 4);
  t.deepEqual(r.restartRequired, ['back_log']);
  await t.throwsAsync(driver.applyConfig({ max_connections: 5 }), { instanceOf: InvalidConfigError });
});

test.serial('applyConfig sets a live variable without restart', async (t) => {
  const pidBefore = driver.pid();
  t.deepEqual(await driver.applyConfig({ max_connections: 77, 'long-query-time': 2.5 }), { restarted: false });
  t.is(Number(await asUser('appuser', 'n3w', 'app', (c) => one(c, 'SELECT @@GLOBAL.max_connections'))), 77);
  t.is(Number(await asUser('appuser', 'n3w', 'app', (c) => one(c, 'SELECT @@GLOBAL.long_query_time'))), 2.5);
  t.is(driver.pid(), pidBefore);
});

test.serial('applyConfig restarts for a read-only variable', async (t) => {
  t.deepEqual(await driver.applyConfig({ back_log: 100 }), { restarted: true });
  t.is(Number(await asUser('appuser', 'n3w', 'app', (c) => one(c, 'SELECT @@back_log'))), 100);
});

test.serial('stop frees the port and leaves no process; data and settings survive a restart', async (t) => {
  await stopAndCheck(t, driver, port);
  await driver.init(tmp.dataDir); // idempotent: keeps the data
  await driver.start({ dataDir: tmp.dataDir, port });
  const label = await asUser('appuser', 'n3w', 'app', (c) => one(c, 'SELECT label FROM items'));
  t.is(label, 'hello');
  const o = await driver.observe();
  t.is(o.config.max_connections, '77');
  t.is(o.config.back_log, '100');
});
