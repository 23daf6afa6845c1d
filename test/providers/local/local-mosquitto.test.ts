/** The local cloud on a private Mosquitto 2 broker (password file + per-user ACL) instead of the embedded one. */
import test from 'ava';
import { Redis } from 'ioredis';
import { LocalStack } from '../../support/local-stack.js';

test('apply, update and destroy with the local cloud on Mosquitto', async (t) => {
  const s = new LocalStack('redis.hcl', { DBSTACK_LOCAL_BROKER: 'mosquitto' });
  t.teardown(() => s.dispose());
  const applied = await s.run('apply', s.file, '-auto-approve');
  t.is(applied.code, 0, applied.stdout + applied.stderr);
  const status = JSON.parse((await s.run('local', 'status', '--json')).stdout) as { supervisor: { broker: string } };
  t.is(status.supervisor.broker, 'mosquitto');

  const port = Number(await s.output('cache_port'));
  const app = new Redis(await s.output('cache_uri'));
  await app.set('k', 'v');
  app.disconnect();

  s.edit((x) => x.replace('  user "app" {', '  user "worker" {\n    password = "worker-secret-1"\n  }\n\n  user "app" {'));
  const updated = await s.run('apply', s.file, '-auto-approve');
  t.regex(updated.stdout, /Resources: 0 added, 1 changed, 0 destroyed/, updated.stderr);
  const worker = new Redis({ port, username: 'worker', password: 'worker-secret-1' });
  t.is(await worker.get('k'), 'v');
  worker.disconnect();

  // The broker keeps what it needs across a restart of the local cloud: the next update works.
  t.is((await s.run('local', 'down')).code, 0);
  t.is((await s.run('local', 'up')).code, 0);
  s.edit((x) => x.replace('password = "worker-secret-1"', 'password = "worker-secret-2"'));
  const again = await s.run('apply', s.file, '-auto-approve');
  t.regex(again.stdout, /Resources: 0 added, 1 changed, 0 destroyed/, again.stderr);
  const rotated = new Redis({ port, username: 'worker', password: 'worker-secret-2' });
  t.is(await rotated.get('k'), 'v', 'data survived local down/up');
  rotated.disconnect();

  t.regex((await s.run('destroy', s.file, '-auto-approve')).stdout, /Resources: 0 added, 0 changed, 2 destroyed/);
});
