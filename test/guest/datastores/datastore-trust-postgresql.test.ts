/**
 * PostgreSQL never receives a password in clear: roles get SCRAM-SHA-256 verifiers computed by
 * the agent, so even a failing CREATE/ALTER ROLE (logged with its statement) leaves no password
 * in the server log or anywhere in the data dir. Application users reach only their databases.
 */
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createDriver, freePort, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { scramSha256Verifier } from '../../../guest/datastores/scram.js';
import { tempRoot, safeStop } from '../../support/datastore-harness.js';
import { postgresAdmin } from '../../support/engine-admin.js';

const tmp = tempRoot('pg-trust');
let driver: DatastoreDriver;
let port: number;
const FIRST = 'first-Secret-4711';
const CHANGED = 'changed-Secret-4712';
const NEWCOMER = 'newcomer-Secret-4713';
const RESERVED = 'reserved-Secret-4714';

test.before(async () => {
  driver = createDriver('postgresql', { fast: true });
  port = await freePort();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  await driver.ensureDatabases([{ name: 'app' }]);
  await driver.ensureUsers([{ name: 'appuser', password: FIRST, databases: ['app'] }]);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
});

async function login(user: string, password: string, database: string): Promise<number> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, password, database, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  await c.connect();
  try { return (await c.query('SELECT 1 AS one')).rows[0].one as number; } finally { await c.end(); }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

test.serial('the application user logs in with its password (SCRAM) and its stored secret is a verifier', async (t) => {
  t.is(await login('appuser', FIRST, 'app'), 1);
  await t.throwsAsync(login('appuser', 'wrong', 'app'), { message: /password authentication failed/ });
});

test.serial('failing CREATE ROLE and ALTER ROLE leave no clear password in the server log or the data dir', async (t) => {
  // every new session read-only: the agent's CREATE/ALTER ROLE fail (and are logged with their statement)
  await postgresAdmin(tmp.dataDir, 'ALTER ROLE postgres SET default_transaction_read_only = on');
  try {
    await t.throwsAsync(driver.ensureUsers([{ name: 'appuser', password: CHANGED, databases: ['app'] }]), { message: /read-only transaction/ });
    await t.throwsAsync(driver.ensureUsers([{ name: 'newcomer', password: NEWCOMER }]), { message: /read-only transaction/ });
  } finally {
    await postgresAdmin(tmp.dataDir, 'BEGIN READ WRITE; ALTER ROLE postgres RESET default_transaction_read_only; COMMIT');
  }
  await t.throwsAsync(driver.ensureUsers([{ name: 'pg_reserved', password: RESERVED }]), { message: /reserved/ });
  await postgresAdmin(tmp.dataDir, 'CHECKPOINT'); // WAL and catalog pages on disk
  const log = readFileSync(join(tmp.dataDir, 'dbstack-server.log'), 'utf8');
  t.regex(log, /STATEMENT:\s+ALTER ROLE "appuser" WITH LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/, 'the failing statement is logged, with a verifier');
  t.regex(log, /STATEMENT:\s+CREATE ROLE "newcomer" WITH LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
  t.regex(log, /STATEMENT:\s+CREATE ROLE "pg_reserved"/);
  const secrets = [FIRST, CHANGED, NEWCOMER, RESERVED];
  const files = filesUnder(tmp.dataDir);
  t.true(files.length > 100, `the data dir was walked (${files.length} files)`);
  for (const f of files) {
    if (statSync(f).size > 512 * 1024 * 1024) continue;
    const bytes = readFileSync(f);
    for (const s of secrets) t.is(bytes.indexOf(s), -1, `${f} holds the clear password ${s}`);
  }
  t.is(await login('appuser', FIRST, 'app'), 1, 'the failed change left the old password');
});

test.serial('application users cannot connect to postgres or template1', async (t) => {
  for (const db of ['postgres', 'template1']) {
    await t.throwsAsync(login('appuser', FIRST, db), { message: /permission denied for database|not have CONNECT privilege/ }, db);
  }
});

test.serial('an empty password is refused before anything reaches the engine', async (t) => {
  await t.throwsAsync(driver.ensureUsers([{ name: 'blank', password: '' }]), { message: /postgresql user 'blank': an empty password is refused/ });
  t.false((await driver.observe()).users.includes('blank'));
});

test.serial('verifiers are salted: the same password gives a different verifier each time, and both log in', async (t) => {
  t.not(scramSha256Verifier(FIRST), scramSha256Verifier(FIRST));
  await driver.ensureUsers([{ name: 'appuser', password: CHANGED, databases: ['app'] }]);
  t.is(await login('appuser', CHANGED, 'app'), 1);
});
