/**
 * MariaDB as the agent starts it has no passwordless account: root (every host) and anonymous
 * logins are refused over TCP and over the private socket, with the stock `mysql` client; the
 * agent uses its own dbstack_admin account; application users still log in.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { createDriver, freePort, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { MARIADB_ADMIN } from '../../../guest/datastores/mariadb.js';
import { tempRoot, safeStop } from '../../support/datastore-harness.js';

const tmp = tempRoot('mariadb-trust');
let driver: DatastoreDriver;
let port: number;

test.before(async () => {
  driver = createDriver('mariadb', { fast: true });
  port = await freePort();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  await driver.ensureDatabases([{ name: 'app' }]);
  await driver.ensureUsers([{ name: 'appuser', password: 'app-pw-1', databases: ['app'] }]);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
});

/** The server's unix socket, read from its command line (the agent's private 0700 dir). */
function socketPath(): string {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try { args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (args.includes(`--datadir=${tmp.dataDir}`)) return args.find((a) => a.startsWith('--socket='))!.slice('--socket='.length);
  }
  throw new Error('no mariadbd runs on the data dir');
}

/** The stock client, as any local OS user would run it. */
function mysqlCli(...args: string[]) {
  const r = spawnSync('mysql', ['--no-defaults', '--connect-timeout=10', ...args, '-N', '-e', 'select 1'], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const tcp = () => ['-h127.0.0.1', `-P${port}`];
const socket = () => [`--socket=${socketPath()}`];
const refusals: Array<[string, () => string[]]> = [
  ['root without a password over TCP (root@127.0.0.1)', () => [...tcp(), '-uroot']],
  ['root with an empty password over TCP', () => [...tcp(), '-uroot', '--password=']],
  ['an unknown user without a password over TCP (anonymous account)', () => [...tcp(), '-unosuchuser']],
  ['root without a password over the socket (root@localhost)', () => [...socket(), '-uroot']],
  ['an unknown user over the socket (anonymous @localhost)', () => [...socket(), '-unosuchuser']],
];

for (const [what, args] of refusals) {
  test.serial(`refused: ${what}`, (t) => {
    const r = mysqlCli(...args());
    t.not(r.code, 0, r.out);
    t.regex(r.out, /Access denied/);
  });
}

test.serial('no account is left without a password: no root or anonymous account at all, every other one locked or with a password', async (t) => {
  const c = await mysql.createConnection({ socketPath: socketPath(), user: MARIADB_ADMIN.user, password: readFileSync(`${tmp.dataDir}/${MARIADB_ADMIN.passwordFile}`, 'utf8').trim() });
  try {
    const [rootish] = await c.query<mysql.RowDataPacket[]>(`SELECT CONCAT(User, '@', Host) AS a FROM mysql.global_priv WHERE User IN ('root', '')`);
    t.deepEqual(rootish.map((r) => r.a), [], 'root@localhost, root@127.0.0.1, root@::1, root@<hostname> and anonymous accounts are gone');
    const [all] = await c.query<mysql.RowDataPacket[]>(`SELECT CONCAT(User, '@', Host) AS a, Priv FROM mysql.global_priv`);
    const open = all.filter((r) => {
      const p = (typeof r.Priv === "string" ? JSON.parse(r.Priv) : r.Priv) as { account_locked?: boolean; is_role?: boolean; authentication_string?: string };
      return !p.account_locked && !p.is_role && !p.authentication_string;
    });
    t.deepEqual(open.map((r) => r.a), [], `accounts: ${all.map((r) => r.a).join(', ')}`);
    const [admin] = await c.query<mysql.RowDataPacket[]>(`SELECT Host FROM mysql.user WHERE User = ?`, [MARIADB_ADMIN.user]);
    t.deepEqual(admin.map((r) => r.Host), ['localhost'], 'the agent account is reachable over the socket only');
  } finally { await c.end(); }
});

test.serial('the application user logs in with its password; the admin account is refused over TCP', (t) => {
  const app = mysqlCli('-h127.0.0.1', `-P${port}`, '-uappuser', '-papp-pw-1', 'app');
  t.is(app.code, 0, app.out);
  t.is(app.out.trim(), '1');
  t.regex(mysqlCli('-h127.0.0.1', `-P${port}`, '-uappuser', '-pwrong', 'app').out, /Access denied/);
  const pw = readFileSync(`${tmp.dataDir}/${MARIADB_ADMIN.passwordFile}`, 'utf8').trim();
  t.regex(mysqlCli('-h127.0.0.1', `-P${port}`, `-u${MARIADB_ADMIN.user}`, `-p${pw}`).out, /Access denied/);
});

test.serial('empty passwords and the reserved names are refused before anything reaches the engine', async (t) => {
  await t.throwsAsync(driver.ensureUsers([{ name: 'blank', password: '' }]), { message: /mariadb user 'blank': an empty password is refused/ });
  await t.throwsAsync(driver.ensureUsers([{ name: MARIADB_ADMIN.user, password: 'x', host: 'localhost' }]), { message: /reserved/ });
  t.deepEqual((await driver.observe()).users, ['appuser@%']);
});

test.serial('a restart keeps it so (the securing ran once, its file is gone)', async (t) => {
  await driver.stop();
  await driver.start({ dataDir: tmp.dataDir, port });
  t.false(readdirSync(tmp.dataDir).includes('dbstack-secure.sql'));
  t.regex(mysqlCli('-h127.0.0.1', `-P${port}`, '-uroot').out, /Access denied/);
  t.is(mysqlCli('-h127.0.0.1', `-P${port}`, '-uappuser', '-papp-pw-1', 'app').code, 0);
});

test.serial('a data dir of an earlier version (root@localhost with dbstack-root.pw, passwordless root@127.0.0.1, anonymous) is secured at its next start', async (t) => {
  const pw = readFileSync(`${tmp.dataDir}/${MARIADB_ADMIN.passwordFile}`, 'utf8').trim();
  const c = await mysql.createConnection({ socketPath: socketPath(), user: MARIADB_ADMIN.user, password: pw });
  try {
    // what mariadb-install-db and the earlier first start left behind
    await c.query(`CREATE USER 'root'@'localhost' IDENTIFIED BY 'old-root-pw'`);
    await c.query(`GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION`);
    await c.query(`CREATE USER 'root'@'127.0.0.1'`);
    await c.query(`GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`);
    await c.query(`CREATE USER ''@'localhost'`);
  } finally { await c.end(); }
  t.is(mysqlCli('-h127.0.0.1', `-P${port}`, '-uroot').code, 0, 'the hole is open before');
  await driver.stop();
  writeFileSync(`${tmp.dataDir}/dbstack-root.pw`, 'old-root-pw', { mode: 0o600 });
  rmSync(`${tmp.dataDir}/${MARIADB_ADMIN.passwordFile}`);
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  t.regex(mysqlCli('-h127.0.0.1', `-P${port}`, '-uroot').out, /Access denied/);
  t.regex(mysqlCli(`--socket=${socketPath()}`, '-uroot', '-pold-root-pw').out, /Access denied/);
  t.regex(mysqlCli(`--socket=${socketPath()}`, '-unosuchuser').out, /Access denied/);
  t.false(existsSync(`${tmp.dataDir}/dbstack-root.pw`));
  t.not(readFileSync(`${tmp.dataDir}/${MARIADB_ADMIN.passwordFile}`, 'utf8').trim(), pw, 'a new admin password');
  t.deepEqual(await driver.health(), { ok: true });
  t.is(mysqlCli('-h127.0.0.1', `-P${port}`, '-uappuser', '-papp-pw-1', 'app').code, 0);
});
