import test from 'ava';
import Database from 'better-sqlite3';
import { KEY_ENV, StateStore } from '../../state/index.js';
import { instance, KEY_HEX, killHard, LINEAGE, obj, plain, rawFiles, spawnHelper, tempState } from '../support/state.js';

const env = { [KEY_ENV]: KEY_HEX };
const key = Buffer.from(KEY_HEX, 'hex');

/** A state whose stack is at serial 1 (finished, snapshotted) with one resource. */
function previousSerial() {
  const { path } = tempState();
  const store = StateStore.open(path, { key });
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.commitResource(instance('database_instance.kept', 'pw-kept'));
  run.setOutputs([{ name: 'kept', value: 'kept-out', sensitive: true }]);
  run.finish('applied');
  const before = plain(store.readState('default')!);
  store.close();
  return { path, before };
}

/** Raw SQLite checks that do not go through the store. */
function integrity(path: string): string {
  const db = new Database(path, { readonly: false });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

test('SIGKILL while committing resources in a loop: every reported commit survives, the file is intact', async (t) => {
  const { path, before } = previousSerial();
  const h = spawnHelper('state-crash-writer', [path, 'default', LINEAGE, '1', 'loop'], env);
  t.teardown(() => h.child.kill('SIGKILL'));
  await h.next((m) => m.event === 'committed' && (m.i as number) >= 40);
  await killHard(h);
  const reported = h.messages.filter((m) => m.event === 'committed').length;

  t.true(rawFiles(path).some((f) => f.name.endsWith('-wal')), 'the killed writer left its WAL behind');
  t.is(integrity(path), 'ok');
  const store = StateStore.open(path, { key });
  t.is(store.database.pragma('integrity_check', { simple: true }), 'ok');
  const st = store.readState('default')!;
  t.is(st.serial, 2);
  const loop = st.resources.filter((r) => r.address.startsWith('database_instance.loop['));
  t.true(loop.length >= reported, `${loop.length} rows for ${reported} reported commits`);
  t.true(loop.length <= reported + 1);
  // Every row is whole: its secrets open, and the indexes are a contiguous prefix.
  loop.forEach((r) => t.is(obj(r.inputs).root_password, `pw-loop-${r.indexKey}-root`));
  t.deepEqual(
    loop.map((r) => r.indexKey).sort((a, b) => (a as number) - (b as number)),
    loop.map((_, i) => i),
  );
  // The previous serial is intact, both as its snapshot and as the rows the run did not touch.
  t.deepEqual(plain(store.snapshot('default', 1)), before);
  t.deepEqual(plain(st.resources.find((r) => r.address === 'database_instance.kept')), before.resources[0]);
  t.deepEqual(plain(st.outputs), before.outputs);
  t.is(store.history('default')[1]!.status, 'running');

  // The next run records the crashed one as interrupted, with what it left.
  const next = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 2 });
  next.finish('applied');
  const crashed = store.history('default')[1]!;
  t.like(crashed, { serial: 2, status: 'interrupted', hasSnapshot: true });
  t.is(store.snapshot('default', 2)!.resources.length, loop.length + 1);
  store.close();
});

test('SIGKILL inside a write transaction: none of it is visible after reopening', async (t) => {
  const { path, before } = previousSerial();
  const h = spawnHelper('state-crash-writer', [path, 'default', LINEAGE, '1', 'transaction'], env);
  t.teardown(() => h.child.kill('SIGKILL'));
  await h.next((m) => m.event === 'in-transaction', 60000);
  t.is(h.child.exitCode, null, `the writer is still inside its transaction; stderr: ${h.stderr()}`);
  t.is(h.child.signalCode, null);
  // The transaction is big enough that SQLite has spilled uncommitted pages into the WAL.
  const wal = rawFiles(path).find((f) => f.name.endsWith('-wal'))!;
  t.true(wal.bytes.length > 2_000_000, `WAL is ${wal.bytes.length} bytes`);
  await killHard(h);

  t.is(integrity(path), 'ok');
  const store = StateStore.open(path, { key });
  const st = store.readState('default')!;
  t.is(st.serial, 2);
  t.deepEqual(
    st.resources.map((r) => r.address),
    ['database_instance.before[0]', 'database_instance.before[1]', 'database_instance.before[2]', 'database_instance.kept'],
  );
  t.deepEqual(plain(st.outputs), before.outputs);
  t.deepEqual(plain(store.snapshot('default', 1)), before);
  const count = store.database.prepare("SELECT COUNT(*) AS n FROM resources WHERE address LIKE 'database_instance.inside%'").get() as { n: number };
  t.is(count.n, 0);
  store.close();
});
