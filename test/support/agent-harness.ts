/**
 * Guest agents run in-process (runAgent, short heartbeat) against real engines and an embedded
 * broker, for tests of the agent as a controller. `agentHarness(test, label, n)` registers the
 * broker's before/after hooks; `start` runs one agent on a fresh data dir, always cleaned up.
 */
import { readFileSync } from 'node:fs';
import type { TestFn } from 'ava';
import { runAgent } from '../../guest/agent/agent.js';
import { parseAgentConfig } from '../../guest/agent/config.js';
import { freePort, type DatastoreType } from '../../guest/datastores/driver.js';
import { Conductor } from '../../guest/protocol/conductor.js';
import type { DesiredSpec, StatusMessage } from '../../guest/protocol/messages.js';
import { processesMentioning, tempRoot } from './datastore-harness.js';
import { brokerWithInstances, type Instance, type TestBroker } from './guest-protocol-harness.js';

export const ENGINE_START_MS = 90_000;

export type AgentUnderTest = Awaited<ReturnType<ReturnType<typeof agentHarness>['start']>>;

export function agentHarness(test: TestFn, label: string, count: number) {
  let env: { broker: TestBroker; conductor: { username: string; password: string }; instances: Instance[] };
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  test.before(async () => { env = await brokerWithInstances('aedes', count, label); });
  test.after.always(async () => {
    while (cleanups.length > 0) { try { await cleanups.pop()!(); } catch { /* best effort */ } }
    await env?.broker.stop();
  });

  /** A running agent for instance `index` plus a conductor recording its statuses. */
  const start = async (index: number, datastore: DatastoreType, engine: string) => {
    const inst = env.instances[index]!;
    const tmp = tempRoot(`${label}-${engine}`);
    const port = await freePort();
    const config = parseAgentConfig({
      instanceId: inst.id, brokerUrl: env.broker.url, password: inst.cred.password, key: inst.key,
      datastore, dataDir: tmp.dataDir, port, heartbeatMs: 300, fast: true,
    });
    const c = await Conductor.connect({ url: env.broker.url, ...env.conductor, reconnectPeriodMs: 0 });
    const seen: StatusMessage[] = [];
    await c.watchStatus(inst.id, inst.key, (s) => seen.push(s));
    const ac = new AbortController();
    const logs: string[] = [];
    const running = runAgent(config, { signal: ac.signal, log: (l) => logs.push(l) });
    cleanups.push(async () => {
      ac.abort();
      await running.catch(() => {});
      await c.close();
      for (const pid of processesMentioning(tmp.dataDir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      tmp.remove();
    });
    let gen = 0;
    /** Publishes the next generation; resolves with the guest's status once ready (rejects when it failed). */
    const apply = async (spec: DesiredSpec) => {
      const conv = c.waitConverged(inst.id, inst.key, ++gen, { timeoutMs: ENGINE_START_MS });
      await c.publishDesired(inst.id, inst.key, gen, spec);
      return conv;
    };
    const stop = async () => { ac.abort(); await running; };
    const observeNow = async () => (await c.rpc(inst.id, inst.key, 'observe', undefined, { timeoutMs: 30_000 })) as unknown as StatusMessage;
    return { tmp, port, seen, logs, apply, stop, observeNow, stateFile: config.stateFile };
  };
  return { start };
}

/** The value following `flag` (`-k DIR`) or after `flag=` on the engine's command line. */
export function serverArg(dataDir: string, flag: string): string {
  for (const pid of processesMentioning(dataDir)) {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = args.indexOf(flag);
    if (i >= 0) return args[i + 1]!;
    const eq = args.find((a) => a.startsWith(`${flag}=`));
    if (eq) return eq.slice(flag.length + 1);
  }
  throw new Error(`no server for ${dataDir} with ${flag}`);
}
