/**
 * bench/agent-idle: resident memory of an idle guest agent process.
 *
 * For each datastore whose engine is installed (redis, postgresql, mariadb — one at a time) a
 * real agent process (`node dist/guest/agent/main.js --config agent.json`, `fast: true`)
 * runs against the embedded aedes broker; the conductor publishes a desired spec with one
 * database and one user, waits for convergence, lets the agent idle 5 s, then reads VmRSS /
 * VmHWM (and the RssAnon/RssFile split) of the agent process only — not the engine — from
 * /proc/<pid>/status. Then SIGTERM and wait for exit.
 * Target: idle agent ≤ 50 MB RSS.
 *
 * A second table shows what the agent's imports cost: fresh node processes that import one
 * module graph each and report their RSS (the agent's module graph vs. only one driver).
 *
 *   node dist/bench/agent-idle.js [--idle-ms 5000] [--only redis,postgresql,mariadb] [--imports]
 *     [--agent-main FILE]   (another build of main.js, for A/B comparisons)
 *     [--imports]           (always print the module-graph table)
 */
import { processesMentioning } from '../guest/datastores/process.js';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newConductorCredential, newGuestCredential, type BrokerCredential } from '../messaging/credentials.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../messaging/embedded.js';
import { PasswordStore } from '../messaging/password-store.js';
import { createDriver, freePort, type DatastoreType } from '../guest/datastores/driver.js';
import { Conductor } from '../guest/protocol/conductor.js';
import type { DesiredSpec } from '../guest/protocol/messages.js';
import { newInstanceKey } from '../guest/protocol/seal.js';

const TARGET_MB = 50;
const CONVERGE_TIMEOUT_MS = 180_000;
const EXIT_TIMEOUT_MS = 90_000;
const DIST = fileURLToPath(new URL('..', import.meta.url));
const DATASTORES: DatastoreType[] = ['redis', 'postgresql', 'mariadb'];

function argValue(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
}

const MAIN_JS = argValue('agent-main') ?? join(DIST, 'guest/agent/main.js');

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** VmRSS, VmHWM, RssAnon, RssFile of `pid` in MB (from /proc/<pid>/status, kB). */
function procMemory(pid: number): Record<'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile', number> {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string) => {
    const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!m) throw new Error(`/proc/${pid}/status has no ${k}`);
    return Number(m[1]) / 1024;
  };
  return { VmRSS: get('VmRSS'), VmHWM: get('VmHWM'), RssAnon: get('RssAnon'), RssFile: get('RssFile') };
}


interface Row { ds: DatastoreType; convergeMs: number; mem: ReturnType<typeof procMemory> }

async function measure(ds: DatastoreType, broker: EmbeddedBroker, store: PasswordStore, conductorCred: BrokerCredential, idleMs: number): Promise<Row> {
  const instanceId = `bench-idle-${ds}-${Math.random().toString(36).slice(2, 8)}`;
  const key = newInstanceKey();
  const guest = newGuestCredential(instanceId);
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const root = mkdtempSync(join(tmpdir(), `dbstack-bench-agent-${ds}-`));
  chmodSync(root, 0o755); // the engine's system user must traverse to its data dir
  const dataDir = join(root, 'data');
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  // Anything still running from this data dir (an engine left behind by a killed agent).
  cleanups.push(() => { for (const pid of processesMentioning(dataDir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } } });
  let output = '';
  try {
    await store.add(guest);
    cleanups.push(() => store.remove(guest.username));
    const port = await freePort();
    const configFile = join(root, 'agent.json');
    writeFileSync(configFile, JSON.stringify({
      instanceId, brokerUrl: broker.url, password: guest.password, key, datastore: ds, dataDir, port, fast: true,
    }, null, 2), { mode: 0o600 });

    const conductor = await Conductor.connect({ url: broker.url, ...conductorCred, reconnectPeriodMs: 0 });
    cleanups.push(() => conductor.close());

    const c = spawn(process.execPath, [MAIN_JS, '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), EXIT_TIMEOUT_MS);
      await exited;
      clearTimeout(t);
    });

    const db = ds === 'redis' ? '0' : 'appdb';
    const spec: DesiredSpec = {
      datastore: ds, databases: [{ name: db }], users: [{ name: 'app', password: 'bench-pw-1', databases: [db] }],
    };
    const t0 = performance.now();
    const converged = conductor.waitConverged(instanceId, key, 1, { timeoutMs: CONVERGE_TIMEOUT_MS });
    await conductor.publishDesired(instanceId, key, 1, spec);
    await Promise.race([converged, exited.then((code) => { throw new Error(`agent exited (${code}) before converging`); })]);
    const convergeMs = performance.now() - t0;

    await delay(idleMs);
    if (c.exitCode !== null) throw new Error(`agent exited (${c.exitCode}) while idle`);
    const mem = procMemory(c.pid!);

    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`agent exited with ${code} after SIGTERM`);
    return { ds, convergeMs, mem };
  } catch (e) {
    const tail = output.trim().split('\n').slice(-10).join('\n  ');
    throw new Error(`${e instanceof Error ? e.message : String(e)}${tail ? `\n  agent output:\n  ${tail}` : ''}`);
  } finally {
    while (cleanups.length > 0) { try { await cleanups.pop()!(); } catch { /* best effort */ } }
  }
}

/** RSS (MB) of a fresh node process after importing `modules` and idling 1 s. */
function importCost(modules: string[]): { rss: number; heap: number } {
  const code = [
    `for (const m of ${JSON.stringify(modules)}) await import(m);`,
    'await new Promise((r) => setTimeout(r, 1000));',
    'const u = process.memoryUsage();',
    'process.stdout.write(JSON.stringify({ rss: u.rss / 1048576, heap: u.heapUsed / 1048576 }));',
  ].join('\n');
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: DIST })) as { rss: number; heap: number });
  return runs.sort((a, b) => a.rss - b.rss)[1]!; // median of 3
}

function importTable(): void {
  const d = (p: string) => pathToFileURL(join(DIST, p)).href;
  const base = [d('guest/protocol/agent-link.js'), d('guest/agent/reconcile.js'), d('guest/agent/config.js')];
  const rows: [string, string[]][] = [
    ['node, nothing imported', []],
    ['mqtt', ['mqtt']],
    ['pg', ['pg']],
    ['mysql2/promise', ['mysql2/promise']],
    ['ioredis', ['ioredis']],
    ['AgentLink + reconcile + config (no driver)', base],
    ['  + redis driver only', [...base, d('guest/datastores/redis.js')]],
    ['  + postgresql driver only', [...base, d('guest/datastores/postgresql.js')]],
    ['  + mariadb driver only', [...base, d('guest/datastores/mariadb.js')]],
    ['agent.js as today (driver.ts → all three)', [d('guest/agent/agent.js')]],
  ];
  console.log('module graph (fresh node, median of 3, 1 s after import)        RSS(MB)  heapUsed(MB)');
  for (const [label, mods] of rows) {
    const r = importCost(mods);
    console.log(`${label.padEnd(62)} ${r.rss.toFixed(1).padStart(8)} ${r.heap.toFixed(1).padStart(13)}`);
  }
}

async function available(ds: DatastoreType): Promise<string | undefined> {
  try {
    await createDriver(ds).version();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function main(): Promise<void> {
  const idleMs = Number(argValue('idle-ms') ?? 5000);
  const only = argValue('only')?.split(',') as DatastoreType[] | undefined;
  const wanted = only ?? DATASTORES;
  console.log(`bench/agent-idle: agent process (${process.execPath} ${MAIN_JS}) after converging 1 database + 1 user and idling ${idleMs} ms; agent only, not the engine`);

  const conductorCred = newConductorCredential();
  const store = new PasswordStore();
  await store.add(conductorCred);
  const broker = await startEmbeddedBroker({ store });
  const rows: Row[] = [];
  let failed = false;
  const onSignal = () => { void broker.close().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  try {
    console.log('datastore    converge(ms)  VmRSS(MB)  VmHWM(MB)  RssAnon(MB)  RssFile(MB)  ≤ 50 MB');
    for (const ds of wanted) {
      const why = await available(ds);
      if (why) {
        console.log(`${ds.padEnd(12)} skipped: ${why}`);
        continue;
      }
      try {
        const r = await measure(ds, broker, store, conductorCred, idleMs);
        rows.push(r);
        const f = (x: number, w: number) => x.toFixed(1).padStart(w);
        console.log(`${ds.padEnd(12)} ${f(r.convergeMs, 12)} ${f(r.mem.VmRSS, 10)} ${f(r.mem.VmHWM, 10)} ${f(r.mem.RssAnon, 12)} ${f(r.mem.RssFile, 12)}  ${r.mem.VmRSS <= TARGET_MB ? 'met' : 'NOT MET'}`);
      } catch (e) {
        failed = true;
        console.log(`${ds.padEnd(12)} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    await broker.close();
  }
  console.log(`target: idle agent VmRSS ≤ ${TARGET_MB} MB`);
  if (rows.some((r) => r.mem.VmRSS > TARGET_MB) || process.argv.includes('--imports')) {
    console.log('');
    console.log('why: RSS of the module graphs the agent loads');
    importTable();
  }
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 1;
});
