/**
 * The agent as a declarative controller, end to end (embedded broker, real engines, in-process
 * runAgent with a short heartbeat): removal of what a spec no longer declares, drift reported
 * but never repaired by a heartbeat, supervision of a killed engine, and the datastore
 * description. The test reaches each engine as its admin the way the agent does (private
 * socket found on the server's command line), never through the machine's shared servers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createDriver, type DatastoreType } from '../../../guest/datastores/driver.js';
import { pidAlive } from '../../../guest/datastores/process.js';
import { MARIADB_ADMIN } from '../../../guest/datastores/mariadb.js';
import { processesMentioning } from '../../support/datastore-harness.js';
import { waitFor } from '../../support/guest-protocol-harness.js';
import { agentHarness, ENGINE_START_MS, serverArg } from '../../support/agent-harness.js';

const { start } = agentHarness(test, 'decl', 2);
const startAgent = (index: number, datastore: DatastoreType, engine: string) => start(index, datastore, engine);

async function pgAs<T>(opts: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionTimeoutMillis: 10_000, ...opts });
  c.on('error', () => undefined);
  await c.connect();
  try { return await fn(c); } finally { await c.end().catch(() => undefined); }
}

const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

test.serial('postgresql: removals, drift without repair, engine supervision', async (t) => {
  const a = await startAgent(0, 'postgresql', 'pg');
  const admin = <T>(database: string, fn: (c: pg.Client) => Promise<T>) =>
    pgAs({ host: serverArg(a.tmp.dataDir, '-k'), port: a.port, user: 'postgres', database }, fn);
  const as = <T>(user: string, password: string, database: string, fn: (c: pg.Client) => Promise<T>) =>
    pgAs({ host: '127.0.0.1', port: a.port, user, password, database }, fn);
  try {
    // gen 1: entries carry control-plane annotations (`owner`), which the agent ignores
    const st1 = await a.apply({
      datastore: 'postgresql', owner: 'stack.main',
      databases: [{ name: 'appdb', owner: 'database.appdb' }, { name: 'keepdb' }, { name: 'olddb' }],
      users: [
        { name: 'app', password: 'pw-app', databases: ['appdb', 'keepdb'], owner: 'database_user.app' },
        { name: 'gone', password: 'pw-gone', databases: ['appdb', 'olddb'] },
      ],
    });
    t.deepEqual(st1.databases, ['appdb', 'keepdb', 'olddb']);
    t.deepEqual(st1.users, ['app', 'gone']);
    t.deepEqual(st1.datastore, { type: 'postgresql', engine: 'postgresql', version: await createDriver('postgresql').version(), port: a.port });

    await admin('postgres', async (c) => { await c.query('CREATE DATABASE manual'); await c.query(`CREATE ROLE manualrole LOGIN PASSWORD 'x'`); });
    await as('gone', 'pw-gone', 'appdb', (c) => c.query('CREATE TABLE gone_items AS SELECT 1 AS id'));
    await as('app', 'pw-app', 'keepdb', (c) => c.query(`CREATE TABLE items AS SELECT 'kept' AS label`));
    const held = new pg.Client({ host: '127.0.0.1', port: a.port, user: 'gone', password: 'pw-gone', database: 'olddb' });
    held.on('error', () => undefined);
    await held.connect();

    // gen 2: olddb and gone removed, app loses keepdb; what was made by hand stays
    const spec2 = { datastore: 'postgresql', databases: [{ name: 'appdb' }, { name: 'keepdb' }], users: [{ name: 'app', password: 'pw-app', databases: ['appdb'] }] };
    const st2 = await a.apply(spec2);
    t.deepEqual(st2.databases, ['appdb', 'keepdb', 'manual']);
    t.deepEqual(st2.users, ['app', 'manualrole']);
    await t.throwsAsync(held.query('SELECT 1'), undefined, 'the dropped user\'s session was ended');
    await held.end().catch(() => undefined);
    await t.throwsAsync(as('app', 'pw-app', 'keepdb', async () => undefined), { message: /permission denied for database|CONNECT privilege/ });
    t.is(await admin('appdb', async (c) => (await c.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'gone_items'`)).rows[0]?.tableowner), 'postgres');
    const state = JSON.parse(readFileSync(a.stateFile, 'utf8'));
    t.deepEqual(state.managed, { databases: ['appdb', 'keepdb'], users: [{ name: 'app', databases: ['appdb'] }], config: [] });

    // drift: a database dropped behind the agent's back leaves the status and is not re-created
    await admin('postgres', (c) => c.query('DROP DATABASE appdb WITH (FORCE)'));
    t.deepEqual((await a.observeNow()).databases, ['keepdb', 'manual'], 'the observe RPC sees it at once');
    const n = a.seen.length;
    await waitFor(() => a.seen.slice(n).some((s) => s.phase === 'ready' && !((s.databases ?? []) as string[]).includes('appdb')), 10_000, 'status without appdb');
    const m = a.seen.length;
    await waitFor(() => a.seen.slice(m).filter((s) => s.phase === 'ready').length >= 4, 10_000, 'four more heartbeats');
    t.true(a.seen.slice(m).every((s) => !((s.databases ?? []) as string[]).includes('appdb')), 'heartbeats never re-create appdb');
    t.is(await admin('postgres', async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname = 'appdb'`)).rows[0].n), 0);
    const st3 = await a.apply(spec2); // a new generation converges again
    t.deepEqual(st3.databases, ['appdb', 'keepdb', 'manual']);

    // supervision: kill -9 the server; the heartbeat reports it down, restarts it, data intact
    const pid1 = postmasterPid(a.tmp.dataDir);
    const k = a.seen.length;
    process.kill(pid1, 'SIGKILL');
    await waitFor(() => a.seen.slice(k).some((s) => s.health?.ok === false), 10_000, 'status with health.ok false');
    const down = a.seen.slice(k).find((s) => s.health?.ok === false)!;
    t.is(down.phase, 'starting');
    t.regex(String(down.health!.detail), /postgresql server process is gone/);
    await waitFor(() => { const s = a.seen.at(-1); return s?.phase === 'ready' && s.health?.ok === true; }, ENGINE_START_MS, 'ready again');
    t.log(a.logs.filter((l) => /restart|process is gone|answers again/.test(l)).join('\n'));
    const pid2 = postmasterPid(a.tmp.dataDir);
    t.not(pid2, pid1);
    t.true(pidAlive(pid2));
    t.is(a.seen.at(-1)!.observedGeneration, 3);
    t.deepEqual(a.seen.at(-1)!.databases, ['appdb', 'keepdb', 'manual']);
    t.is(await admin('keepdb', async (c) => (await c.query('SELECT label FROM items')).rows[0].label), 'kept');
    t.is(await as('app', 'pw-app', 'appdb', async (c) => (await c.query('SELECT 1 AS one')).rows[0].one), 1);
    t.true(a.logs.some((l) => /restarting it/.test(l)) && a.logs.some((l) => /restarted on port/.test(l)), a.logs.join('\n'));

    await a.stop();
    t.deepEqual(processesMentioning(a.tmp.dataDir), []);
  } catch (e) {
    t.log(a.logs.join('\n'));
    throw e;
  }
});

test.serial('mysql: served by MariaDB (said in status.datastore); removed database and user dropped', async (t) => {
  const a = await startAgent(1, 'mysql', 'mysql');
  const admin = async <T>(fn: (c: mysql.Connection) => Promise<T>) => {
    const c = await mysql.createConnection({
      socketPath: serverArg(a.tmp.dataDir, '--socket'), user: MARIADB_ADMIN.user, password: readFileSync(join(a.tmp.dataDir, MARIADB_ADMIN.passwordFile), 'utf8').trim(),
    });
    try { return await fn(c); } finally { await c.end(); }
  };
  try {
    const st1 = await a.apply({
      datastore: 'mysql', databases: [{ name: 'shop' }, { name: 'old' }],
      users: [{ name: 'u', password: 'pw-u', databases: ['shop', 'old'] }, { name: 'tmp', password: 'pw-t', host: 'localhost' }],
    });
    t.deepEqual(st1.datastore, {
      type: 'mysql', engine: 'mariadb', version: await createDriver('mysql').version(), port: a.port,
      note: 'mysql is served by MariaDB (no MySQL server on this machine)',
    });
    t.regex(String(st1.datastore!.version), /^10\.\d+\.\d+$/);
    t.deepEqual(st1.users, ['tmp', 'u'], 'user names, as the spec has them (accounts are name@host)');
    await admin((c) => c.query('CREATE DATABASE by_hand'));
    const st2 = await a.apply({ datastore: 'mysql', databases: [{ name: 'shop' }], users: [{ name: 'u', password: 'pw-u', databases: ['shop'] }] });
    t.deepEqual(st2.databases, ['by_hand', 'shop']);
    t.deepEqual(st2.users, ['u']);
    const [grants] = await admin((c) => c.query<mysql.RowDataPacket[]>(`SELECT Db FROM mysql.db WHERE User = 'u' ORDER BY Db`));
    t.deepEqual(grants.map((r) => r.Db), ['shop'], 'the grant on the removed database was revoked');

    // supervision after kill -9 (InnoDB crash recovery on restart)
    const pidFile = join(a.tmp.dataDir, 'mariadbd.pid');
    const pid1 = Number(readFileSync(pidFile, 'utf8').trim());
    const k = a.seen.length;
    process.kill(pid1, 'SIGKILL');
    await waitFor(() => a.seen.slice(k).some((s) => s.health?.ok === false), 10_000, 'status with health.ok false');
    await waitFor(() => { const s = a.seen.at(-1); return s?.phase === 'ready' && s.health?.ok === true; }, ENGINE_START_MS, 'ready again');
    t.not(Number(readFileSync(pidFile, 'utf8').trim()), pid1);
    t.deepEqual(a.seen.at(-1)!.databases, ['by_hand', 'shop']);
    await a.stop();
  } catch (e) {
    t.log(a.logs.join('\n'));
    throw e;
  }
});
