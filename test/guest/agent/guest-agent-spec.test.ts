/**
 * The agent's declarative bookkeeping without a broker: spec parsing (unknown fields ignored),
 * what is managed and removed, the state file's backward compatibility, the version check
 * against the installed binary, and the datastore description.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readAgentState, type Status } from '../../../guest/agent/agent.js';
import { EngineWatchdog } from '../../../guest/agent/engine-watchdog.js';
import { emptyManaged, parseManaged, removals } from '../../../guest/agent/managed.js';
import { parseSpec, Reconciler, servedByNote } from '../../../guest/agent/reconcile.js';
import { createDriver, type DatastoreDriver, type DatabaseSpec, type UserRef, type UserSpec } from '../../../guest/datastores/driver.js';

test('parseSpec accepts and drops unknown fields at the top level, on databases and on users', (t) => {
  const spec = parseSpec({
    datastore: 'postgresql', owner: 'stack.main', futureField: { x: 1 },
    databases: [{ name: 'orders', owner: 'database.orders', comment: 'x' }],
    users: [{ name: 'app', password: 'p', databases: ['orders'], owner: 'database_user.app', roles: ['ro'] }],
  });
  t.deepEqual(spec, {
    datastore: 'postgresql',
    databases: [{ name: 'orders' }],
    users: [{ name: 'app', password: 'p', databases: ['orders'] }],
  });
  // known fields are still checked when unknown ones are present
  t.throws(() => parseSpec({ datastore: 'redis', owner: 1, users: [{ name: 'a', owner: 'x' }] }), { message: /users\[0\]\.password is required/ });
});

test('removals: only what an earlier spec declared; users keyed by name@host on MariaDB only', (t) => {
  const prev = {
    databases: ['a', 'b'], config: [],
    users: [{ name: 'u', databases: ['a', 'b'] }, { name: 'v', host: 'localhost', databases: [] }],
  };
  const spec = parseSpec({ datastore: 'x', databases: [{ name: 'a' }, { name: 'c' }], users: [{ name: 'u', password: 'p', databases: ['a'] }, { name: 'v', password: 'p' }] });
  t.deepEqual(removals('postgresql', prev, spec), { databases: ['b'], users: [], revokes: [{ user: prev.users[0]!, databases: ['b'] }] });
  // on MariaDB v@% is another account than v@localhost
  t.deepEqual(removals('mariadb', prev, spec).users, [prev.users[1]!]);
  t.deepEqual(removals('redis', emptyManaged(), spec), { databases: [], users: [], revokes: [] });
});

test('state files of older agents (no managed) are read; managed is read tolerantly', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-agent-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'state.json');
  writeFileSync(file, JSON.stringify({ lastAcceptedSeq: 4, observedGeneration: 2, phase: 'ready' }));
  const s = readAgentState(file)!;
  t.is(s.observedGeneration, 2);
  t.is(s.managed, undefined);
  t.deepEqual(parseManaged(s.managed), emptyManaged());
  t.deepEqual(parseManaged({ databases: ['a', 3], users: [{ name: 'u', host: 'h', databases: ['a'] }, { nope: 1 }] }),
    { databases: ['a'], users: [{ name: 'u', host: 'h', databases: ['a'] }], config: [] });
});

test('status.datastore says which engine serves the type', (t) => {
  t.is(servedByNote('mysql', 'mariadb'), 'mysql is served by MariaDB (no MySQL server on this machine)');
  t.is(servedByNote('mariadb', 'mariadb'), undefined);
  const r = new Reconciler(createDriver('mysql'), { type: 'mysql', dataDir: '/nonexistent', port: 1 });
  t.like(r.describe(), { type: 'mysql', engine: 'mariadb', note: 'mysql is served by MariaDB (no MySQL server on this machine)' });
});

for (const [type, wrong] of [['mysql', '8.0'], ['postgresql', '9'], ['redis', '1.0']] as const) {
  test(`${type}: a version the installed engine does not have fails before anything is initialised`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'dbstack-agent-ver-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const driver = createDriver(type);
    const installed = await driver.version();
    const r = new Reconciler(driver, { type, dataDir: join(dir, 'data'), port: 1 });
    const err = await t.throwsAsync(r.reconcile({ datastore: type, version: wrong }));
    t.true(err!.message.includes(`version ${wrong} requested, but the installed ${driver.engine} server is version ${installed}`), err!.message);
    if (type === 'mysql') t.regex(err!.message, /mysql is served by MariaDB/);
    t.false(existsSync(join(dir, 'data')), 'no data dir was created');
  });
}

/** Records calls; holds databases/users in memory. */
class FakeDriver implements Partial<DatastoreDriver> {
  calls: string[] = [];
  dbs = new Set<string>(['made_by_hand']);
  alive = true;
  readonly engine = 'postgresql' as const;
  readonly servesAs = ['postgresql'] as const;
  async version() { return '15.2'; }
  async init() {}
  async start() { this.calls.push('start'); }
  async stop() {}
  async health() { return { ok: true }; }
  async ensureDatabases(d: DatabaseSpec[]) { d.forEach((x) => this.dbs.add(x.name)); this.calls.push(`ensureDatabases ${d.map((x) => x.name)}`); }
  async ensureUsers(u: UserSpec[]) { this.calls.push(`ensureUsers ${u.map((x) => `${x.name}:${x.databases ?? []}`)}`); }
  async dropDatabases(n: string[]) { n.forEach((x) => this.dbs.delete(x)); this.calls.push(`dropDatabases ${n}`); }
  async dropUsers(u: UserRef[]) { this.calls.push(`dropUsers ${u.map((x) => x.name)}`); }
  async revokeGrants(u: UserRef, d: string[]) { this.calls.push(`revokeGrants ${u.name} ${d}`); }
  async observe() { return { databases: [...this.dbs].sort(), users: [], config: {} }; }
  async preflight() { return [] as string[]; }
  async snapshotUsers(u: UserRef[]) { this.calls.push(`snapshotUsers ${u.map((x) => x.name)}`); return { rows: [] }; }
  async restoreUsers() { this.calls.push('restoreUsers'); }
  pid() { return this.alive ? process.pid : undefined; }
}

test('reconcile drops only what earlier specs declared, revokes shrunk grants, and records it all', async (t) => {
  const fake = new FakeDriver();
  const r = new Reconciler(fake as unknown as DatastoreDriver, { type: 'postgresql', dataDir: '/x', port: 1 });
  await r.reconcile({ datastore: 'postgresql', databases: [{ name: 'a' }, { name: 'b' }], users: [{ name: 'u', password: 'p', databases: ['a', 'b'] }, { name: 'w', password: 'p' }] });
  t.deepEqual(r.managed, { databases: ['a', 'b'], users: [{ name: 'u', databases: ['a', 'b'] }, { name: 'w', databases: [] }], config: [] });
  fake.calls = [];
  const o = await r.reconcile({ datastore: 'postgresql', databases: [{ name: 'a' }], users: [{ name: 'u', password: 'p', databases: ['a'] }] });
  t.deepEqual(fake.calls, ['ensureDatabases a', 'snapshotUsers ', 'ensureUsers u:a', 'revokeGrants u b', 'dropUsers w', 'dropDatabases b']);
  t.deepEqual(o.databases, ['a', 'made_by_hand'], 'a database made directly in the engine is never dropped');
  t.deepEqual(r.managed, { databases: ['a'], users: [{ name: 'u', databases: ['a'] }], config: [] });
  // an empty spec removes the rest; a restored record drives removals in a new agent run
  const again = new Reconciler(fake as unknown as DatastoreDriver, { type: 'postgresql', dataDir: '/x', port: 1 });
  again.restoreManaged(r.managed);
  fake.calls = [];
  await again.reconcile({ datastore: 'postgresql' });
  t.deepEqual(fake.calls, ['start', 'dropUsers u', 'dropDatabases a']);
  t.deepEqual(again.managed, emptyManaged());
  t.deepEqual([...fake.dbs], ['made_by_hand']);
});

test('a generation that fails half way is undone in reverse and leaves the managed record as it was; a pre-flight refusal touches nothing', async (t) => {
  const fake = new FakeDriver();
  const r = new Reconciler(fake as unknown as DatastoreDriver, { type: 'postgresql', dataDir: '/x', port: 1 });
  await r.reconcile({ datastore: 'postgresql', databases: [{ name: 'a' }], users: [{ name: 'u', password: 'p', databases: ['a'] }] });
  const before = r.managed;
  fake.calls = [];
  fake.ensureUsers = async (u: UserSpec[]) => { fake.calls.push('ensureUsers'); if (u.some((x) => x.name === 'bad')) throw new Error('role "bad" refused'); };
  const e = await t.throwsAsync(r.reconcile({ datastore: 'postgresql', databases: [{ name: 'a' }, { name: 'c' }], users: [{ name: 'bad', password: 'p' }] }));
  t.regex(e!.message, /^role "bad" refused; rolled back: user\(s\) bad, database\(s\) c created$/);
  t.deepEqual(fake.calls, ['ensureDatabases a,c', 'snapshotUsers ', 'ensureUsers', 'restoreUsers', 'dropDatabases c'], 'undone in reverse (bad never made it into the engine); no removal ran');
  t.deepEqual(r.managed, before, 'u and a are still managed (nothing was removed)');
  t.deepEqual([...fake.dbs].sort(), ['a', 'made_by_hand']);

  fake.calls = [];
  fake.preflight = async () => ['user "pg_x": reserved'];
  await t.throwsAsync(r.reconcile({ datastore: 'postgresql', users: [{ name: 'pg_x', password: 'p' }] }), { message: 'user "pg_x": reserved' });
  t.deepEqual(fake.calls, [], 'refused before anything was changed');
  t.deepEqual(r.managed, before);
});

test('supervision goes on after a failed generation: a dead engine is restarted and the failure stays reported', async (t) => {
  const fake = new FakeDriver();
  const r = new Reconciler(fake as unknown as DatastoreDriver, { type: 'postgresql', dataDir: '/x', port: 1 });
  await r.reconcile({ datastore: 'postgresql' });
  const published: Status[] = [];
  let current: Status = { observedGeneration: 3, phase: 'failed', error: 'bad collation' };
  const s = new EngineWatchdog(r, {
    publish: async (st) => { current = st; published.push(st); },
    event: () => {},
    withObserved: (generation, o) => ({ observedGeneration: generation, phase: 'ready', ...o }),
    current: () => current,
    log: () => {},
  });
  s.generationFailed('bad collation');
  fake.health = async () => (fake.alive ? { ok: true } : { ok: false, detail: 'connection refused' });
  fake.start = async () => { fake.calls.push('start'); fake.alive = true; };
  fake.alive = false;
  fake.calls = [];
  await s.beat();
  t.deepEqual(fake.calls, ['start'], 'the dead engine was restarted although the last generation failed');
  t.deepEqual(published.map((p) => `${p.phase}:${p.health?.ok}`), ['starting:false', 'failed:true']);
  t.is(published.at(-1)!.error, 'bad collation');
  t.deepEqual(published.at(-1)!.databases, ['made_by_hand'], 'the failed status still says what the engine holds');
  s.generationFailed(undefined);
  await s.beat();
  t.is(published.at(-1)!.phase, 'ready');
});

test('supervision: a dead server is restarted at once, a live unhealthy one after 3 beats, a failed restart is retried', async (t) => {
  const fake = new FakeDriver();
  let healthy = true;
  let failStarts = 0;
  fake.health = async () => (healthy ? { ok: true } : { ok: false, detail: 'no answer' });
  fake.start = async () => {
    fake.calls.push('start');
    if (failStarts > 0) { failStarts--; throw new Error('port busy'); }
    healthy = true;
    fake.alive = true;
  };
  const r = new Reconciler(fake as unknown as DatastoreDriver, { type: 'postgresql', dataDir: '/x', port: 1 });
  await r.reconcile({ datastore: 'postgresql' });
  const published: Status[] = [];
  const events: string[] = [];
  let current: Status = { observedGeneration: 7, phase: 'ready' };
  const s = new EngineWatchdog(r, {
    publish: async (st) => { current = st; published.push(st); },
    event: (m) => events.push(m),
    withObserved: (generation, o) => ({ observedGeneration: generation, phase: 'ready', ...o }),
    current: () => current,
    log: () => {},
  });
  const phases = () => published.splice(0).map((p) => `${p.phase}:${p.health?.ok}`);

  await s.beat();
  t.deepEqual(phases(), ['ready:true']);
  fake.calls = [];
  healthy = false; // alive but not answering: reported, restarted on the third beat in a row
  await s.beat();
  await s.beat();
  t.deepEqual(phases(), ['ready:false', 'ready:false']);
  t.deepEqual(fake.calls, []);
  await s.beat();
  t.deepEqual(phases(), ['starting:false', 'ready:true']);
  t.deepEqual(fake.calls, ['start']);

  healthy = false; // the process is gone: restarted at once; a failed start is retried next beat
  fake.alive = false;
  failStarts = 1;
  await s.beat();
  const failed = published.at(-1)!;
  t.deepEqual(phases(), ['starting:false', 'failed:false']);
  t.regex(failed.error!, /postgresql server process is gone: no answer; restart failed: port busy/);
  t.is(failed.observedGeneration, 7);
  await s.beat();
  t.deepEqual(phases(), ['starting:false', 'ready:true']);
  t.true(events.some((e) => /restarting it/.test(e)));
});
