import test from 'ava';
import { createServer } from 'node:net';
import { createDriver, freePort, type DatastoreType, type Engine } from '../../../guest/datastores/driver.js';
import { requireBinary, engineIdentity, isRoot } from '../../../guest/datastores/run-as.js';
import { portIsFree } from '../../../guest/datastores/ports.js';
import { checkSetting } from '../../../guest/datastores/config-rules.js';
import { setConfLines } from '../../../guest/datastores/redis-config.js';
import { tempRoot, safeStop, processesMentioning } from '../../support/datastore-harness.js';

test('createDriver maps datastore types to engines; mysql is served by MariaDB', (t) => {
  const cases: Array<[DatastoreType, Engine]> = [['postgresql', 'postgresql'], ['mariadb', 'mariadb'], ['mysql', 'mariadb'], ['redis', 'redis']];
  for (const [type, engine] of cases) {
    const d = createDriver(type);
    t.is(d.engine, engine);
    t.true(d.servesAs.includes(type));
  }
  t.throws(() => createDriver('oracle' as DatastoreType), { message: /unknown datastore type 'oracle'/ });
});

test('freePort returns a bindable loopback port', async (t) => {
  const port = await freePort();
  t.true(port > 0 && port < 65536);
  t.true(await portIsFree(port));
  await new Promise<void>((resolve, reject) => {
    const s = createServer().once('error', reject).listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
});

test('a missing binary names the Debian package to install', async (t) => {
  t.throws(() => requireBinary('/nonexistent/mariadbd', 'mariadb-server'), { message: /install the Debian package mariadb-server/ });
  const saved = process.env.DBSTACK_PG_BINDIR;
  process.env.DBSTACK_PG_BINDIR = '/nonexistent/bin';
  try {
    await t.throwsAsync(createDriver('postgresql').version(), { message: /install the Debian package postgresql-15/ });
  } finally {
    if (saved === undefined) delete process.env.DBSTACK_PG_BINDIR; else process.env.DBSTACK_PG_BINDIR = saved;
  }
});

test('engines run as their system user when dbstack is root', (t) => {
  const id = engineIdentity('postgres', 'postgresql-15');
  if (isRoot()) {
    t.is(id.user, 'postgres');
    t.true(id.switched);
    t.not(id.uid, 0);
  } else {
    t.false(id.switched);
    t.is(id.uid, process.getuid!());
  }
});

test('checkSetting reports bounds, types and enums', (t) => {
  const rule = { name: 'n', type: 'integer' as const, min: 1, max: 10, bounds: ['1', '10'] as [string, string], restart: false, source: 'catalog' };
  t.is(checkSetting(rule, 5), undefined);
  t.is(checkSetting(rule, '64MB'), undefined); // unit values are left to the engine
  t.is(checkSetting(rule, 11), 'n: 11 is out of range [1, 10] (catalog)');
  t.regex(checkSetting(rule, 1.5)!, /expected an integer/);
  t.regex(checkSetting({ ...rule, type: 'enum', enumValues: ['a', 'b'] }, 'c')!, /'c' is not one of a, b/);
  t.regex(checkSetting({ ...rule, type: 'bool' }, 'maybe')!, /expected a boolean/);
  t.regex(checkSetting(rule, { x: 1 })!, /must be a string, number or boolean/);
});

test('setConfLines replaces and appends redis.conf directives', (t) => {
  const text = 'port 1\ndatabases 16\nsave ""\n';
  t.is(setConfLines(text, { databases: '4', 'io-threads': '2' }), 'port 1\nsave ""\ndatabases 4\nio-threads 2\n');
});

for (const engine of ['postgresql', 'mariadb', 'redis'] as const) {
  test(`${engine}: start on a port already in use fails with the engine's log and leaves no process`, async (t) => {
    const tmp = tempRoot(`busy-${engine}`);
    const driver = createDriver(engine, { fast: true });
    const blocker = createServer((sock) => sock.destroy()); // accepts and hangs up at once
    t.teardown(async () => {
      blocker.close();
      try { await safeStop(driver); } finally { tmp.remove(); }
    });
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    await driver.init(tmp.dataDir);
    const err = await t.throwsAsync(driver.start({ dataDir: tmp.dataDir, port }));
    t.regex(err!.message, /exited during startup[\s\S]*(Address already in use|could not bind|Can't start server)/i);
    t.is(driver.pid(), undefined);
    t.deepEqual(processesMentioning(tmp.dataDir), [], 'no engine process left for this data dir');
    t.true((await driver.health()).ok === false);
  });
}
