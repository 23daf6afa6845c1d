import test from 'ava';
import pg from 'pg';
import { createDriver, freePort, InvalidConfigError, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { tempRoot, stopAndCheck, safeStop } from '../../support/datastore-harness.js';

const tmp = tempRoot('pg');
let driver: DatastoreDriver;
let port: number;

test.before(async (t) => {
  driver = createDriver('postgresql', { fast: true });
  port = await freePort();
  const t0 = Date.now();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  t.log(`postgresql init→healthy ${Date.now() - t0} ms`);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
});

async function asUser<T>(user: string, password: string, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: driver.connectionUri(user, password, database) });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

test.serial('version and health', async (t) => {
  t.regex(await driver.version(), /^\d+\.\d+/);
  t.deepEqual(await driver.health(), { ok: true });
});

test.serial('databases and users: the created user writes and reads over TCP with its password', async (t) => {
  await driver.ensureDatabases([{ name: 'app' }, { name: 'Weird Name', collation: 'C' }]);
  await driver.ensureDatabases([{ name: 'app' }]); // idempotent
  await driver.ensureUsers([{ name: 'appuser', password: "s3cr3t'\"x", databases: ['app'] }]);
  const rows = await asUser('appuser', "s3cr3t'\"x", 'app', async (c) => {
    await c.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
    await c.query('INSERT INTO items VALUES (1, $1)', ['hello']);
    return (await c.query('SELECT label FROM items')).rows;
  });
  t.deepEqual(rows, [{ label: 'hello' }]);
  await t.throwsAsync(asUser('appuser', 'wrong', 'app', async () => undefined), { message: /password authentication failed/ });
  // password change via ensureUsers
  await driver.ensureUsers([{ name: 'appuser', password: 'n3w', databases: ['app'] }]);
  t.is(await asUser('appuser', 'n3w', 'app', async (c) => (await c.query('SELECT count(*)::int AS n FROM items')).rows[0].n), 1);
});

test.serial('observe reports databases, users and settings', async (t) => {
  const o = await driver.observe();
  t.true(o.databases.includes('app'));
  t.true(o.databases.includes('Weird Name'));
  t.deepEqual(o.users, ['appuser']);
  t.is(o.config.port, String(port));
  t.is(o.config.DateStyle, 'ISO, MDY');
});

test.serial('a user who does not own a database cannot drop it, even with all privileges on it', async (t) => {
  await driver.ensureDatabases([{ name: 'doomed' }]);
  await driver.ensureUsers([{ name: 'other', password: 'x', databases: ['doomed'] }]);
  const c = new pg.Client({ connectionString: driver.connectionUri('other', 'x', 'doomed') });
  await c.connect();
  try { await t.throwsAsync(c.query('DROP DATABASE doomed'), { message: /must be owner/ }); } finally { await c.end(); }
  const o = await driver.observe();
  t.true(o.databases.includes('doomed'));
  t.deepEqual(o.users, ['appuser', 'other']);
});

test.serial('a new database admits only the users granted it (CONNECT revoked from PUBLIC)', async (t) => {
  await driver.ensureDatabases([{ name: 'private' }]);
  await t.throwsAsync(asUser('other', 'x', 'private', async () => undefined), { message: /permission denied for database|does not have CONNECT privilege/ });
  await driver.ensureUsers([{ name: 'other', password: 'x', databases: ['private'] }]);
  t.is(await asUser('other', 'x', 'private', async (c) => (await c.query('SELECT current_database() AS d')).rows[0].d), 'private');
});

test.serial('revokeGrants takes a user\'s rights on a database away; absent users and databases are skipped', async (t) => {
  await driver.revokeGrants({ name: 'other' }, ['private', 'no_such_db']);
  await t.throwsAsync(asUser('other', 'x', 'private', async () => undefined), { message: /permission denied for database|does not have CONNECT privilege/ });
  await driver.revokeGrants({ name: 'no_such_user' }, ['private']);
});

test.serial('dropUsers keeps the objects a dropped user owned (reassigned) and ends its sessions', async (t) => {
  await driver.ensureUsers([{ name: 'leaver', password: 'pw', databases: ['app'] }]);
  await asUser('leaver', 'pw', 'app', (c) => c.query('CREATE TABLE leaver_items AS SELECT 1 AS id'));
  const session = new pg.Client({ connectionString: driver.connectionUri('leaver', 'pw', 'app') });
  session.on('error', () => undefined);
  await session.connect();
  try {
    await driver.dropUsers([{ name: 'leaver' }, { name: 'never_existed' }, { name: 'postgres' }]);
    await t.throwsAsync(session.query('SELECT 1'));
  } finally { await session.end().catch(() => undefined); }
  t.false((await driver.observe()).users.includes('leaver'));
  await t.throwsAsync(asUser('leaver', 'pw', 'app', async () => undefined), { message: /password authentication failed/ });
});

test.serial('dropDatabases drops even with open sessions, skips absent and system databases', async (t) => {
  await driver.ensureDatabases([{ name: 'busy' }]);
  await driver.ensureUsers([{ name: 'other', password: 'x', databases: ['busy'] }]);
  const session = new pg.Client({ connectionString: driver.connectionUri('other', 'x', 'busy') });
  session.on('error', () => undefined);
  await session.connect();
  try {
    await driver.dropDatabases(['busy', 'doomed', 'not_there', 'postgres', 'template1']);
  } finally { await session.end().catch(() => undefined); }
  const o = await driver.observe();
  t.false(o.databases.includes('busy'));
  t.false(o.databases.includes('doomed'));
  t.true(o.databases.includes('app'));
  t.is(await asUser('appuser', 'n3w', 'app', async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname IN ('postgres', 'template1')`)).rows[0].n), 2);
  // the reassigned table survived its owner
  t.is(await asUser('appuser', 'n3w', 'app', async (c) => (await c.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'leaver_items'`)).rows[0].tableowner), 'postgres');
  await driver.dropUsers([{ name: 'other' }]);
  t.deepEqual((await driver.observe()).users, ['appuser']);
});

test.serial('validateConfig matches names case-insensitively (DateStyle)', async (t) => {
  t.deepEqual(await driver.validateConfig({ DateStyle: 'ISO, DMY', timezone: 'UTC' }), { errors: [], restartRequired: [] });
});

test.serial('validateConfig uses pg_settings: unknown, out of range with bounds, restart-required', async (t) => {
  const r = await driver.validateConfig({ no_such_setting: 1, max_connections: 0, work_mem: 'abc', shared_buffers: 2048, statement_timeout: 1000 });
  t.true(r.errors.some((e) => /no_such_setting: unknown setting/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /max_connections: 0 is out of range \[1, 262143\]/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /work_mem: expected an integer/.test(e)), r.errors.join('\n'));
  t.deepEqual(r.restartRequired, ['shared_buffers']);
  const ok = await driver.validateConfig({ statement_timeout: 1000, log_min_messages: 'warning', synchronous_commit: 'bogus' });
  t.is(ok.errors.length, 1);
  t.regex(ok.errors[0]!, /synchronous_commit: 'bogus' is not one of .*local/);
  await t.throwsAsync(driver.applyConfig({ max_connections: 0 }), { instanceOf: InvalidConfigError });
});

test.serial('applyConfig changes a live setting without restart', async (t) => {
  const pidBefore = driver.pid();
  t.deepEqual(await driver.applyConfig({ statement_timeout: 4321 }), { restarted: false });
  const v = await asUser('appuser', 'n3w', 'app', async (c) => (await c.query('SHOW statement_timeout')).rows[0].statement_timeout);
  t.is(v, '4321ms');
  t.is(driver.pid(), pidBefore);
});

test.serial('applyConfig restarts for a postmaster setting', async (t) => {
  t.deepEqual(await driver.applyConfig({ max_connections: 37 }), { restarted: true });
  const v = await asUser('appuser', 'n3w', 'app', async (c) => (await c.query('SHOW max_connections')).rows[0].max_connections);
  t.is(v, '37');
});

test.serial('stop frees the port and leaves no process; data and settings survive a restart', async (t) => {
  await stopAndCheck(t, driver, port);
  t.false((await driver.health()).ok);
  await driver.init(tmp.dataDir); // idempotent: keeps the data
  await driver.start({ dataDir: tmp.dataDir, port });
  const rows = await asUser('appuser', 'n3w', 'app', async (c) => (await c.query('SELECT label FROM items')).rows);
  t.deepEqual(rows, [{ label: 'hello' }]);
  t.is((await driver.observe()).config.statement_timeout, '4321');
});
