/** A provider's private data (part ids, the guest's key) is sealed whole: never stored in clear, read back intact, kept in history. */
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newObject } from '../../core/value.js';
import { StateStore } from '../../state/index.js';

test('private data round-trips sealed and appears nowhere in clear', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-private-'));
  const store = StateStore.open(join(dir, 'state.db'), { key: Buffer.alloc(32, 3) });
  const run = store.beginRun('s', { command: 'apply', lineage: '8f0a3c52-1e4b-4c2a-9d33-0a6b8e1f2c44', expectedSerial: 0 });
  const secret = 'guest-key-Zm9vYmFyYmF6cXV4';
  run.commitResource({
    address: 'database_instance.db',
    provider: 'openstack',
    providerId: 'srv-1',
    inputs: newObject([['name', 'db']]),
    attributes: newObject([['id', 'srv-1'], ['name', 'db']]),
    private: newObject([['key', secret], ['volume', 'vol-9']]),
  });
  run.commitResource({ address: 'network.n', provider: 'openstack', inputs: newObject(), attributes: newObject([['id', 'n']]) });
  run.finish('applied');
  const [db, net] = store.readState('s')!.resources;
  t.deepEqual({ ...(db!.private as object) }, { key: secret, volume: 'vol-9' });
  t.is(net!.private, undefined);
  t.deepEqual({ ...(store.snapshot('s', 1)!.resources[0]!.private as object) }, { key: secret, volume: 'vol-9' });
  store.close();
  for (const f of ['state.db', 'state.db-wal']) {
    try {
      t.false(readFileSync(join(dir, f)).includes(secret), `${f} holds the key in clear`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
});
