import test from 'ava';
import { chmodSync, copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { KEY_ENV, parseKeyText, StateFileError, StateKeyError, StateStore } from '../../state/index.js';
import { encodingsOf, instance, KEY_HEX, LINEAGE, obj, plain, rawFiles, tempState } from '../support/state.js';

// These tests choose the key source themselves; an inherited key would change what they test.
delete process.env[KEY_ENV];

const SECRET = 'pw-7b1f3c-SECRET';

/** Writes secrets everywhere the store keeps them: resources (inputs, attributes), outputs, history snapshots, a moved row, a rollback. */
function writeSecrets(store: StateStore): void {
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0, summary: { add: 2 } });
  run.commitResource(instance('database_instance.orders', SECRET));
  run.commitResource({
    address: 'random_password.p["root"]',
    provider: 'local',
    inputs: { length: 24, keepers: { a: `${SECRET}-keeper-a`, b: `${SECRET}-keeper-b` } },
    attributes: { result: `${SECRET}-random`, id: 'none' },
    sensitive: { inputs: [['keepers', '*']], attributes: [['result']] },
  });
  run.setOutputs([
    { name: 'orders_uri', value: `${SECRET}-output`, sensitive: true },
    { name: 'creds', value: { user: 'app', password: `${SECRET}-nested-output` }, sensitive: true },
    { name: 'port', value: 5432, sensitive: false },
  ]);
  run.finish('applied');
  store.moveResource('default', 'database_instance.orders', 'database_instance.main');
  store.rollback('default', 1);
}

function assertNoSecret(t: import('ava').ExecutionContext, path: string, when: string): void {
  const files = rawFiles(path);
  t.true(files.length >= 1);
  for (const { name, bytes } of files) {
    const text = bytes.toString('latin1');
    for (const enc of encodingsOf(SECRET)) t.false(text.includes(enc), `${when}: ${name} contains ${enc}`);
    t.false(text.includes('7b1f3c'), `${when}: ${name} contains a fragment of the secret`);
  }
}

test('sensitive values are nowhere in the database or WAL files, and read back through the API', (t) => {
  const { path } = tempState();
  const store = StateStore.open(path);
  writeSecrets(store);
  const wal = rawFiles(path).find((f) => f.name.endsWith('-wal'));
  t.truthy(wal && wal.bytes.length > 0, 'the WAL holds the recent writes');
  assertNoSecret(t, path, 'while open');
  // A marker takes each secret's place in the stored JSON; non-sensitive values stay readable.
  const row = store.database.prepare("SELECT inputs, attributes FROM resources WHERE address = 'database_instance.orders'").get() as { inputs: string; attributes: string };
  t.deepEqual(JSON.parse(row.inputs).users, [{ name: 'app', password: '(sensitive)' }]);
  t.is(JSON.parse(row.attributes).port, 5432);
  store.close();
  assertNoSecret(t, path, 'after close');

  const again = StateStore.open(path);
  const st = again.readState('default')!;
  const orders = st.resources.find((r) => r.address === 'database_instance.orders')!;
  t.deepEqual(obj(orders.inputs).users, [{ name: 'app', password: `${SECRET}-user` }]);
  t.is(obj(orders.inputs).root_password, `${SECRET}-root`);
  t.is(obj(orders.attributes).connection_uri, `postgresql://app:${SECRET}-uri@127.0.0.1:5432/app`);
  t.deepEqual(obj(st.resources.find((r) => r.address === 'random_password.p["root"]')!.inputs).keepers, { a: `${SECRET}-keeper-a`, b: `${SECRET}-keeper-b` });
  t.deepEqual(plain(st.outputs), [
    { name: 'creds', value: { user: 'app', password: `${SECRET}-nested-output` }, sensitive: true },
    { name: 'orders_uri', value: `${SECRET}-output`, sensitive: true },
    { name: 'port', value: 5432, sensitive: false },
  ]);
  const moved = again.snapshot('default', 2)!.resources.find((r) => r.address === 'database_instance.main')!;
  t.is(obj(moved.attributes).connection_uri, `postgresql://app:${SECRET}-uri@127.0.0.1:5432/app`);
  t.deepEqual(plain(again.snapshot('default', 1)!.outputs), plain(st.outputs));
  again.close();
});

test('the key file is created with mode 0600 beside the state, and a group/world-readable one is refused', (t) => {
  const { path } = tempState();
  const store = StateStore.open(path);
  const keyFile = join(dirname(path), 'state.key');
  t.deepEqual(store.keySource, { kind: 'file', path: keyFile, created: true });
  t.is(statSync(keyFile).mode & 0o777, 0o600);
  writeSecrets(store);
  store.close();
  const key = readFileSync(keyFile, 'utf8').trim();
  t.regex(key, /^[0-9a-f]{64}$/);

  chmodSync(keyFile, 0o644);
  const e = t.throws(() => StateStore.open(path), { instanceOf: StateKeyError })!;
  t.is(e.problem, 'permissions');
  t.true(e.message.includes(`chmod 600 ${keyFile}`));
  t.false(e.message.includes(key));
  chmodSync(keyFile, 0o600);
  t.deepEqual(StateStore.open(path).keySource, { kind: 'file', path: keyFile, created: false });
});

test('a wrong key is refused at open with what to do; a missing key is not replaced by a new one', (t) => {
  const { path } = tempState();
  StateStore.open(path, { key: Buffer.from(KEY_HEX, 'hex') }).close();
  const wrong = Buffer.alloc(32, 7);
  const e = t.throws(() => StateStore.open(path, { key: wrong }), { instanceOf: StateKeyError })!;
  t.is(e.problem, 'wrong-key');
  t.is(e.message, `the state at ${path} was encrypted with a different key; set DBSTACK_STATE_KEY to the key it was written with`);

  // No option, no env, no key file: refuse rather than create a key that opens nothing.
  const m = t.throws(() => StateStore.open(path), { instanceOf: StateKeyError })!;
  t.is(m.problem, 'missing');
  t.throws(() => statSync(join(dirname(path), 'state.key')));

  const env = withEnv(Buffer.alloc(32, 9).toString('hex'), () => t.throws(() => StateStore.open(path), { instanceOf: StateKeyError }));
  t.regex(env!.message, /encrypted with a different key \(the key tried was DBSTACK_STATE_KEY\)/);
  t.throws(() => StateStore.open(path, { key: Buffer.alloc(16) }), { instanceOf: StateKeyError, message: /32-byte Buffer/ });
});

test('a key from a deleted key file cannot be silently regenerated, and a wrong key file is refused', (t) => {
  const { path } = tempState();
  StateStore.open(path).close();
  const keyFile = join(dirname(path), 'state.key');
  rmSync(keyFile);
  t.throws(() => StateStore.open(path), { instanceOf: StateKeyError, message: /no key was found/ });
  // A key file for another state: wrong key, naming where it came from.
  const { path: other } = tempState();
  StateStore.open(other).close();
  copyFileSync(join(dirname(other), 'state.key'), keyFile);
  chmodSync(keyFile, 0o600);
  const e = t.throws(() => StateStore.open(path), { instanceOf: StateKeyError })!;
  t.true(e.message.includes(`read from ${keyFile}`));
});

test('DBSTACK_STATE_KEY accepts 64 hex characters or base64 of 32 bytes and nothing else', (t) => {
  const { path } = tempState();
  const key = Buffer.from(KEY_HEX, 'hex');
  withEnv(KEY_HEX, () => {
    const s = StateStore.open(path);
    t.deepEqual(s.keySource, { kind: 'env' });
    writeSecrets(s);
    s.close();
  });
  t.throws(() => statSync(join(dirname(path), 'state.key')), undefined, 'no key file when the key comes from the environment');
  for (const text of [KEY_HEX.toUpperCase(), key.toString('base64'), key.toString('base64url'), `${key.toString('base64')}\n`, ` ${KEY_HEX}\n`]) {
    withEnv(text, () => {
      const s = StateStore.open(path);
      t.is(obj(s.readState('default')!.outputs.find((o) => o.name === 'orders_uri')!).value, `${SECRET}-output`, JSON.stringify(text));
      s.close();
    });
  }
  const bad = ['', 'abc', KEY_HEX.slice(1), `${KEY_HEX}00`, Buffer.alloc(31, 1).toString('base64'), Buffer.alloc(33, 1).toString('base64'), `zz${KEY_HEX.slice(2)}`];
  for (const text of bad) {
    const e = withEnv(text, () => t.throws(() => StateStore.open(path), { instanceOf: StateKeyError }, JSON.stringify(text)))!;
    t.is(e.problem, 'format');
    t.regex(e.message, /^DBSTACK_STATE_KEY is (empty|not a valid state key); expected 32 bytes written as 64 hexadecimal characters or as base64 \(44 characters\)/);
    if (text.length > 3) t.false(e.message.includes(text.trim()), 'the key text is never echoed');
  }
  t.deepEqual(parseKeyText(key.toString('base64'), 'x'), key);
});

test('a sealed blob moved to another row does not open there (row and stack are authenticated)', (t) => {
  const { path } = tempState();
  const store = StateStore.open(path, { key: Buffer.from(KEY_HEX, 'hex') });
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.commitResource(instance('database_instance.a', 'pw-a'));
  run.commitResource(instance('database_instance.b', 'pw-b'));
  run.finish('applied');
  store.database.exec(`UPDATE resources SET sealed = (SELECT sealed FROM resources WHERE address = 'database_instance.a') WHERE address = 'database_instance.b'`);
  const e = t.throws(() => store.readState('default'), { instanceOf: StateFileError })!;
  t.is(e.problem, 'corrupt');
  t.regex(e.message, /resource database_instance\.b of stack "default" in the state is damaged: its sealed values do not decrypt/);
  t.regex(e.message, /dbstack state rm database_instance\.b --stack default/);
  t.regex(e.message, /dbstack state rollback 1 --stack default/);
  store.close();
});

function withEnv<T>(value: string, fn: () => T): T {
  process.env[KEY_ENV] = value;
  try {
    return fn();
  } finally {
    delete process.env[KEY_ENV];
  }
}

test('control: the scan finds a value stored in clear, and its hex/base64 forms at any alignment', (t) => {
  const { path } = tempState();
  const store = StateStore.open(path);
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.commitResource({ address: 'network.n', provider: 'local', inputs: { note: SECRET }, attributes: {} }); // not marked sensitive
  const text = rawFiles(path)
    .map((f) => f.bytes.toString('latin1'))
    .join('');
  t.true(text.includes(SECRET));
  store.close();
  for (let k = 0; k < 3; k++) {
    const wrapped = Buffer.concat([Buffer.alloc(k + 5, 0x41), Buffer.from(SECRET), Buffer.alloc(7, 0x42)]);
    for (const form of [wrapped.toString('base64'), wrapped.toString('base64url'), wrapped.toString('hex')]) {
      t.true(
        encodingsOf(SECRET).some((e) => form.includes(e)),
        `${form} at offset ${k}`,
      );
    }
  }
});
