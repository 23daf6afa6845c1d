import test from 'ava';
import pg from 'pg';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createDriver, freePort, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { findPostgresBinaries, embeddedPackageName } from '../../../guest/datastores/postgresql-binaries.js';
import { isRoot } from '../../../guest/datastores/run-as.js';
import { tempRoot, stopAndCheck, safeStop } from '../../support/datastore-harness.js';

/**
 * The PostgreSQL driver on npm's embedded binaries (optional dependency). This test must FAIL,
 * not skip, when the package is missing: it is the proof that a machine with only Node and npm
 * can run PostgreSQL.
 */
const PKG = embeddedPackageName();

function embeddedRoot(): string {
  const req = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = req.resolve(PKG); // exports "./dist/index.js"
  } catch (e) {
    throw new Error(`optional dependency ${PKG} is not installed (npm install must not use --omit=optional): ${(e as Error).message}`);
  }
  return dirname(dirname(entry));
}

const tmp = tempRoot('pg-embedded');
const savedEnv = { DBSTACK_POSTGRES_BIN_DIR: process.env.DBSTACK_POSTGRES_BIN_DIR, DBSTACK_PG_BINDIR: process.env.DBSTACK_PG_BINDIR };
let root: string;
let binDir: string;
let driver: DatastoreDriver;
let port: number;

function restoreEnv(): void {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test.before(async (t) => {
  root = embeddedRoot();
  binDir = join(root, 'native', 'bin');
  for (const b of ['initdb', 'postgres', 'pg_ctl']) {
    if (!existsSync(join(binDir, b))) throw new Error(`${PKG} is installed at ${root} but ${b} is missing from ${binDir}`);
  }
  delete process.env.DBSTACK_PG_BINDIR;
  process.env.DBSTACK_POSTGRES_BIN_DIR = binDir;
  driver = createDriver('postgresql', { fast: true });
  port = await freePort();
  const t0 = Date.now();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  t.log(`embedded postgresql (${binDir}) init→healthy ${Date.now() - t0} ms`);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
  restoreEnv();
});

test.serial('findPostgresBinaries reports the embedded dir as embedded', (t) => {
  const found = findPostgresBinaries();
  t.is(found.binDir, binDir);
  t.is(found.source, 'embedded');
  const pkgVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  t.is(found.version, /^\d+\.\d+/.exec(pkgVersion)![0]);
});

test.serial('findPostgresBinaries picks the system PostgreSQL by default on this machine', (t) => {
  delete process.env.DBSTACK_POSTGRES_BIN_DIR;
  try {
    const found = findPostgresBinaries();
    t.is(found.source, 'system');
    t.regex(found.binDir, /^\/usr\/lib\/postgresql\/\d+\/bin$/);
    t.is(found.binDir, `/usr/lib/postgresql/${found.version}/bin`);
  } finally {
    process.env.DBSTACK_POSTGRES_BIN_DIR = binDir;
  }
});

test.serial('the running server is the embedded binary, as the engine user', (t) => {
  const pid = driver.pid();
  t.truthy(pid);
  const exe = readlinkSync(`/proc/${pid}/exe`);
  t.true(exe.startsWith(realpathSync(root) + sep), `server executable ${exe} is not inside ${root}`);
  if (isRoot()) {
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    t.not(uid, 0, 'postgres must not run as root');
  }
});

test.serial('version comes from the embedded package', async (t) => {
  const pkgVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  t.is(await driver.version(), /^\d+\.\d+/.exec(pkgVersion)![0]);
});

test.serial('create a database and a user; the user writes and reads a row over TCP', async (t) => {
  await driver.ensureDatabases([{ name: 'embapp' }]);
  await driver.ensureUsers([{ name: 'embuser', password: 'emb-pw', databases: ['embapp'] }]);
  const c = new pg.Client({ connectionString: driver.connectionUri('embuser', 'emb-pw', 'embapp') });
  await c.connect();
  try {
    await c.query('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await c.query('INSERT INTO notes VALUES (1, $1)', ['from embedded postgres']);
    const r = await c.query('SELECT body, current_user AS who FROM notes');
    t.deepEqual(r.rows, [{ body: 'from embedded postgres', who: 'embuser' }]);
  } finally {
    await c.end();
  }
  const o = await driver.observe();
  t.true(o.databases.includes('embapp'));
  t.deepEqual(o.users, ['embuser']);
});

test.serial('stop frees the port and leaves no process', async (t) => {
  await stopAndCheck(t, driver, port);
  t.false((await driver.health()).ok);
});
