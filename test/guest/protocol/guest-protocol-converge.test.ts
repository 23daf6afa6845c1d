/** Convergence, failure, Last Will and RPC over real brokers: embedded aedes and a Mosquitto process. */
import test from 'ava';
import type { BrokerCredential } from '../../../messaging/credentials.js';
import { AgentLink } from '../../../guest/protocol/agent-link.js';
import { Conductor, ConvergeFailedError, ConvergeTimeoutError } from '../../../guest/protocol/conductor.js';
import type { DesiredMessage, StatusMessage } from '../../../guest/protocol/messages.js';
import {
  BROKER_KINDS, brokerWithInstances, percentile, waitFor, type BrokerKind, type Instance, type TestBroker,
} from '../../support/guest-protocol-harness.js';

interface Env { broker: TestBroker; conductor: BrokerCredential; instances: Instance[] }
const envs = new Map<BrokerKind, Env>();
const closers: (() => Promise<unknown>)[] = [];

test.before(async () => {
  for (const kind of BROKER_KINDS) envs.set(kind, await brokerWithInstances(kind, 6, `cv-${kind}`));
});

test.afterEach.always(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => {});
});

test.after.always(async () => {
  for (const e of envs.values()) await e.broker.stop();
});

async function conductorFor(kind: BrokerKind): Promise<Conductor> {
  const { broker, conductor } = envs.get(kind)!;
  const c = await Conductor.connect({ url: broker.url, ...conductor, reconnectPeriodMs: 0 });
  closers.push(() => c.close());
  return c;
}

async function agentFor(kind: BrokerKind, inst: Instance, onDesired: (d: DesiredMessage, seq: number) => void | Promise<void>,
  extra: Partial<Parameters<typeof AgentLink.connect>[0]> = {}): Promise<AgentLink> {
  const { broker } = envs.get(kind)!;
  const link = await AgentLink.connect({
    url: broker.url, instanceId: inst.id, key: inst.key, password: inst.cred.password, reconnectPeriodMs: 0, onDesired, ...extra,
  });
  closers.push(() => link.close());
  return link;
}

for (const kind of BROKER_KINDS) {
  test.serial(`${kind}: agent receives desired state; waitConverged resolves on ready (200 round trips)`, async (t) => {
    const inst = envs.get(kind)!.instances[0]!;
    const conductor = await conductorFor(kind);
    const received: DesiredMessage[] = [];
    const publishedAt = new Map<number, number>();
    let link!: AgentLink;
    link = await agentFor(kind, inst, async (d) => {
      received.push(d);
      publishedAt.set(d.generation, performance.now());
      await link.publishStatus({ observedGeneration: d.generation, phase: 'ready', databases: ['app'] });
    });

    const spec = { datastore: 'postgresql', version: '16', users: [{ name: 'app', password: 'pw-1' }] };
    const latencies: number[] = [];
    const rounds = 200;
    for (let gen = 1; gen <= rounds; gen++) {
      const converged = conductor.waitConverged(inst.id, inst.key, gen, { timeoutMs: 10_000 });
      await conductor.publishDesired(inst.id, inst.key, gen, { ...spec, round: gen });
      const st = await converged;
      latencies.push(performance.now() - publishedAt.get(gen)!);
      t.true(st.observedGeneration >= gen);
    }
    t.is(received.length, rounds);
    t.deepEqual(received[0], { generation: 1, spec: { ...spec, round: 1 } });
    t.is(received.at(-1)!.generation, rounds);

    const sorted = [...latencies].sort((a, b) => a - b);
    const line = `${kind}: status publish -> waitConverged resolve over ${rounds} round trips: ` +
      `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`;
    t.log(line);
    console.error(line);
  });

  test.serial(`${kind}: a failed status rejects waitConverged with the guest's error text`, async (t) => {
    const inst = envs.get(kind)!.instances[1]!;
    const conductor = await conductorFor(kind);
    let link!: AgentLink;
    link = await agentFor(kind, inst, async (d) => {
      await link.publishStatus({ observedGeneration: d.generation, phase: 'converging' });
      await link.publishStatus({
        observedGeneration: d.generation, phase: 'failed', error: 'FATAL: invalid value for parameter "shared_buffers": "1XB"',
      });
    });
    const converged = conductor.waitConverged(inst.id, inst.key, 3, { timeoutMs: 10_000 });
    await conductor.publishDesired(inst.id, inst.key, 3, { config: { shared_buffers: '1XB' } });
    const err = await t.throwsAsync(converged, { instanceOf: ConvergeFailedError });
    t.is(err?.message, 'FATAL: invalid value for parameter "shared_buffers": "1XB"');
  });

  test.serial(`${kind}: an old failed or ready status does not settle a newer generation; timeout reports the last status`, async (t) => {
    const inst = envs.get(kind)!.instances[2]!;
    const conductor = await conductorFor(kind);
    const link = await agentFor(kind, inst, () => {});
    await link.publishStatus({ observedGeneration: 4, phase: 'failed', error: 'old failure' });
    const seen: StatusMessage[] = [];
    await conductor.watchStatus(inst.id, inst.key, (s) => seen.push(s));
    await waitFor(() => seen.some((s) => s.observedGeneration === 4), 10_000, 'the generation-4 status');
    const err = await t.throwsAsync(conductor.waitConverged(inst.id, inst.key, 5, { timeoutMs: 1000 }), { instanceOf: ConvergeTimeoutError });
    t.regex(err!.message, /did not converge to generation 5 .*phase failed, observedGeneration 4/);
    const ac = new AbortController();
    const aborted = conductor.waitConverged(inst.id, inst.key, 5, { timeoutMs: 10_000, signal: ac.signal });
    ac.abort(new Error('user interrupted'));
    await t.throwsAsync(aborted, { message: 'user interrupted' });
  });

  test.serial(`${kind}: Last Will — the conductor sees offline when the agent's socket is destroyed`, async (t) => {
    const inst = envs.get(kind)!.instances[3]!;
    const conductor = await conductorFor(kind);
    const link = await agentFor(kind, inst, () => {}, { observedGeneration: 7 });
    await link.publishStatus({ observedGeneration: 7, phase: 'ready' });
    const seen: StatusMessage[] = [];
    await conductor.watchStatus(inst.id, inst.key, (s) => seen.push(s));
    await waitFor(() => seen.some((s) => s.phase === 'ready'), 10_000, 'ready status');
    link.client.stream.destroy();
    await waitFor(() => seen.at(-1)?.phase === 'offline', 10_000, 'offline status from the Last Will');
    t.is(seen.at(-1)!.observedGeneration, 7);
    t.is(conductor.latestStatus(inst.id)?.phase, 'offline');
  });

  test.serial(`${kind}: rpc with correlation ids, result and error`, async (t) => {
    const inst = envs.get(kind)!.instances[4]!;
    const conductor = await conductorFor(kind);
    await agentFor(kind, inst, () => {}, {
      onRpc: async (req) => {
        if (req.method === 'backup') return { backupId: `b-${(req.params as { tag: string }).tag}` };
        throw new Error(`unknown method ${req.method}`);
      },
    });
    const results = await Promise.all([1, 2, 3].map((n) => conductor.rpc(inst.id, inst.key, 'backup', { tag: String(n) }, { timeoutMs: 10_000 })));
    t.deepEqual(results, [{ backupId: 'b-1' }, { backupId: 'b-2' }, { backupId: 'b-3' }]);
    await t.throwsAsync(conductor.rpc(inst.id, inst.key, 'explode', null, { timeoutMs: 10_000 }), { message: 'unknown method explode' });
  });
}
