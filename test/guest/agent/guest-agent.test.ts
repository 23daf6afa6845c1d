/**
 * The guest agent end to end: a real embedded (aedes) broker with per-instance credentials,
 * real engines, the Conductor publishing desired states. Configs set `fast: true`, the
 * test-only flag that passes `{ fast: true }` to the datastore driver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runAgent } from '../../../guest/agent/agent.js';
import { parseAgentConfig } from '../../../guest/agent/config.js';
import { freePort } from '../../../guest/datastores/driver.js';
import { portIsFree } from '../../../guest/datastores/ports.js';
import { pidAlive } from '../../../guest/datastores/process.js';
import { Conductor, ConvergeFailedError } from '../../../guest/protocol/conductor.js';
import type { StatusMessage } from '../../../guest/protocol/messages.js';
import { processesMentioning, tempRoot } from '../../support/datastore-harness.js';
import { brokerWithInstances, waitFor, type Instance, type TestBroker } from '../../support/guest-protocol-harness.js';

const MAIN_JS = fileURLToPath(new URL('../../../guest/agent/main.js', import.meta.url));
const ENGINE_START_MS = 90_000;

let env: { broker: TestBroker; conductor: { username: string; password: string }; instances: Instance[] };
const cleanups: (() => Promise<unknown> | unknown)[] = [];

test.before(async () => {
  env = await brokerWithInstances('aedes', 3, 'agent');
});

test.after.always(async () => {
  while (cleanups.length > 0) { try { await cleanups.pop()!(); } catch { /* best effort */ } }
  await env?.broker.stop();
});

async function conductor(): Promise<Conductor> {
  const c = await Conductor.connect({ url: env.broker.url, ...env.conductor, reconnectPeriodMs: 0 });
  cleanups.push(() => c.close());
  return c;
}

function writeConfig(dir: string, inst: Instance, fields: Record<string, unknown>): string {
  const file = join(dir, 'agent.json');
  const config = { instanceId: inst.id, brokerUrl: env.broker.url, password: inst.cred.password, key: inst.key, fast: true, ...fields };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

interface AgentProcess { child: ChildProcess; exited: Promise<number | null>; output(): string }

function spawnAgent(configFile: string): AgentProcess {
  const child = spawn(process.execPath, [MAIN_JS, '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return { child, exited, output: () => out };
}

async function statuses(c: Conductor, inst: Instance): Promise<StatusMessage[]> {
  const seen: StatusMessage[] = [];
  await c.watchStatus(inst.id, inst.key, (s) => seen.push(s));
  return seen;
}

async function asPgUser<T>(uri: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

function killLeftovers(dir: string): void {
  for (const pid of processesMentioning(dir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

test('postgresql: child-process agent converges, applies a new generation, reports a bad value, survives a restart, shuts down cleanly', async (t) => {
  const inst = env.instances[0]!;
  const tmp = tempRoot('agent-pg');
  cleanups.push(() => { killLeftovers(tmp.dataDir); tmp.remove(); });
  const port = await freePort();
  const configFile = writeConfig(tmp.root, inst, { datastore: 'postgresql', dataDir: tmp.dataDir, port, heartbeatMs: 1000 });
  let agent = spawnAgent(configFile);
  const c = await conductor();
  const seen = await statuses(c, inst);
  const uri = (user: string, pw: string) => `postgresql://${user}:${pw}@127.0.0.1:${port}/appdb`;

  try {
    // generation 1: a database and a user
    const spec1 = { datastore: 'postgresql', databases: [{ name: 'appdb' }], users: [{ name: 'app', password: 'pw-app-1', databases: ['appdb'] }] };
    const conv1 = c.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_START_MS });
    const t0 = performance.now();
    await c.publishDesired(inst.id, inst.key, 1, spec1);
    const st1 = await conv1;
    const ms1 = performance.now() - t0;
    t.log(`postgresql: desired gen 1 published → converged in ${ms1.toFixed(0)} ms (includes initdb + start)`);
    console.error(`guest-agent: postgresql desired gen 1 → converged ${ms1.toFixed(0)} ms (initdb + start + db + user)`);
    t.true(seen.some((s) => s.phase === 'starting'), 'starting was published');
    t.true(seen.some((s) => s.phase === 'converging' && s.observedGeneration === 1), 'converging was published');
    t.deepEqual(st1.databases, ['appdb']);
    t.deepEqual(st1.users, ['app']);
    t.deepEqual(st1.health, { ok: true });
    t.false(JSON.stringify(seen).includes('pw-app-1'), 'no password in any status');
    const rows = await asPgUser(uri('app', 'pw-app-1'), async (db) => {
      await db.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
      await db.query('INSERT INTO items VALUES (1, $1)', ['hello']);
      return (await db.query('SELECT label FROM items')).rows;
    });
    t.deepEqual(rows, [{ label: 'hello' }]);

    // generation 2: a second user and a live setting
    const spec2 = { ...spec1, config: { work_mem: '8MB' }, users: [...spec1.users, { name: 'reader', password: 'pw-reader', databases: ['appdb'] }] };
    const conv2 = c.waitConverged(inst.id, inst.key, 2, { timeoutMs: ENGINE_START_MS });
    const t2 = performance.now();
    await c.publishDesired(inst.id, inst.key, 2, spec2);
    const st2 = await conv2;
    t.log(`postgresql: desired gen 2 published → converged in ${(performance.now() - t2).toFixed(0)} ms (engine running)`);
    t.deepEqual(st2.users, ['app', 'reader']);
    // Reported as the spec gave it while the engine's reading ('8192' kB) is what applying it left: no drift.
    t.deepEqual(st2.config, { work_mem: '8MB' });
    t.is(await asPgUser(uri('reader', 'pw-reader'), async (db) => (await db.query('SHOW work_mem')).rows[0].work_mem), '8MB');

    // generation 3: a value the engine rejects → failed with the engine-derived message
    const conv3 = c.waitConverged(inst.id, inst.key, 3, { timeoutMs: ENGINE_START_MS });
    await c.publishDesired(inst.id, inst.key, 3, { ...spec2, config: { max_connections: -5 } });
    const err = await t.throwsAsync(conv3, { instanceOf: ConvergeFailedError });
    t.regex(err!.message, /max_connections: -5 is out of range \[1, \d+\]/);

    // SIGTERM: offline status, engine gone, port free, exit 0
    const enginePid = Number(readFileSync(join(tmp.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    t.true(pidAlive(enginePid));
    agent.child.kill('SIGTERM');
    t.is(await agent.exited, 0, agent.output());
    t.false(pidAlive(enginePid), 'engine process gone');
    t.true(await portIsFree(port), 'engine port free');
    await waitFor(() => seen.at(-1)?.phase === 'offline', 10_000, 'offline status');
    t.is(seen.at(-1)!.observedGeneration, 3);

    // restart: the persisted state republishes gen 3's outcome, the retained desired is a replay
    const before = seen.length;
    agent = spawnAgent(configFile);
    await waitFor(() => seen.slice(before).some((s) => s.phase === 'failed'), ENGINE_START_MS, 'restored failed status');
    const restored = seen.slice(before).find((s) => s.phase === 'failed')!;
    t.is(restored.observedGeneration, 3);
    t.regex(restored.error!, /max_connections/);
    const conv4 = c.waitConverged(inst.id, inst.key, 4, { timeoutMs: ENGINE_START_MS });
    await c.publishDesired(inst.id, inst.key, 4, spec2);
    t.is((await conv4).observedGeneration, 4);
    t.deepEqual(await asPgUser(uri('app', 'pw-app-1'), async (db) => (await db.query('SELECT label FROM items')).rows), [{ label: 'hello' }]);
    agent.child.kill('SIGTERM');
    t.is(await agent.exited, 0, agent.output());
    t.true(await portIsFree(port));
    t.deepEqual(processesMentioning(tmp.dataDir), []);
  } catch (e) {
    t.log(agent.output());
    throw e;
  }
});

test('redis: in-process runAgent converges fast, heartbeats, stops on abort', async (t) => {
  const inst = env.instances[1]!;
  const tmp = tempRoot('agent-redis');
  cleanups.push(() => tmp.remove());
  const port = await freePort();
  const config = parseAgentConfig({
    instanceId: inst.id, brokerUrl: env.broker.url, password: inst.cred.password, key: inst.key,
    datastore: 'redis', dataDir: tmp.dataDir, port, heartbeatMs: 200, fast: true,
  });
  const c = await conductor();
  const seen = await statuses(c, inst);
  const ac = new AbortController();
  const logs: string[] = [];
  const running = runAgent(config, { signal: ac.signal, log: (l) => logs.push(l) });
  cleanups.push(async () => { ac.abort(); await running.catch(() => {}); });
  try {
    const spec = {
      datastore: 'redis', config: { 'maxmemory-policy': 'allkeys-lru' },
      databases: [{ name: '0' }], users: [{ name: 'app', password: 'pw-redis', databases: ['0'] }],
    };
    const conv = c.waitConverged(inst.id, inst.key, 1, { timeoutMs: ENGINE_START_MS });
    const t0 = performance.now();
    await c.publishDesired(inst.id, inst.key, 1, spec);
    const st = await conv;
    t.log(`redis: desired gen 1 published → converged in ${(performance.now() - t0).toFixed(0)} ms`);
    t.deepEqual(st.users, ['app']);
    t.deepEqual(st.config, { 'maxmemory-policy': 'allkeys-lru' });
    const r = new Redis({ port, host: '127.0.0.1', username: 'app', password: 'pw-redis', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    await r.connect();
    try {
      await r.set('greeting', 'hello');
      t.is(await r.get('greeting'), 'hello');
    } finally { r.disconnect(); }
    // heartbeat: ready republished (with the key now observed in db 0)
    const n = seen.length;
    await waitFor(() => seen.slice(n).filter((s) => s.phase === 'ready').length >= 2, 10_000, 'two heartbeats');
    await waitFor(() => JSON.stringify(seen.at(-1)?.databases) === '["0"]', 10_000, 'heartbeat observing db 0');
    t.false(JSON.stringify(seen).includes('pw-redis'));
    const redisPids = processesMentioning(`127.0.0.1:${port}`);
    t.true(redisPids.length > 0, 'redis-server running');

    ac.abort();
    await running;
    t.true(await portIsFree(port), 'redis port free');
    t.deepEqual(redisPids.filter(pidAlive), [], 'redis-server gone');
    await waitFor(() => seen.at(-1)?.phase === 'offline', 10_000, 'offline status');
  } catch (e) {
    t.log(logs.join('\n'));
    throw e;
  }
});
