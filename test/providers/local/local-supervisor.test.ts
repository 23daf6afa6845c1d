/**
 * The local cloud end to end: a real supervisor process (detached), real brokers (aedes,
 * Mosquitto), real guest agents and engines. DBSTACK_TEST_FAST=1 is set in the supervisor's
 * environment (test-only engine speed-ups).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { Redis } from 'ioredis';
import pg from 'pg';
import { portIsFree } from '../../../guest/datastores/ports.js';
import { pidAlive } from '../../../guest/datastores/process.js';
import { connectMqtt, endMqtt } from '../../../guest/protocol/mqtt-connect.js';
import { instanceTopic } from '../../../guest/protocol/topics.js';
import { stateLayout } from '../../../providers/local/supervisor/paths.js';
import { connectSupervisor } from '../../../providers/local/supervisor-client.js';
import { conductorOf, FAST_ENV, recordStatuses, startCloud, tempStateDir, waitUntil } from '../../support/local-cloud.js';

const CLIENT_JS = fileURLToPath(new URL('../../../providers/local/supervisor-client.js', import.meta.url));
const SUPERVISOR_JS = fileURLToPath(new URL('../../../providers/local/supervisor/main.js', import.meta.url));
const ENGINE_MS = 90_000;

const redisSpec = { datastore: 'redis', databases: [{ name: '0' }], users: [{ name: 'app', password: 'pw-local-redis', databases: ['0'] }] };

async function withRedis<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', username: 'app', password: 'pw-local-redis', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await r.connect();
  try { return await fn(r); } finally { r.disconnect(); }
}

test('redis on the embedded broker: detached start, converge, agent restart, data across down/up, delete', async (t) => {
  const dir = tempStateDir(t, 'redis');
  // Started by another process that exits at once: the supervisor must outlive it.
  const starter = spawnSync(process.execPath, ['--input-type=module', '-e',
    `const m = await import(${JSON.stringify(CLIENT_JS)}); const c = await m.ensureSupervisor({ stateDir: ${JSON.stringify(dir)} }); console.log(c.pid);`],
  { env: FAST_ENV, encoding: 'utf8' });
  t.is(starter.status, 0, starter.stderr);
  const firstPid = Number(starter.stdout.trim());
  const client = await connectSupervisor(dir);
  t.truthy(client, 'the supervisor answers after its starter exited');
  t.is(client!.pid, firstPid);
  const info = await client!.info();
  t.is(info.broker, 'embedded');
  t.regex(info.brokerUrl, /^mqtt:\/\/127\.0\.0\.1:\d+$/);

  const inst = await client!.createInstance({ name: 'cache', datastore: 'redis', volumeSize: 1, labels: { stack: 'test' } });
  t.regex(inst.id, /^[0-9a-f-]{36}$/);
  t.true(inst.agent.running);
  t.is(inst.dataDir, stateLayout(dir).dataDir(inst.id));
  const agentJson = JSON.parse(readFileSync(stateLayout(dir).agentConfig(inst.id), 'utf8')) as { fast: boolean; port: number };
  t.true(agentJson.fast, 'DBSTACK_TEST_FAST=1 reached the agent config');
  t.is(statSync(stateLayout(dir).agentConfig(inst.id)).mode & 0o777, 0o600, 'agent.json holds secrets');

  const c = await conductorOf(t, client!);
  const seen = await recordStatuses(c, inst.id, inst.key);
  const conv = c.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  await c.publishDesired(inst.id, inst.key, 1, redisSpec);
  t.is((await conv).phase, 'ready');
  await withRedis(inst.port, (r) => r.set('greeting', 'kept across restarts'));

  // kill -9 the agent: the supervisor restarts it and it reports ready again
  const oldPid = inst.agent.pid!;
  const killedAt = Date.now();
  process.kill(oldPid, 'SIGKILL');
  const restarted = await waitUntil(async () => {
    const i = await client!.getInstance(inst.id);
    return i && i.agent.restarts === 1 && i.agent.running && i.agent.pid !== oldPid ? i : undefined;
  }, 30_000, 'agent restart');
  t.regex(restarted.agent.lastExit ?? '', /SIGKILL/);
  await waitUntil(() => seen.some((s) => s.phase === 'ready' && Date.parse(s.at) > killedAt), ENGINE_MS, 'ready after the restart');
  t.is(await withRedis(inst.port, (r) => r.get('greeting')), 'kept across restarts');

  // local down: agents and engines stop, volumes stay
  const agentPid = restarted.agent.pid!;
  await client!.shutdown();
  t.false(pidAlive(firstPid), 'supervisor exited');
  t.false(pidAlive(agentPid), 'agent exited');
  t.true(await portIsFree(inst.port), 'engine stopped');
  t.false(existsSync(stateLayout(dir).runtimeFile));
  t.false(existsSync(stateLayout(dir).pidFile));
  t.true(existsSync(inst.dataDir));
  await c.close();

  // local up: the instance comes back with its data
  const again = await startCloud(dir);
  t.not(again.pid, firstPid);
  const back = await again.getInstance(inst.id);
  t.is(back?.port, inst.port);
  t.is(back?.key, inst.key);
  const c2 = await conductorOf(t, again);
  await c2.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  t.is(await withRedis(inst.port, (r) => r.get('greeting')), 'kept across restarts');

  // delete: agent gone, port free, directories removed; a second delete reports it was gone
  const pidBeforeDelete = back!.agent.pid!;
  t.deepEqual(await again.deleteInstance(inst.id), { existed: true });
  t.false(pidAlive(pidBeforeDelete));
  t.true(await portIsFree(inst.port));
  t.false(existsSync(stateLayout(dir).instanceDir(inst.id)));
  t.false(existsSync(stateLayout(dir).volume(inst.id)));
  t.deepEqual(await again.deleteInstance(inst.id), { existed: false });
  t.is(await again.getInstance(inst.id), undefined);
  t.deepEqual(await again.listInstances(), []);
});

test('a second supervisor on the same state dir is refused; resize grows only', async (t) => {
  const dir = tempStateDir(t, 'lock');
  const client = await startCloud(dir);
  const second = spawnSync(process.execPath, [SUPERVISOR_JS, '--state-dir', dir], { env: FAST_ENV, encoding: 'utf8', timeout: 20_000 });
  t.is(second.status, 1);
  t.regex(second.stderr, new RegExp(`another dbstack supervisor \\(pid ${client.pid}\\) already runs`));
  t.deepEqual(await client.info().then((i) => i.pid), client.pid, 'the first one still answers');

  const inst = await client.createInstance({ name: 'small', datastore: 'redis', volumeSize: 2, labels: {} });
  const grown = await client.resizeInstance(inst.id, { volumeSize: 5, name: 'bigger' });
  t.is(grown.volumeSize, 5);
  t.is(grown.name, 'bigger');
  await t.throwsAsync(client.resizeInstance(inst.id, { volumeSize: 3 }), { message: /cannot shrink to 3 GiB/ });
  await t.throwsAsync(client.createInstance({ name: '', datastore: 'oracle' as never, volumeSize: 0, labels: {} }), { message: /invalid instance request: name .*datastore .*volumeSize/ });
  t.is(JSON.parse(readFileSync(stateLayout(dir).instanceFile(inst.id), 'utf8')).volumeSize, 5, 'persisted');
  t.false(readFileSync(stateLayout(dir).instanceFile(inst.id), 'utf8').includes(JSON.parse(readFileSync(stateLayout(dir).agentConfig(inst.id), 'utf8')).password), 'no secret in instance.json');
});

test('postgresql keeps a table across local down/up', async (t) => {
  const dir = tempStateDir(t, 'pg');
  const client = await startCloud(dir);
  const inst = await client.createInstance({ name: 'db', datastore: 'postgresql', volumeSize: 1, labels: {} });
  const c = await conductorOf(t, client);
  const spec = { datastore: 'postgresql', databases: [{ name: 'appdb' }], users: [{ name: 'app', password: 'pw-local-pg', databases: ['appdb'] }] };
  const conv = c.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  await c.publishDesired(inst.id, inst.key, 1, spec);
  await conv;
  const uri = `postgresql://app:pw-local-pg@127.0.0.1:${inst.port}/appdb`;
  const q = async (sql: string) => {
    const db = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 10_000 });
    await db.connect();
    try { return (await db.query(sql)).rows; } finally { await db.end(); }
  };
  await q("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
  await c.close();
  await client.shutdown();
  t.true(await portIsFree(inst.port));

  const again = await startCloud(dir);
  const c2 = await conductorOf(t, again);
  await c2.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  t.deepEqual(await q('SELECT v FROM kept'), [{ v: 'still here' }]);
});

test('mosquitto: an instance converges; another guest cannot read its desired state', async (t) => {
  const dir = tempStateDir(t, 'mosq');
  const client = await startCloud(dir, 'mosquitto');
  const info = await client.info();
  t.is(info.broker, 'mosquitto');
  const [a, b] = await Promise.all([
    client.createInstance({ name: 'a', datastore: 'redis', volumeSize: 1, labels: {} }),
    client.createInstance({ name: 'b', datastore: 'redis', volumeSize: 1, labels: {} }),
  ]);
  const c = await conductorOf(t, client);
  const conv = c.waitConverged(a.id, a.key, 1, { timeoutMs: ENGINE_MS });
  await c.publishDesired(a.id, a.key, 1, redisSpec);
  await c.publishDesired(b.id, b.key, 1, redisSpec);
  t.is((await conv).phase, 'ready');
  await c.waitConverged(b.id, b.key, 1, { timeoutMs: ENGINE_MS });

  // B's own credential (as its agent has it): its own desired arrives, A's never does.
  const bPassword = (JSON.parse(readFileSync(stateLayout(dir).agentConfig(b.id), 'utf8')) as { password: string }).password;
  const spy = await connectMqtt({ url: info.brokerUrl, username: `guest-${b.id}`, password: bPassword, reconnectPeriodMs: 0 });
  t.teardown(() => endMqtt(spy, true));
  const got: string[] = [];
  spy.on('message', (topic) => got.push(topic));
  await spy.subscribeAsync(instanceTopic(a.id, 'desired'), { qos: 1 }).catch(() => undefined);
  await spy.subscribeAsync(instanceTopic(b.id, 'desired'), { qos: 1 });
  await waitUntil(() => got.includes(instanceTopic(b.id, 'desired')), 10_000, "B's own desired");
  await new Promise((r) => setTimeout(r, 1000));
  t.false(got.includes(instanceTopic(a.id, 'desired')), "A's desired was delivered to B's credential");

  // deleting A revokes its credential at the broker
  const aPassword = (JSON.parse(readFileSync(stateLayout(dir).agentConfig(a.id), 'utf8')) as { password: string }).password;
  await client.deleteInstance(a.id);
  await waitUntil(async () => {
    try { await endMqtt(await connectMqtt({ url: info.brokerUrl, username: `guest-${a.id}`, password: aPassword, reconnectPeriodMs: 0, connectTimeoutMs: 2000 }), true); return false; } catch { return true; }
  }, 10_000, "A's credential to be refused");
  t.pass();
});

test('a crashed supervisor: the next one stops its orphaned agent and engine and runs the instance again', async (t) => {
  const dir = tempStateDir(t, 'crash');
  const client = await startCloud(dir);
  const inst = await client.createInstance({ name: 'orphan', datastore: 'redis', volumeSize: 1, labels: {} });
  const c = await conductorOf(t, client);
  const conv = c.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  await c.publishDesired(inst.id, inst.key, 1, redisSpec);
  await conv;
  await withRedis(inst.port, (r) => r.set('k', 'v'));
  await c.close();

  process.kill(client.pid, 'SIGKILL');
  await waitUntil(() => !pidAlive(client.pid), 10_000, 'supervisor gone');
  t.true(pidAlive(inst.agent.pid!), 'the agent outlives a crashed supervisor');
  t.is(await connectSupervisor(dir), undefined, 'a stale supervisor.json is not a running supervisor');

  const again = await startCloud(dir);
  t.false(pidAlive(inst.agent.pid!), 'the orphaned agent was stopped');
  const back = await again.getInstance(inst.id);
  t.true(back?.agent.running);
  const c2 = await conductorOf(t, again);
  await c2.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_MS });
  t.is(await withRedis(inst.port, (r) => r.get('k')), 'v');
});
