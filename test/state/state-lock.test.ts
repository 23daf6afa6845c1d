import test from 'ava';
import { hostname } from 'node:os';
import { KEY_ENV, StateLockHeldError, LockLostError, StateError, StateStore } from '../../state/index.js';
import { instance, KEY_HEX, killHard, LINEAGE, sleep, spawnHelper, tempState } from '../support/state.js';

// The helper processes and this one share the key through the environment.
const env = { [KEY_ENV]: KEY_HEX };
const key = Buffer.from(KEY_HEX, 'hex');

function setup(ttlMs?: number) {
  const { path } = tempState();
  const store = StateStore.open(path, { key, ...(ttlMs ? { lockTtlMs: ttlMs } : {}) });
  return { path, store };
}

/** Starts a process holding the lock on `stack`. */
async function holder(path: string, stack: string, o: { ttlMs: number; host?: string; refreshMs?: number }) {
  const h = spawnHelper('state-lock-holder', [path, stack, String(o.ttlMs), o.host ?? '-', String(o.refreshMs ?? 0)], env);
  const locked = await h.next((m) => m.event === 'locked');
  return { h, id: locked.id as string, pid: locked.pid as number };
}

test('a lock held by another process is refused with its holder; when that process dies on this host it is taken over', async (t) => {
  const { path, store } = setup();
  const { h, id, pid } = await holder(path, 'default', { ttlMs: 5 * 60 * 1000 });
  t.teardown(() => h.child.kill('SIGKILL'));
  t.is(pid, h.child.pid!);

  const e = t.throws(() => store.acquireLock('default', { command: 'dbstack plan' }), { instanceOf: StateLockHeldError })!;
  t.like(e.holder, { id, pid, host: hostname(), command: 'dbstack apply', stack: 'default' });
  t.is(
    e.message,
    `state of stack "default" locked by ${e.holder.user}@${hostname()} pid ${pid} running \`dbstack apply\` since ${e.holder.since}; if that process is gone, run \`dbstack force-unlock ${id}\``,
  );
  // Another stack in the same file is not affected.
  store.acquireLock('other', { command: 'dbstack apply' }).release();

  await killHard(h);
  const lock = store.acquireLock('default', { command: 'dbstack apply' });
  t.like(lock.tookOver, { id, pid });
  t.is(lock.holder.pid, process.pid);
  lock.release();
  store.close();
});

test('a lock past its TTL is taken over; a refreshed one is not', async (t) => {
  // Short, but with ten refreshes per TTL so a loaded machine's scheduling delays do not expire a live lock.
  const ttlMs = 500;
  const { path, store } = setup(ttlMs);
  // Recorded as held on another host, so only the TTL can free it.
  const { h, id } = await holder(path, 'default', { ttlMs, host: 'elsewhere.example', refreshMs: 50 });
  t.teardown(() => h.child.kill('SIGKILL'));
  const firstRefresh = store.lockHolder('default')!.refreshedAt;

  await sleep(ttlMs * 2);
  const e = t.throws(() => store.acquireLock('default', { command: 'dbstack apply' }), { instanceOf: StateLockHeldError })!;
  t.like(e.holder, { id, host: 'elsewhere.example', ttlMs });
  t.true(e.holder.refreshedAt > firstRefresh, 'the holder kept refreshing');

  await killHard(h);
  t.throws(() => store.acquireLock('default', { command: 'dbstack apply' }), { instanceOf: StateLockHeldError }, 'not before the TTL');
  await sleep(ttlMs + 100);
  const lock = store.acquireLock('default', { command: 'dbstack apply' });
  t.is(lock.tookOver?.id, id);
  lock.refresh();
  lock.release();
  store.close();
});

test('force-unlock needs the lock id; the former holder finds out at its next refresh', async (t) => {
  const { path, store } = setup();
  const { h, id } = await holder(path, 'default', { ttlMs: 60000, refreshMs: 50 });
  t.teardown(() => h.child.kill('SIGKILL'));

  t.throws(() => store.forceUnlock('default', 'not-the-id'), { instanceOf: StateError, message: new RegExp(`has id ${id}, not not-the-id`) });
  t.like(store.forceUnlock('default', id), { id, pid: h.child.pid });
  t.throws(() => store.forceUnlock('default', id), { instanceOf: StateError, message: /is not locked/ });
  const mine = store.acquireLock('default', { command: 'dbstack apply' });
  const lost = await h.next((m) => m.event === 'refresh-failed');
  t.is(lost.name, 'LockLostError');
  t.regex(lost.message as string, new RegExp(`now held by .* pid ${process.pid}`));
  mine.release();
  store.close();
});

test('a run bound to a lock stops writing once the lock is lost', (t) => {
  const { path, store } = setup();
  const lock = store.acquireLock('default', { command: 'dbstack apply' });
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0, lock });
  run.commitResource(instance('database_instance.a', 'pw'));
  const other = StateStore.open(path, { key });
  other.forceUnlock('default', lock.id);
  const taker = other.acquireLock('default', { command: 'dbstack apply', pid: process.pid });
  t.throws(() => run.commitResource(instance('database_instance.b', 'pw')), { instanceOf: LockLostError });
  t.throws(() => lock.refresh(), { instanceOf: LockLostError });
  lock.release(); // harmless: removes only its own lock
  t.is(other.lockHolder('default')?.id, taker.id);
  t.deepEqual(
    other.readState('default')!.resources.map((r) => r.address),
    ['database_instance.a'],
  );
  taker.release();
  t.is(other.lockHolder('default'), undefined);
  other.close();
  store.close();
});
