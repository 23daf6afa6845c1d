/**
 * bench/converge-latency: how quickly the control plane acts on a guest's `ready`.
 *
 * For each generation N the conductor publishes desired N; the agent link receives it and at
 * once publishes `ready` with observedGeneration = N (no engine). Measured: from just before
 * AgentLink.publishStatus(ready, N) to Conductor.waitConverged(N) resolving, with
 * performance.now() in this one process (both MQTT clients live here). Run on the embedded
 * aedes broker and on a private Mosquitto 2 process (own temp dir, own free port).
 * Target: p99 ≤ 50 ms. Poll-based tools are printed for comparison.
 *
 *   node dist/bench/converge-latency.js [--n 300] [--warmup 20]
 */
import { freePort } from '../guest/datastores/ports.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newConductorCredential, newGuestCredential, type BrokerCredential } from '../messaging/credentials.js';
import { startEmbeddedBroker } from '../messaging/embedded.js';
import { MOSQUITTO_BIN, startMosquitto, writeMosquittoConfig } from '../messaging/mosquitto.js';
import { PasswordStore } from '../messaging/password-store.js';
import { AgentLink } from '../guest/protocol/agent-link.js';
import { Conductor } from '../guest/protocol/conductor.js';
import { newInstanceKey } from '../guest/protocol/seal.js';

const TARGET_P99_MS = 50;

interface Broker { url: string; stop(): Promise<void> }

function argNumber(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}


async function startAedes(credentials: BrokerCredential[]): Promise<Broker> {
  const store = new PasswordStore();
  await store.addAll(credentials);
  const b = await startEmbeddedBroker({ store });
  return { url: b.url, stop: () => b.close() };
}

async function startPrivateMosquitto(credentials: BrokerCredential[]): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-mosq-'));
  let lastErr: unknown;
  try {
    // The free port is released before mosquitto binds it; retry on the rare collision.
    for (let attempt = 0; attempt < 3; attempt++) {
      const files = await writeMosquittoConfig(dir, { port: await freePort(), credentials });
      try {
        const m = await startMosquitto(files);
        return {
          url: m.url,
          stop: async () => {
            try { await m.stop(); } finally { rmSync(dir, { recursive: true, force: true }); }
          },
        };
      } catch (e) {
        lastErr = e;
      }
    }
  } catch (e) {
    lastErr = e;
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface Result { p50: number; p95: number; p99: number; max: number; mean: number; n: number }

async function run(kind: string, start: (c: BrokerCredential[]) => Promise<Broker>, n: number, warmup: number): Promise<Result> {
  const instanceId = `bench-${kind}-${Math.random().toString(36).slice(2, 10)}`;
  const key = newInstanceKey();
  const guest = newGuestCredential(instanceId);
  const conductorCred = newConductorCredential();
  const broker = await start([conductorCred, guest]);
  const closers: (() => Promise<unknown>)[] = [() => broker.stop()];
  try {
    const conductor = await Conductor.connect({ url: broker.url, ...conductorCred, reconnectPeriodMs: 0 });
    closers.push(() => conductor.close());
    const readyAt = new Map<number, number>();
    let link!: AgentLink;
    link = await AgentLink.connect({
      url: broker.url, instanceId, key, password: guest.password, reconnectPeriodMs: 0,
      onDesired: async (d) => {
        readyAt.set(d.generation, performance.now());
        await link.publishStatus({ observedGeneration: d.generation, phase: 'ready', databases: ['app'], users: ['app'] });
      },
    });
    closers.push(() => link.close());

    const spec = { datastore: 'postgresql', version: '16', databases: [{ name: 'app' }], users: [{ name: 'app', password: 'bench-pw' }] };
    const latencies: number[] = [];
    for (let gen = 1; gen <= warmup + n; gen++) {
      const converged = conductor.waitConverged(instanceId, key, gen, { timeoutMs: 10_000 }).then((st) => ({ st, at: performance.now() }));
      await conductor.publishDesired(instanceId, key, gen, { ...spec, round: gen });
      const { st, at } = await converged;
      if (st.observedGeneration < gen || st.phase !== 'ready') throw new Error(`${kind}: generation ${gen} resolved with ${st.phase}/${st.observedGeneration}`);
      const t0 = readyAt.get(gen);
      if (t0 === undefined) throw new Error(`${kind}: generation ${gen} converged before the agent saw it`);
      if (gen > warmup) latencies.push(at - t0);
      readyAt.delete(gen);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)!,
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, n: sorted.length,
    };
  } finally {
    while (closers.length > 0) await closers.pop()!().catch(() => {});
  }
}

async function main(): Promise<void> {
  const n = argNumber('n', 300);
  const warmup = argNumber('warmup', 20);
  if (n < 1) throw new Error('--n must be at least 1');
  console.log(`bench/converge-latency: agent publishes ready(N) → Conductor.waitConverged(N) resolves; ${n} generations (+${warmup} warm-up, not counted)`);
  console.log('broker      gens    p50(ms)   p95(ms)   p99(ms)   max(ms)  mean(ms)  p99 ≤ 50 ms');
  const brokers: [string, (c: BrokerCredential[]) => Promise<Broker>][] = [
    ['aedes', startAedes],
    ['mosquitto', startPrivateMosquitto],
  ];
  let failed = false;
  for (const [kind, start] of brokers) {
    try {
      const r = await run(kind, start, n, warmup);
      const f = (x: number) => x.toFixed(2).padStart(9);
      console.log(`${kind.padEnd(10)} ${String(r.n).padStart(5)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)} ${f(r.mean)}  ${r.p99 <= TARGET_P99_MS ? 'met' : 'NOT MET'}`);
    } catch (e) {
      failed = true;
      const why = kind === 'mosquitto' ? ` (${MOSQUITTO_BIN})` : '';
      console.log(`${kind.padEnd(10)} failed${why}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`target: p99 ≤ ${TARGET_P99_MS} ms from the guest's ready to the control plane acting on it`);
  console.log('poll-based baselines (delay before the control plane even sees ready): ' +
    'Terraform polls 3 s / 6 s / 10 s; Heat 1 s; Trove guest heartbeat 30 s');
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 1;
});
