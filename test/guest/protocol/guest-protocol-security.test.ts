/**
 * Security of the guest protocol against BOTH real brokers (embedded aedes and Mosquitto):
 * ACL isolation between guests (asserted on delivery, not on the SUBACK/PUBACK), forged
 * and replayed desired states, and refused credentials.
 */
import test from 'ava';
import { connectAsync, type MqttClient } from 'mqtt';
import type { BrokerCredential } from '../../../messaging/credentials.js';
import { AgentLink, type AgentRejection } from '../../../guest/protocol/agent-link.js';
import { Conductor } from '../../../guest/protocol/conductor.js';
import type { DesiredMessage, StatusMessage } from '../../../guest/protocol/messages.js';
import { connectMqtt, endMqtt } from '../../../guest/protocol/mqtt-connect.js';
import { clockSeq, newInstanceKey, open, seal } from '../../../guest/protocol/seal.js';
import { instanceTopic } from '../../../guest/protocol/topics.js';
import {
  BROKER_KINDS, brokerWithInstances, delay, record, waitFor, type BrokerKind, type Instance, type TestBroker,
} from '../../support/guest-protocol-harness.js';

interface Env { broker: TestBroker; conductor: BrokerCredential; instances: Instance[] }
const envs = new Map<BrokerKind, Env>();
const closers: (() => Promise<unknown>)[] = [];
const QUIET_MS = 750;

test.before(async () => {
  for (const kind of BROKER_KINDS) envs.set(kind, await brokerWithInstances(kind, 8, `sec-${kind}`));
});

test.afterEach.always(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => {});
});

test.after.always(async () => {
  for (const e of envs.values()) await e.broker.stop();
});

async function raw(kind: BrokerKind, cred: BrokerCredential): Promise<MqttClient> {
  const c = await connectMqtt({ url: envs.get(kind)!.broker.url, ...cred, reconnectPeriodMs: 0 });
  closers.push(() => endMqtt(c, true));
  return c;
}

async function agent(kind: BrokerKind, inst: Instance, got: DesiredMessage[], rejected: AgentRejection[] = []): Promise<AgentLink> {
  const link = await AgentLink.connect({
    url: envs.get(kind)!.broker.url, instanceId: inst.id, key: inst.key, password: inst.cred.password,
    reconnectPeriodMs: 0, onDesired: (d) => { got.push(d); }, onReject: (r) => { rejected.push(r); },
  });
  closers.push(() => link.close());
  return link;
}

async function conductor(kind: BrokerKind): Promise<Conductor> {
  const c = await Conductor.connect({ url: envs.get(kind)!.broker.url, ...envs.get(kind)!.conductor, reconnectPeriodMs: 0 });
  closers.push(() => c.close());
  return c;
}

for (const kind of BROKER_KINDS) {
  test.serial(`${kind}: guest A cannot subscribe to or receive guest B's desired state`, async (t) => {
    const [a, b] = envs.get(kind)!.instances as [Instance, Instance];
    const cond = await conductor(kind);
    await cond.publishDesired(b.id, b.key, 1, { users: [{ name: 'app', password: 'b-secret' }] }); // retained before A subscribes

    const spy = await raw(kind, a.cred);
    const got = record(spy);
    const own = instanceTopic(a.id, 'desired');
    await spy.subscribeAsync([instanceTopic(b.id, 'desired'), 'dbstack/v1/instances/+/desired', 'dbstack/v1/#', '#', own], { qos: 1 })
      .catch(() => { /* a broker may refuse the whole SUBSCRIBE; only delivery matters */ });
    await cond.publishDesired(b.id, b.key, 2, { users: [{ name: 'app', password: 'b-secret-2' }] }); // live, after subscribing
    const bGot: DesiredMessage[] = [];
    await agent(kind, b, bGot);
    await waitFor(() => bGot.some((d) => d.generation === 2), 10_000, "B's own agent to receive generation 2 (control)");

    // Control: A stays connected and does receive its own desired state on the same connection.
    t.true(spy.connected, 'a refused SUBSCRIBE does not disconnect the guest');
    await cond.publishDesired(a.id, a.key, 1, { marker: 'for-a' });
    await waitFor(() => got.some((m) => m.topic === own), 10_000, "A's own desired (control)");
    await delay(QUIET_MS);
    t.deepEqual(got.filter((m) => m.topic !== own).map((m) => m.topic), [], "nothing of B's was delivered to A");
  });

  test.serial(`${kind}: guest A cannot publish guest B's status; the conductor never receives it`, async (t) => {
    const [, , a, b] = envs.get(kind)!.instances as [Instance, Instance, Instance, Instance];
    const cond = await conductor(kind);
    const seen: StatusMessage[] = [];
    await cond.watchStatus(b.id, b.key, (s) => seen.push(s));
    const spy = await raw(kind, envs.get(kind)!.conductor); // raw view of every message on B's status topic
    const rawSeen = record(spy);
    await spy.subscribeAsync(instanceTopic(b.id, 'status'), { qos: 1 });

    const attacker = await raw(kind, a.cred);
    let attackerClosed = false;
    attacker.on('close', () => { attackerClosed = true; });
    // Even a correctly sealed forgery (as if A had stolen B's key) must be stopped by the ACL.
    const forged = seal(b.key, b.id, 'status', clockSeq(), { observedGeneration: 99, phase: 'ready', at: new Date().toISOString(), error: 'forged-by-A' });
    attacker.publish(instanceTopic(b.id, 'status'), forged, { qos: 0, retain: true });

    // Control: B's real status does get through.
    const bLink = await agent(kind, b, []);
    await bLink.publishStatus({ observedGeneration: 1, phase: 'converging', error: 'genuine-from-B' });
    await waitFor(() => seen.some((s) => s.error === 'genuine-from-B'), 10_000, "B's genuine status (control)");
    await delay(QUIET_MS);
    t.false(seen.some((s) => s.error === 'forged-by-A'), 'conductor never saw the forged status');
    t.false(rawSeen.some((m) => m.payload.toString() === forged), 'broker never delivered the forged payload');
    if (kind === 'aedes') {
      await waitFor(() => attackerClosed, 10_000, 'aedes to disconnect the attacker');
      t.pass('aedes closed the connection of the unauthorised publisher');
    } else {
      t.log(`mosquitto (MQTT 3.1.1) dropped the publish silently; attacker still connected: ${!attackerClosed}`);
    }
  });

  test.serial(`${kind}: a forged desired (wrong key) is rejected and never reaches the callback`, async (t) => {
    const inst = envs.get(kind)!.instances[4]!;
    const got: DesiredMessage[] = [];
    const rejected: AgentRejection[] = [];
    await agent(kind, inst, got, rejected);
    const conductorRaw = await raw(kind, envs.get(kind)!.conductor);
    const forged = seal(newInstanceKey(), inst.id, 'desired', 10_000_000, { generation: 10, spec: { users: [{ name: 'evil', password: 'x' }] } });
    await conductorRaw.publishAsync(instanceTopic(inst.id, 'desired'), forged, { qos: 1, retain: true });
    await waitFor(() => rejected.length > 0, 10_000, 'agent to reject the forged desired');
    t.regex(rejected[0]!.reason, /authentication failed/);
    t.is(rejected[0]!.kind, 'desired');

    const cond = await conductor(kind);
    await cond.publishDesired(inst.id, inst.key, 1, { marker: 'genuine' });
    await waitFor(() => got.length > 0, 10_000, 'genuine desired (control)');
    await delay(200);
    t.deepEqual(got, [{ generation: 1, spec: { marker: 'genuine' } }]);
  });

  test.serial(`${kind}: a replayed (older seq) desired is rejected and never reaches the callback`, async (t) => {
    const inst = envs.get(kind)!.instances[5]!;
    const cond = await conductor(kind);
    const capture = await raw(kind, envs.get(kind)!.conductor);
    const captured = record(capture);
    await capture.subscribeAsync(instanceTopic(inst.id, 'desired'), { qos: 1 });
    await cond.publishDesired(inst.id, inst.key, 1, { users: [{ name: 'app', password: 'old' }] });
    await waitFor(() => captured.length > 0, 10_000, 'capture of generation 1');
    const old = captured[0]!.payload;
    t.true(open(inst.key, inst.id, 'desired', old).ok, 'the captured message is genuine');

    const got: DesiredMessage[] = [];
    const rejected: AgentRejection[] = [];
    await agent(kind, inst, got, rejected);
    await waitFor(() => got.length === 1, 10_000, 'generation 1');
    await cond.publishDesired(inst.id, inst.key, 2, { users: [{ name: 'app', password: 'new' }] });
    await waitFor(() => got.length === 2, 10_000, 'generation 2');

    await capture.publishAsync(instanceTopic(inst.id, 'desired'), old, { qos: 1 }); // replay with conductor credentials
    await waitFor(() => rejected.length > 0, 10_000, 'agent to reject the replay');
    t.regex(rejected[0]!.reason, /replayed or stale/);
    await delay(200);
    t.deepEqual(got.map((d) => d.generation), [1, 2]);
  });

  test.serial(`${kind}: wrong password, unknown user and no credentials are refused`, async (t) => {
    const [inst, other] = envs.get(kind)!.instances.slice(6) as [Instance, Instance];
    const url = envs.get(kind)!.broker.url;
    const attempt = (username: string, password: string) =>
      connectMqtt({ url, username, password, reconnectPeriodMs: 0, connectTimeoutMs: 10_000 });
    await t.throwsAsync(attempt(inst.cred.username, 'wrong'), { message: /failed: .*(Bad username or password|Not authorized)/i });
    await t.throwsAsync(attempt(inst.cred.username, other.cred.password), { message: /failed/ });
    await t.throwsAsync(attempt('guest-nobody', 'x'), { message: /failed/ });
    await t.throwsAsync(attempt('conductor', inst.cred.password), { message: /failed/ });
    await t.throwsAsync(AgentLink.connect({ url, instanceId: inst.id, key: inst.key, password: 'wrong', reconnectPeriodMs: 0, onDesired: () => {} }), { message: /failed/ });
    const anonymous = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000 }, false).then(
      (c) => { closers.push(() => endMqtt(c, true)); return c.connected ? 'accepted' : 'refused'; },
      (e: Error) => `refused: ${e.message}`);
    t.regex(anonymous, /^refused/, 'anonymous connect');
    const ok = await attempt(inst.cred.username, inst.cred.password); // control
    t.true(ok.connected);
    await endMqtt(ok);
  });
}
