/**
 * Issue 9, item 7: objects already gone when destroy runs (deleted outside dbstack) count as
 * deleted — destroy ends with an empty state, never a "complete" with resources still recorded.
 */
import { join } from 'node:path';
import test from 'ava';
import { connectSupervisor } from '../../../providers/local/supervisor-client.js';
import { LocalStack } from '../../support/local-stack.js';

test('destroy after the instance was deleted outside dbstack leaves an empty state', async (t) => {
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  const applied = await s.run('apply', s.file, '-auto-approve');
  t.is(applied.code, 0, applied.stdout + applied.stderr);
  const client = await connectSupervisor(join(s.dir, '.dbstack/local'));
  const [inst] = await client!.listInstances();
  t.deepEqual(await client!.deleteInstance(inst!.id), { existed: true });

  const destroyed = await s.run('destroy', s.file, '-auto-approve');
  t.is(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  t.regex(destroyed.stdout, /Already gone, removed from the state: database_instance\.orders/);
  t.is((await s.run('state', 'list')).stdout.trim(), '', 'nothing is left recorded');
  t.regex((await s.run('destroy', s.file, '-auto-approve')).stdout, /No changes/);
});
