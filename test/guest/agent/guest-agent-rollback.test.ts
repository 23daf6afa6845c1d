/**
 * A generation applies whole or not at all, on real engines (in-process agents, embedded
 * broker): what the engine would refuse is refused before anything changes (a reserved role
 * name, an unknown collation, a database index Redis does not have); a step that fails after
 * others succeeded undoes them in reverse (a changed password is put back, a created database
 * dropped, a setting restored); the failed status says what the engine holds and the engine
 * stays supervised (kill -9 → restarted); the previous spec applies again cleanly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createDriver, freePort } from '../../../guest/datastores/driver.js';
import { ConvergeFailedError } from '../../../guest/protocol/conductor.js';
import type { DesiredSpec } from '../../../guest/protocol/messages.js';
import { safeStop, tempRoot } from '../../support/datastore-harness.js';
import { waitFor } from '../../support/guest-protocol-harness.js';
import { agentHarness, ENGINE_START_MS, serverArg, type AgentUnderTest } from '../../support/agent-harness.js';

const { start } = agentHarness(test, 'undo', 3);

/** The generation's failure (the status it ended with). */
async function failure(a: AgentUnderTest, spec: DesiredSpec) {
  try {
    await a.apply(spec);
  } catch (e) {
    if (e instanceof ConvergeFailedError) return e.status;
    throw e;
  }
  throw new Error('the generation did not fail');
}

async function canLogin(fn: () => Promise<unknown>): Promise<boolean> {
  try { await fn(); return true; } catch { return false; }
}

/** kill -9 the engine; the agent restarts it although the last generation failed. */
async function killAndWaitRestart(a: AgentUnderTest, pid: number) {
  const k = a.seen.length;
  process.kill(pid, 'SIGKILL');
  await waitFor(() => a.seen.slice(k).some((s) => s.phase === 'starting'), 20_000, 'a restart after kill -9');
  await waitFor(() => { const s = a.seen.at(-1); return s?.health?.ok === true && a.seen.slice(k).some((x) => x.phase === 'starting'); }, ENGINE_START_MS, 'the engine answering again');
  return a.seen.at(-1)!;
}

test.serial('postgresql: reserved name refused up front; a later failure puts the password, database and setting back; still supervised', async (t) => {
  const a = await start(0, 'postgresql', 'pg');
  const login = (password: string) => canLogin(async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: a.port, user: 'app', password, database: 'appdb', connectionTimeoutMillis: 10_000 });
    c.on('error', () => undefined);
    await c.connect();
    await c.end();
  });
  const admin = async <T>(sql: string) => {
    const c = new pg.Client({ host: serverArg(a.tmp.dataDir, '-k'), port: a.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    try { return (await c.query(sql)).rows as T[]; } finally { await c.end(); }
  };
  try {
    const good = { datastore: 'postgresql', databases: [{ name: 'appdb' }], users: [{ name: 'app', password: 'pw-old', databases: ['appdb'] }] };
    await a.apply(good);
    t.true(await login('pw-old'));

    // the repro: new password for app + a reserved role name → refused before anything changed
    const st = await failure(a, { ...good, users: [{ name: 'app', password: 'pw-new', databases: ['appdb'] }, { name: 'pg_bad', password: 'x' }] });
    t.regex(String(st.error), /user "pg_bad": role names beginning with pg_ are reserved/);
    t.true(await login('pw-old'), 'the old password still logs in');
    t.false(await login('pw-new'));

    // a failure the pre-flight cannot see (CREATE ROLE public): app's password, the new database
    // and the setting applied before it are undone
    const st2 = await failure(a, {
      ...good, config: { work_mem: '8MB' }, databases: [{ name: 'appdb' }, { name: 'second' }],
      users: [{ name: 'app', password: 'pw-new', databases: ['appdb'] }, { name: 'public', password: 'x' }],
    });
    t.regex(String(st2.error), /role name "public" is reserved; rolled back: user\(s\) app, public, database\(s\) second created, setting\(s\) work_mem/);
    t.true(await login('pw-old'), 'the password change was undone');
    t.false(await login('pw-new'));
    t.deepEqual(st2.databases, ['appdb'], 'the failed status says what the engine holds');
    t.deepEqual((await admin<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'work_mem'`))[0]!.setting, '4096');

    // a database with a collation the system does not have: nothing of the generation stays
    const st3 = await failure(a, { ...good, databases: [{ name: 'appdb' }, { name: 'third' }, { name: 'badcoll', collation: 'xx_NOPE.UTF-8' }] });
    t.regex(String(st3.error), /xx_NOPE/);
    t.deepEqual((await admin<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname IN ('third', 'badcoll')`)), []);

    // ERROR never stops supervision: kill -9 the server, it comes back, the failure is still said
    const pid = Number(readFileSync(join(a.tmp.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const back = await killAndWaitRestart(a, pid);
    t.is(back.phase, 'failed');
    t.regex(String(back.error), /xx_NOPE/);
    t.true(await login('pw-old'));

    // the previous spec applies again cleanly
    const again = await a.apply(good);
    t.is(again.phase, 'ready');
    t.is(again.error, undefined);
    t.deepEqual(again.databases, ['appdb']);
    await a.stop();
  } catch (e) {
    t.log(a.logs.join('\n'));
    throw e;
  }
});

test.serial('mariadb: unknown collation refused up front; a user the engine refuses after another changed puts the password back', async (t) => {
  const a = await start(1, 'mariadb', 'maria');
  const login = (password: string) => canLogin(async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: a.port, user: 'app', password, database: 'shop', connectTimeout: 10_000 });
    await c.end();
  });
  try {
    const good = { datastore: 'mariadb', databases: [{ name: 'shop' }], users: [{ name: 'app', password: 'pw-old', databases: ['shop'] }] };
    await a.apply(good);
    t.true(await login('pw-old'));

    const st = await failure(a, { ...good, databases: [{ name: 'shop' }, { name: 'other', collation: 'bogus_general_ci' }], users: [{ name: 'app', password: 'pw-new', databases: ['shop'] }] });
    t.regex(String(st.error), /database "other": unknown collation "bogus_general_ci"/);
    t.deepEqual(st.databases, ['shop']);
    t.true(await login('pw-old'));

    // a user name longer than MariaDB allows fails inside ensureUsers, after app's password changed
    const st2 = await failure(a, { ...good, databases: [{ name: 'shop' }, { name: 'extra' }], users: [{ name: 'app', password: 'pw-new', databases: ['shop', 'extra'] }, { name: 'u'.repeat(200), password: 'x' }] });
    t.regex(String(st2.error), /rolled back: user\(s\) app, u+, database\(s\) extra created/);
    t.true(await login('pw-old'), 'the password change was undone');
    t.false(await login('pw-new'));
    t.deepEqual(st2.databases, ['shop']);

    const pid = Number(readFileSync(join(a.tmp.dataDir, 'mariadbd.pid'), 'utf8').trim());
    const back = await killAndWaitRestart(a, pid);
    t.is(back.phase, 'failed');
    t.is((await a.apply(good)).phase, 'ready');
    t.true(await login('pw-old'));
    await a.stop();
  } catch (e) {
    t.log(a.logs.join('\n'));
    throw e;
  }
});

test.serial('redis: a database index it does not have is refused up front; still supervised after the failure', async (t) => {
  const a = await start(2, 'redis', 'redis');
  const login = (password: string) => canLogin(async () => {
    const r = new Redis({ host: '127.0.0.1', port: a.port, username: 'app', password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try { await r.connect(); await r.ping(); } finally { r.disconnect(); }
  });
  try {
    const good = { datastore: 'redis', databases: [{ name: '0' }], users: [{ name: 'app', password: 'pw-old' }] };
    await a.apply(good);
    t.true(await login('pw-old'));
    const st = await failure(a, { ...good, databases: [{ name: '0' }, { name: '99' }], users: [{ name: 'app', password: 'pw-new' }, { name: 'more', password: 'x' }] });
    t.regex(String(st.error), /redis has no named databases, only indexes 0\.\.15: 99/);
    t.true(await login('pw-old'));
    t.false(await login('pw-new'));
    t.deepEqual(st.users, ['app'], 'user "more" was never created');

    const pid = Number(readFileSync(join(a.tmp.dataDir, 'redis.pid'), 'utf8').trim());
    const back = await killAndWaitRestart(a, pid);
    t.is(back.phase, 'failed');
    t.is((await a.apply(good)).phase, 'ready');
    t.true(await login('pw-old'));
    await a.stop();
  } catch (e) {
    t.log(a.logs.join('\n'));
    throw e;
  }
});

test.serial('redis: snapshotUsers/restoreUsers put a changed ACL user back (what the undo of a user step uses)', async (t) => {
  const tmp = tempRoot('undo-redis-snap');
  const driver = createDriver('redis', { fast: true });
  t.teardown(async () => { await safeStop(driver); tmp.remove(); });
  const port = await freePort();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port, host: '127.0.0.1' });
  const login = (password: string) => canLogin(async () => {
    const r = new Redis({ host: '127.0.0.1', port, username: 'app', password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try { await r.connect(); await r.ping(); } finally { r.disconnect(); }
  });
  await driver.ensureUsers([{ name: 'app', password: 'pw-old' }]);
  const snap = await driver.snapshotUsers([{ name: 'app' }, { name: 'absent' }]);
  t.is(snap.rows.length, 1, 'only existing users are in the snapshot');
  t.false(JSON.stringify(snap).includes('pw-old'), 'the snapshot holds hashes, never the password');
  await driver.ensureUsers([{ name: 'app', password: 'pw-new' }]);
  t.true(await login('pw-new'));
  await driver.restoreUsers(snap);
  t.true(await login('pw-old'));
  t.false(await login('pw-new'));
});
