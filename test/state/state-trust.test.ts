import test, { type ExecutionContext } from 'ava';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateStore } from '../../state/index.js';
import { caseDir, snapshotState } from '../support/bad-input.js';
import { dbstackAsync } from '../support/cli.js';
import { limited, STACK_HCL, statePath, tamper, writeState } from '../support/state-fixture.js';
import { KEY_HEX } from '../support/state.js';

// What the state's trust checks let through: modes, read-only states, and the ways out they name.

const serial = limited<ExecutionContext>(test);
const mode = (p: string) => statSync(p).mode & 0o777;
const run = (dir: string, args: string[], extra: { env?: Record<string, string>; prefix?: string[] } = {}) => dbstackAsync(args, { cwd: dir, timeoutMs: 60_000, ...extra });
const fresh = () => {
  const dir = caseDir();
  writeFileSync(join(dir, 's.hcl'), STACK_HCL);
  return dir;
};

serial('a new state, its key and its last-good copy are 0600 under umask 022', async (t) => {
  const dir = fresh();
  const r = await run(dir, ['plan', '--refresh=false', 's.hcl', '--out', 'p.plan'], { prefix: ['sh', '-c', 'umask 022; exec "$0" "$@"'] });
  t.is(r.code, 0, r.stderr);
  t.is(mode(statePath(dir)), 0o600);
  t.is(mode(join(dir, '.dbstack', 'state.key')), 0o600);
  t.is(mode(join(dir, 'p.plan')), 0o600);

  // The WAL and shared-memory files while a connection is open, and the copy after a run.
  const old = process.umask(0o022);
  try {
    const store = StateStore.open(join(dir, 'other', 'state.db'), { key: Buffer.from(KEY_HEX, 'hex') });
    const r1 = store.beginRun('s', { command: 'apply', lineage: '0b5e9c1a-6d1f-4c7e-9a3b-2f4d8e6a1c90', expectedSerial: 0 });
    r1.finish('applied');
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) t.is(mode(join(dir, 'other', f)), 0o600, f);
    store.close();
    t.is(mode(join(dir, 'other', 'state.db.backup')), 0o600);
  } finally {
    process.umask(old);
  }
});

serial('looser modes of a state we own are tightened on open; a 0444 -shm left behind does not break the next run', async (t) => {
  const dir = fresh();
  writeState(dir);
  chmodSync(statePath(dir), 0o644);
  writeFileSync(`${statePath(dir)}-shm`, Buffer.alloc(0), { mode: 0o444 });
  chmodSync(`${statePath(dir)}-shm`, 0o444);
  const r = await run(dir, ['taint', 'database_instance.db']);
  t.is(r.code, 0, r.stderr);
  t.is(mode(statePath(dir)), 0o600);
  t.regex(r.stdout, /is tainted/);
});

serial('a read-only (0444) state still serves plan, show, output and state list, and leaves no -shm or -wal beside it', async (t) => {
  const dir = fresh();
  writeState(dir);
  chmodSync(statePath(dir), 0o444);
  const before = snapshotState(dir);
  const list = await run(dir, ['state', 'list']);
  t.is(list.code, 0, list.stderr);
  t.is(list.stdout, 'database_instance.db\ndatabase_instance.replica\n');
  const show = await run(dir, ['show']);
  t.is(show.code, 0, show.stderr);
  t.regex(show.stdout, /Stack s \(lineage .*, serial 2\)/);
  const output = await run(dir, ['output', '-raw', 'uri']);
  t.is(output.code, 0, output.stderr);
  t.is(output.stdout, 'postgresql://app:secret@127.0.0.1/app');
  const plan = await run(dir, ['plan', '--refresh=false', 's.hcl']);
  t.is(plan.code, 0, plan.stderr);
  t.deepEqual(readdirSync(join(dir, '.dbstack')).sort(), ['state.db', 'state.db.backup', 'state.key']);
  t.deepEqual([...snapshotState(dir)], [...before]);
  t.is(mode(statePath(dir)), 0o400, 'the owner bits are kept: still read-only');
  // Made writable again, it takes writes at once.
  chmodSync(statePath(dir), 0o600);
  const taint = await run(dir, ['taint', 'database_instance.db']);
  t.is(taint.code, 0, taint.stderr);
});

serial('another user reads a state it may not write (as nobody), leaving nothing behind', async (t) => {
  const dir = fresh();
  writeState(dir, { key: Buffer.from(KEY_HEX, 'hex') });
  chmodSync(dir, 0o755);
  chmodSync(join(dir, '.dbstack'), 0o755);
  chmodSync(statePath(dir), 0o644);
  const before = snapshotState(dir);
  const r = await run(dir, ['state', 'list'], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'], env: { DBSTACK_STATE_KEY: KEY_HEX } });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'database_instance.db\ndatabase_instance.replica\n');
  t.false(existsSync(`${statePath(dir)}-shm`));
  t.deepEqual([...snapshotState(dir)], [...before]);
});

serial('the ways out a damaged row names all work: state rm, state rollback, and the cp of the last-good copy', async (t) => {
  const damaged = () => {
    const dir = fresh();
    writeState(dir);
    tamper(dir, `UPDATE resources SET attributes = '{"oops' WHERE address = 'database_instance.db'`);
    return dir;
  };
  const a = damaged();
  const broken = await run(a, ['state', 'list']);
  t.is(broken.code, 1);
  const cp = /`(cp \S+ \S+)`/.exec(broken.stderr)![1]!.split(' ');
  const rm = await run(a, ['state', 'rm', 'database_instance.db', '--stack', 's']);
  t.is(rm.code, 0, rm.stderr);
  t.is((await run(a, ['state', 'list'])).stdout, 'database_instance.replica\n');

  const b = damaged();
  const rollback = await run(b, ['state', 'rollback', '2', '--stack', 's']);
  t.is(rollback.code, 0, rollback.stderr);
  t.is((await run(b, ['state', 'list'])).stdout, 'database_instance.db\ndatabase_instance.replica\n');
  // The rollback was recorded whole, so the last-good copy now holds serial 3.
  const copy = new Database(`${statePath(b)}.backup`, { readonly: true });
  t.is((copy.prepare('SELECT serial FROM stacks').get() as { serial: number }).serial, 3);
  copy.close();

  const c = damaged();
  copyFileSync(cp[1]!.replace(a, c), cp[2]!.replace(a, c));
  t.is((await run(c, ['state', 'list'])).stdout, 'database_instance.db\ndatabase_instance.replica\n');
});

serial('an empty state file with no key or copy beside it is a new state, as before', async (t) => {
  const dir = fresh();
  mkdirSync(join(dir, '.dbstack'));
  writeFileSync(statePath(dir), '');
  const r = await run(dir, ['plan', '--refresh=false', 's.hcl', '--out', 'p.plan']);
  t.is(r.code, 0, r.stderr);
  const show = await run(dir, ['show', 'p.plan']);
  t.is(show.code, 0, show.stderr);
  t.regex(show.stdout, /database_instance\.db will be created/);
  t.true(readFileSync(statePath(dir)).subarray(0, 15).equals(Buffer.from('SQLite format 3')));
});

test('a second state in the directory of a first (sharing its key file) can still be created', (t) => {
  const dir = caseDir();
  writeState(dir);
  const other = StateStore.open(join(dir, '.dbstack', 'other.db'));
  t.deepEqual(other.listStacks(), []);
  other.close();
  // Without the first state beside it, the key file alone shows a state existed here.
  const lone = caseDir();
  mkdirSync(join(lone, '.dbstack'));
  copyFileSync(join(dir, '.dbstack', 'state.key'), join(lone, '.dbstack', 'state.key'));
  t.throws(() => StateStore.open(statePath(lone)), { message: /does not exist, but its key file .* is beside it/ });
});
