/**
 * Chaos on the local cloud: the CLI is killed (SIGKILL) at random moments during apply and
 * destroy of a three-engine stack (PostgreSQL, MariaDB, Redis, each with a database and/or a
 * user), alternating apply-kill and destroy-kill against one local cloud. After each kill:
 * no duplicate instance (one per address), no orphan (every instance the local cloud runs, and
 * every agent process and volume, is recorded in the state or pending in its journal so the
 * next run adopts or removes it) and a truthful state (every recorded instance exists, unless
 * its delete is pending). At the end the next runs converge: apply → a "No changes" plan;
 * destroy → an empty state, no processes, no volumes. Kill moments and outcomes go to t.log.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { processesMentioning } from '../../guest/datastores/process.js';
import { connectSupervisor } from '../../providers/local/supervisor-client.js';
import { StateStore } from '../../state/index.js';
import { cliPath } from '../support/cli.js';
import { FAST_ENV, LocalStack } from '../support/local-stack.js';

const KILLS = Number(process.env.DBSTACK_CHAOS_KILLS ?? 20); // per operation (apply and destroy)

const STACK = `
resource "database_instance" "pg" {
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
  database "app" {}
  user "app" {
    password  = "pg-secret-123"
    databases = ["app"]
  }
}

resource "database_instance" "maria" {
  datastore = { type = "mariadb" } # no version: the one the guest runs is kept, never planned away
  flavor    = "db.small"
  volume    = { size = 1 }
  database "shop" {}
}

resource "database_user" "shopper" {
  instance  = database_instance.maria.id
  name      = "shopper"
  password  = "maria-secret-123"
  databases = ["shop"]
}

resource "database_instance" "cache" {
  datastore = { type = "redis", version = "7" }
  flavor    = "db.small"
  volume    = { size = 1 }
  user "app" {
    password = "redis-secret-123"
  }
}
`;

/** Runs the CLI; kills it with SIGKILL after `killAfterMs` (undefined: runs to the end). */
function runCli(s: LocalStack, args: string[], killAfterMs?: number): Promise<{ killed: boolean; code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: s.dir, env: { ...process.env, ...FAST_ENV, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ killed: signal === 'SIGKILL', code, out, ms: Date.now() - t0 });
    });
  });
}

interface Check { problems: string[]; instances: number; recorded: number; pending: number }

/** The invariants after a kill, as a list of problems (empty when all hold). */
async function check(s: LocalStack): Promise<Check> {
  const cloud = join(s.dir, '.dbstack/local');
  const problems: string[] = [];
  // directories first, then the list: the supervisor may still finish a create the killed CLI
  // asked for, and an instance made after the listing would look unknown
  const dirs = ['instances', 'volumes'].map((d) => {
    const base = join(cloud, d);
    return { d, base, ids: existsSync(base) ? readdirSync(base) : [] };
  });
  const client = await connectSupervisor(cloud);
  const instances = client ? await client.listInstances() : [];
  let recorded: { address: string; id: string }[] = [];
  let pending: { address: string; action: string }[] = [];
  const dbFile = join(s.dir, '.dbstack/state.db');
  if (existsSync(dbFile)) {
    const store = StateStore.open(dbFile);
    try {
      for (const st of store.listStacks()) {
        const state = store.readState(st.name);
        recorded.push(...(state?.resources ?? []).filter((r) => r.address.startsWith('database_instance.')).map((r) => ({ address: r.address, id: String(r.providerId ?? '') })));
        pending.push(...store.openJournal(st.name).map((j) => ({ address: j.address, action: j.action })));
      }
    } finally { store.close(); }
  }
  const byAddress = new Map<string, string[]>();
  for (const i of instances) byAddress.set(i.labels.address ?? '?', [...(byAddress.get(i.labels.address ?? '?') ?? []), i.id]);
  for (const [address, ids] of byAddress) if (ids.length > 1) problems.push(`duplicate instances for ${address}: ${ids.join(', ')}`);
  const ids = new Set(instances.map((i) => i.id));
  for (const i of instances) {
    const inState = recorded.some((r) => r.id === i.id);
    const createPending = pending.some((p) => p.address === i.labels.address && p.action === 'create');
    if (!inState && !createPending) problems.push(`orphan instance ${i.id} (${i.labels.address}): not in the state, no pending create`);
  }
  for (const r of recorded) {
    const deletePending = pending.some((p) => p.address === r.address && /delete/.test(p.action));
    if (!ids.has(r.id) && !deletePending) problems.push(`the state records ${r.address} (${r.id}), which does not exist and has no pending delete`);
  }
  // processes and volumes of the local cloud belong to instances it knows
  for (const { d, base, ids: seen } of dirs) {
    for (const id of seen) {
      if (ids.has(id)) continue; // (one deleted meanwhile is gone from the disk too)
      if (processesMentioning(join(base, id)).length) problems.push(`processes of unknown instance ${id} run`);
      if (d === 'volumes' && existsSync(join(base, id))) problems.push(`volume of unknown instance ${id} left`);
    }
  }
  return { problems, instances: instances.length, recorded: recorded.length, pending: pending.length };
}

test('SIGKILLs of the CLI during apply and destroy of a three-engine stack never duplicate, orphan or misrecord; the next runs converge', async (t) => {
  t.timeout(900_000);
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  const file = join(s.dir, 'chaos.hcl');
  writeFileSync(file, STACK);

  // one full apply and destroy to learn how long each takes: kill moments spread over them
  const full = await runCli(s, ['apply', file, '-auto-approve']);
  t.is(full.code, 0, full.out);
  const fullDestroy = await runCli(s, ['destroy', file, '-auto-approve']);
  t.is(fullDestroy.code, 0, fullDestroy.out);
  // the CLI's own start and refresh come before any change: kills land after it, up to the end
  const idle = await runCli(s, ['plan', file]);
  const lead = Math.min(idle.ms, full.ms / 2);
  t.log(`full apply ${full.ms} ms, full destroy ${fullDestroy.ms} ms, CLI start + refresh ${idle.ms} ms`);

  const outcomes = { apply: { killed: 0, finished: 0 }, destroy: { killed: 0, finished: 0 } };
  const problems: string[] = [];
  for (let i = 0; i < KILLS * 2; i++) {
    const op = i % 2 === 0 ? 'apply' : 'destroy';
    const span = op === 'apply' ? full.ms : fullDestroy.ms;
    const delay = Math.round(lead + Math.random() * Math.max(span - lead, 500));
    const r = await runCli(s, [op, file, '-auto-approve'], delay);
    outcomes[op][r.killed ? 'killed' : 'finished']++;
    const c = await check(s);
    const last = r.out.trim().split('\n').at(-1) ?? '';
    t.log(`#${i + 1} ${op} kill at ${delay} ms: ${r.killed ? 'killed' : `finished (exit ${r.code})`}; ${c.instances} instance(s), ${c.recorded} recorded, ${c.pending} pending${c.problems.length ? `; PROBLEMS: ${c.problems.join('; ')}` : ''}${r.killed ? '' : ` — ${last}`}`);
    if (!r.killed && r.code !== 0) problems.push(`#${i + 1} ${op} exited ${r.code} without a kill:\n${r.out}`);
    problems.push(...c.problems.map((p) => `#${i + 1} ${op}: ${p}`));
  }
  t.log(`apply: ${outcomes.apply.killed} killed, ${outcomes.apply.finished} finished before the kill; destroy: ${outcomes.destroy.killed} killed, ${outcomes.destroy.finished} finished`);

  // convergence: apply, then nothing left to do; destroy, then nothing left at all
  const apply = await runCli(s, ['apply', file, '-auto-approve']);
  t.is(apply.code, 0, apply.out);
  const plan = await runCli(s, ['plan', file]);
  t.regex(plan.out, /No changes/, plan.out);
  const destroy = await runCli(s, ['destroy', file, '-auto-approve']);
  t.is(destroy.code, 0, destroy.out);
  const end = await check(s);
  t.deepEqual(problems, []);
  t.deepEqual(end, { problems: [], instances: 0, recorded: 0, pending: 0 });
  const cloud = join(s.dir, '.dbstack/local');
  t.deepEqual(existsSync(join(cloud, 'volumes')) ? readdirSync(join(cloud, 'volumes')) : [], [], 'no data dirs left');
  t.deepEqual(processesMentioning(join(cloud, 'instances')), [], 'no agent processes left');
});
