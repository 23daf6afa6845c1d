import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { unknown } from '../../core/value.js';
import { applyMigrations, APPLICATION_ID, LATEST_VERSION, migrations } from '../../state/migrations.js';
import { StateLockHeldError, parseAddress, StaleStateError, StateError, StateFileError, StateStore } from '../../state/index.js';
import { instance, KEY_HEX, LINEAGE, obj, OTHER_LINEAGE, plain, tempState } from '../support/state.js';

const key = Buffer.from(KEY_HEX, 'hex');
const open = (path: string) => StateStore.open(path, { key });

function fresh() {
  const { path } = tempState();
  return { path, store: open(path) };
}

/** A stack at serial 1 with two resources and an output. */
function applied(store: StateStore, stack = 'default') {
  const run = store.beginRun(stack, { command: 'apply', lineage: LINEAGE, expectedSerial: 0, summary: { add: 2 } });
  run.commitResource(instance('database_instance.orders', 'pw-a'));
  run.commitResource(instance('network.net["a"]', 'pw-n', { dependencies: [] }));
  run.setOutputs([{ name: 'host', value: '127.0.0.1', sensitive: false }]);
  run.finish('applied');
  return run;
}

test('opening creates the parent directory, WAL, foreign keys, and every migration once', (t) => {
  const { path, store } = fresh();
  const db = store.database;
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  t.is(db.pragma('foreign_keys', { simple: true }), 1);
  t.is(db.pragma('synchronous', { simple: true }), 2); // FULL
  t.true((db.pragma('busy_timeout', { simple: true }) as number) <= 2000);
  t.is(db.pragma('application_id', { simple: true }), APPLICATION_ID);
  const rows = () => db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as { version: number }[];
  const first = rows();
  t.deepEqual(
    first.map((r) => r.version),
    migrations.map((m) => m.version),
  );
  t.is(first.at(-1)!.version, LATEST_VERSION);
  store.close();
  const again = open(path);
  t.deepEqual(again.database.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(), first);
  again.close();
});

test('migrations run in order, one transaction each; a failing one leaves the previous version', (t) => {
  const { path } = tempState();
  const m1 = { version: 1, name: 'one', up: (db: Database.Database) => db.exec('CREATE TABLE a (x)') };
  const m2 = { version: 2, name: 'two', up: (db: Database.Database) => db.exec('CREATE TABLE b (x)') };
  const bad = {
    version: 3,
    name: 'bad',
    up: (db: Database.Database) => {
      db.exec('CREATE TABLE c (x)');
      throw new Error('boom');
    },
  };
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  t.deepEqual(applyMigrations(db, [m1]), [1]);
  t.deepEqual(applyMigrations(db, [m1, m2]), [2]);
  t.deepEqual(applyMigrations(db, [m1, m2]), []);
  t.throws(() => applyMigrations(db, [m1, m2, bad]), { message: 'boom' });
  t.is((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v, 2);
  t.falsy(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'c'").get());
  t.throws(() => applyMigrations(db, [m2]), { message: /expected 1/ });
  db.close();
});

test('a state written by a newer dbstack is refused with the versions', (t) => {
  const { path, store } = fresh();
  store.database.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')").run(LATEST_VERSION + 1);
  store.close();
  const e = t.throws(() => open(path), { instanceOf: StateFileError })!;
  t.is(e.problem, 'newer-version');
  t.true(e.message.includes(path));
  t.regex(e.message, new RegExp(`newer dbstack \\(state schema version ${LATEST_VERSION + 1}; this dbstack understands up to version ${LATEST_VERSION}\\)`));
});

test('a file that is not SQLite, or SQLite of another application, is refused and left untouched', (t) => {
  const { path } = tempState();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'resource "x" "y" {}\n'.repeat(10));
  const e = t.throws(() => open(path), { instanceOf: StateFileError })!;
  t.is(e.problem, 'not-sqlite');
  t.is(e.message.split(';')[0], `${path} is not a dbstack state file: it is not an SQLite database`);

  const other = `${path}.other`;
  const db = new Database(other);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); CREATE TABLE users (id)');
  db.close();
  const before = readFileSync(other);
  const e2 = t.throws(() => open(other), { instanceOf: StateFileError })!;
  t.is(e2.problem, 'not-dbstack');
  t.true(e2.message.includes(other));
  t.deepEqual(readFileSync(other), before);

  t.throws(() => open(dirname(path)), { instanceOf: StateFileError, message: /is a directory/ });
});

test('stacks: lineage fixed at creation, serial 0 when new, several per file', (t) => {
  const { store } = fresh();
  t.is(store.stack('default'), undefined);
  t.is(store.readState('default'), undefined);
  const s = store.ensureStack('default');
  t.is(s.serial, 0);
  t.regex(s.lineage, /^[0-9a-f-]{36}$/);
  t.deepEqual(store.ensureStack('default'), s);
  t.deepEqual(store.ensureStack('default', s.lineage), s);
  const e = t.throws(() => store.ensureStack('default', LINEAGE), { instanceOf: StaleStateError })!;
  t.is(e.actual.lineage, s.lineage);
  t.deepEqual(store.ensureStack('plan-time', LINEAGE), { name: 'plan-time', lineage: LINEAGE, serial: 0 });
  t.deepEqual(
    store.listStacks().map((x) => x.name),
    ['default', 'plan-time'],
  );
  t.throws(() => store.ensureStack(''), { instanceOf: StateError });
  t.throws(() => store.ensureStack('x', 'not-a-uuid'));
  store.close();
});

test('run lifecycle: begin bumps the serial once, commits are visible at once, finish snapshots', (t) => {
  const { path, store } = fresh();
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0, summary: { add: 2, change: 0 } });
  t.is(run.serial, 1);
  t.deepEqual(store.stack('default'), { name: 'default', lineage: LINEAGE, serial: 1 });
  t.is(store.history('default')[0]!.status, 'running');
  run.commitResource(instance('database_instance.orders', 'pw-a'));
  // Another connection sees the committed resource while the run is going on.
  const reader = open(path);
  t.deepEqual(
    reader.readState('default')!.resources.map((r) => r.address),
    ['database_instance.orders'],
  );
  run.commitResource(instance('database_instance.r[0]', 'pw-b', { dependencies: ['database_instance.orders'], status: 'creating' }));
  run.commitResource(instance('database_instance.r[0]', 'pw-b', { dependencies: ['database_instance.orders'], providerId: 'srv-9' }));
  run.finish('applied');
  t.throws(() => run.commitResource(instance('database_instance.late', 'x')), { message: /has finished/ });

  const st = reader.readState('default')!;
  t.is(st.serial, 1);
  const r0 = st.resources.find((r) => r.address === 'database_instance.r[0]')!;
  t.like(r0, { mode: 'managed', type: 'database_instance', name: 'r', indexKey: 0, providerId: 'srv-9', status: 'ready', serial: 1, schemaVersion: 1 });
  t.deepEqual(r0.dependencies, ['database_instance.orders']);
  t.is(obj(r0.inputs).root_password, 'pw-b-root');
  const h = reader.history('default');
  t.is(h.length, 1);
  t.like(h[0], { serial: 1, command: 'apply', status: 'applied', hasSnapshot: true });
  t.deepEqual(plain(h[0]!.summary), { add: 2, change: 0 });

  const run2 = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 1 });
  t.true(run2.deleteResource('database_instance.orders'));
  t.false(run2.deleteResource('database_instance.orders'));
  run2.finish('failed', 'quota exceeded');
  t.like(store.history('default')[1], { serial: 2, status: 'failed', error: 'quota exceeded' });
  t.deepEqual(
    store.readState('default')!.resources.map((r) => r.address),
    ['database_instance.r[0]'],
  );
  reader.close();
  store.close();
});

test('a stale serial or a different lineage is refused with both values', (t) => {
  const { store } = fresh();
  applied(store);
  const stale = t.throws(() => store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 }), { instanceOf: StaleStateError })!;
  t.deepEqual(stale.expected, { lineage: LINEAGE, serial: 0 });
  t.deepEqual(stale.actual, { lineage: LINEAGE, serial: 1 });
  t.regex(stale.message, /plan was made against serial 0, the state is now at serial 1/);
  const other = t.throws(() => store.beginRun('default', { command: 'apply', lineage: OTHER_LINEAGE, expectedSerial: 1 }), { instanceOf: StaleStateError })!;
  t.is(other.actual.lineage, LINEAGE);
  t.true(other.message.includes(OTHER_LINEAGE) && other.message.includes(LINEAGE));
  t.throws(() => store.beginRun('new', { command: 'apply', lineage: LINEAGE, expectedSerial: 3 }), { instanceOf: StaleStateError, message: /no longer exists/ });
  t.is(store.stack('default')!.serial, 1);
  t.is(store.stack('new'), undefined);

  // A run whose stack moved on under it (another run began) cannot write any more.
  const first = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 1 });
  const second = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 2 });
  t.throws(() => first.commitResource(instance('database_instance.x', 'pw')), { instanceOf: StaleStateError });
  second.finish('applied');
  t.is(store.history('default')[1]!.status, 'interrupted');
  store.close();
});

test('unknown values never reach the state', (t) => {
  const { store } = fresh();
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  const e = t.throws(() => run.commitResource(instance('database_instance.orders', 'pw', { attributes: { host: unknown } })))!;
  t.false(e instanceof StateError);
  t.regex(e.message, /database_instance\.orders attributes\.host: its value is not known until apply/);
  t.throws(() => run.setOutputs([{ name: 'o', value: [1, unknown], sensitive: true }]), { message: /output o\[1\]/ });
  t.deepEqual(store.readState('default')!.resources, []);
  store.close();
});

test('history, snapshots and rollback to an earlier serial as a new serial', (t) => {
  const { store } = fresh();
  applied(store);
  const snap1 = store.snapshot('default', 1)!;
  t.deepEqual(plain(snap1), plain(store.readState('default')));

  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 1 });
  run.commitResource(instance('database_instance.orders', 'pw-changed'));
  run.commitResource(instance('database_instance.extra', 'pw-x'));
  run.deleteResource('network.net["a"]');
  run.setOutputs([]);
  run.finish('applied');
  t.is(store.snapshot('default', 2)!.resources.length, 2);

  t.is(store.rollback('default', 1), 3);
  const now = store.readState('default')!;
  t.is(now.serial, 3);
  const strip = (s: typeof now) => plain(s.resources.map(({ serial, updatedAt, ...r }) => r));
  t.deepEqual(strip(now), strip(snap1));
  t.deepEqual(plain(now.outputs), plain(snap1.outputs));
  t.true(now.resources.every((r) => r.serial === 3));
  const h = store.history('default');
  t.deepEqual(
    h.map((x) => [x.serial, x.command, x.status]),
    [
      [1, 'apply', 'applied'],
      [2, 'apply', 'applied'],
      [3, 'rollback to 1', 'applied'],
    ],
  );
  t.deepEqual(plain(store.snapshot('default', 3)), plain(now));
  t.throws(() => store.rollback('default', 9), { instanceOf: StateError, message: /no snapshot of serial 9/ });
  t.is(store.stack('default')!.serial, 3);
  store.close();
});

test('state rm, mv and taint are runs of their own', (t) => {
  const { store } = fresh();
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.commitResource(instance('network.net["a"]', 'pw-n'));
  run.commitResource(instance('database_instance.orders', 'pw-o', { dependencies: ['network.net["a"]'] }));
  run.commitResource(instance('database_instance.other', 'pw-p'));
  run.finish('applied');

  t.is(store.moveResource('default', 'network.net["a"]', 'network.net["b"]'), 2);
  let st = store.readState('default')!;
  const moved = st.resources.find((r) => r.address === 'network.net["b"]')!;
  t.like(moved, { indexKey: 'b', name: 'net', type: 'network' });
  t.is(obj(moved.inputs).root_password, 'pw-n-root'); // re-sealed for the new address
  t.deepEqual(st.resources.find((r) => r.address === 'database_instance.orders')!.dependencies, ['network.net["b"]']);
  t.throws(() => store.moveResource('default', 'database_instance.orders', 'database_instance.other'), { instanceOf: StateError, message: /already in the state/ });
  t.throws(() => store.moveResource('default', 'database_instance.gone', 'database_instance.new'), { instanceOf: StateError, message: /no resource database_instance\.gone/ });
  t.throws(() => store.moveResource('default', 'database_instance.orders', 'network.orders'), { message: /types differ/ });

  t.is(store.taint('default', 'database_instance.orders'), 3);
  t.is(store.readState('default')!.resources.find((r) => r.address === 'database_instance.orders')!.status, 'tainted');
  t.is(store.untaint('default', 'database_instance.orders'), 4);
  t.throws(() => store.untaint('default', 'database_instance.orders'), { message: /is not tainted/ });
  t.is(store.removeResource('default', 'database_instance.other'), 5);
  t.throws(() => store.removeResource('default', 'database_instance.other'), { instanceOf: StateError });
  st = store.readState('default')!;
  t.is(st.serial, 5); // refused commands did not move the serial
  t.deepEqual(
    st.resources.map((r) => [r.address, r.status]),
    [
      ['database_instance.orders', 'ready'],
      ['network.net["b"]', 'ready'],
    ],
  );
  t.deepEqual(
    store.history('default').map((h) => h.command),
    ['apply', 'state mv network.net["a"] network.net["b"]', 'taint database_instance.orders', 'untaint database_instance.orders', 'state rm database_instance.other'],
  );
  t.throws(() => store.taint('nope', 'database_instance.orders'), { message: /no stack "nope"/ });
  store.close();
});

test('state commands are refused while another holder has the lock, allowed with our own', (t) => {
  const { path, store } = fresh();
  applied(store);
  const other = open(path);
  const lock = other.acquireLock('default', { command: 'dbstack apply', pid: process.pid });
  t.throws(() => store.taint('default', 'database_instance.orders'), { instanceOf: StateLockHeldError });
  t.throws(() => store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 1 }), { instanceOf: StateLockHeldError });
  t.is(other.taint('default', 'database_instance.orders', { lock }), 2);
  lock.release();
  t.is(store.untaint('default', 'database_instance.orders'), 3);
  other.close();
  store.close();
});

test('outputs are replaced as a whole', (t) => {
  const { store } = fresh();
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.setOutputs([
    { name: 'b', value: { list: [1, 2], n: null }, sensitive: false },
    { name: 'a', value: 'secret-a', sensitive: true },
  ]);
  t.deepEqual(plain(store.readState('default')!.outputs), [
    { name: 'a', value: 'secret-a', sensitive: true },
    { name: 'b', value: { list: [1, 2], n: null }, sensitive: false },
  ]);
  run.setOutputs([{ name: 'c', value: 3, sensitive: false }]);
  t.deepEqual(plain(store.readState('default')!.outputs), [{ name: 'c', value: 3, sensitive: false }]);
  t.throws(() => run.setOutputs([{ name: 'c', value: 1, sensitive: false }, { name: 'c', value: 2, sensitive: false }]), { message: /twice/ });
  store.close();
});

test('journal: entries begun and never ended are listed for adoption', (t) => {
  const { path, store } = fresh();
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  const a = store.journalBegin('default', { address: 'database_instance.orders', action: 'create', runSerial: run.serial, detail: { tag: 'dbstack:default:database_instance.orders' } });
  const b = store.journalBegin('default', { address: 'network.net["a"]', action: 'create', runSerial: run.serial });
  store.journalEnd(b, 'succeeded', { id: 'net-1' });
  t.throws(() => store.journalEnd(b, 'failed'), { message: /already ended/ });
  t.throws(() => store.journalBegin('nope', { address: 'network.x', action: 'create', runSerial: 1 }), { instanceOf: StateError });
  store.close();
  const again = open(path);
  const open1 = again.openJournal('default');
  t.is(open1.length, 1);
  t.like(open1[0], { id: a, address: 'database_instance.orders', action: 'create', runSerial: 1, endedAt: null, outcome: null });
  t.deepEqual(plain(open1[0]!.detail), { tag: 'dbstack:default:database_instance.orders' });
  again.journalEnd(a, 'adopted');
  t.deepEqual(again.openJournal('default'), []);
  t.deepEqual(again.openJournal('missing'), []);
  again.close();
});

test('several stacks in one file are independent', (t) => {
  const { path, store } = fresh();
  applied(store, 'prod');
  const run = store.beginRun('dev', { command: 'apply', lineage: OTHER_LINEAGE, expectedSerial: 0 });
  run.commitResource(instance('database_instance.orders', 'pw-dev'));
  run.finish('applied');
  store.taint('dev', 'database_instance.orders');
  store.close();
  const again = open(path);
  t.deepEqual(
    again.listStacks(),
    [
      { name: 'dev', lineage: OTHER_LINEAGE, serial: 2 },
      { name: 'prod', lineage: LINEAGE, serial: 1 },
    ],
  );
  const prod = again.readState('prod')!.resources.find((r) => r.address === 'database_instance.orders')!;
  const dev = again.readState('dev')!.resources.find((r) => r.address === 'database_instance.orders')!;
  t.is(prod.status, 'ready');
  t.is(dev.status, 'tainted');
  t.is(obj(dev.inputs).root_password, 'pw-dev-root');
  t.is(obj(prod.inputs).root_password, 'pw-a-root');
  t.is(again.history('prod').length, 1);
  again.close();
});

test('addresses', (t) => {
  t.deepEqual(parseAddress('database_instance.orders'), { mode: 'managed', type: 'database_instance', name: 'orders', indexKey: null });
  t.deepEqual(parseAddress('network.net["a"]'), { mode: 'managed', type: 'network', name: 'net', indexKey: 'a' });
  t.deepEqual(parseAddress('database_instance.r[10]'), { mode: 'managed', type: 'database_instance', name: 'r', indexKey: 10 });
  t.deepEqual(parseAddress('data.network.app'), { mode: 'data', type: 'network', name: 'app', indexKey: null });
  t.deepEqual(parseAddress('network.n["a]b"]'), { mode: 'managed', type: 'network', name: 'n', indexKey: 'a]b' });
  for (const bad of ['orders', 'network.net[a]', 'network.net[01]', "network.net['a']", 'network.net[-1]', 'a.b.c', 'network.net["a"', ''])
    t.throws(() => parseAddress(bad), { instanceOf: StateError }, bad);
});
