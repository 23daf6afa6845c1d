/**
 * Per-instance identities on a running Mosquitto 2 through the dynamic-security plugin.
 * Isolation is asserted on DELIVERY (Mosquitto drops a denied 3.1.1 publish silently, and a
 * refused SUBSCRIBE only shows in the SUBACK), with a positive control on every connection.
 */
import test from 'ava';
import type { MqttClient } from 'mqtt';
import { mayPublish, maySubscribe, newConductorCredential, type BrokerCredential } from '../../messaging/credentials.js';
import { guestAcls } from '../../messaging/dynsec-acls.js';
import { DynsecAdmin } from '../../messaging/dynsec.js';
import { connectMqtt, endMqtt } from '../../guest/protocol/mqtt-connect.js';
import { instanceTopic } from '../../guest/protocol/topics.js';
import { delay, record, waitFor } from '../support/guest-protocol-harness.js';
import { startDynsecBroker, type DynsecBroker } from '../support/dynsec-broker.js';

const QUIET_MS = 750;
let broker: DynsecBroker;
let admin: DynsecAdmin;
const conductor = newConductorCredential();
const A = `dyn-a-${Math.random().toString(36).slice(2, 8)}`;
const B = `dyn-b-${Math.random().toString(36).slice(2, 8)}`;
let credA: BrokerCredential;
let credB: BrokerCredential;
const closers: (() => Promise<unknown>)[] = [];

test.before(async () => {
  broker = await startDynsecBroker();
  admin = await DynsecAdmin.connect({ url: broker.url, ...broker.admin });
  await admin.ensureConductor(conductor);
  credA = await admin.addGuest(A);
  credB = await admin.addGuest(B);
});

test.afterEach.always(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => {});
});

test.after.always(async () => {
  await admin?.close().catch(() => {});
  await broker?.stop();
});

async function client(cred: BrokerCredential): Promise<MqttClient> {
  const c = await connectMqtt({ url: broker.url, ...cred, reconnectPeriodMs: 0 });
  closers.push(() => endMqtt(c, true));
  return c;
}

test('the dynsec role grants exactly what credentials.ts allows', (t) => {
  const user = `guest-${A}`;
  for (const acl of guestAcls(A)) {
    if (acl.acltype === 'publishClientSend') t.true(mayPublish(user, acl.topic), acl.topic);
    else t.true(maySubscribe(user, acl.topic), `${acl.acltype} ${acl.topic}`);
  }
  t.is(guestAcls(A).filter((a) => a.acltype === 'publishClientSend').length, 3);
  t.is(guestAcls(A).filter((a) => a.acltype === 'subscribePattern').length, 2);
  t.true(guestAcls(A).every((a) => a.allow && !/[+#]/.test(a.topic)));
});

test.serial('guest A receives its own retained desired, never B\'s', async (t) => {
  const cond = await client(conductor);
  await cond.publishAsync(instanceTopic(A, 'desired'), 'for-a', { qos: 1, retain: true });
  await cond.publishAsync(instanceTopic(B, 'desired'), 'for-b-1', { qos: 1, retain: true }); // retained before A subscribes

  const spy = await client(credA);
  const got = record(spy);
  const own = instanceTopic(A, 'desired');
  await spy.subscribeAsync([instanceTopic(B, 'desired'), 'dbstack/v1/instances/+/desired', 'dbstack/v1/#', '#'], { qos: 1 })
    .catch(() => { /* only delivery matters */ });
  await spy.subscribeAsync(own, { qos: 1 });
  await waitFor(() => got.some((m) => m.topic === own && m.payload.toString() === 'for-a'), 10_000, "A's own retained desired");

  const bClient = await client(credB);
  const bGot = record(bClient);
  await bClient.subscribeAsync(instanceTopic(B, 'desired'), { qos: 1 });
  await cond.publishAsync(instanceTopic(B, 'desired'), 'for-b-2', { qos: 1, retain: true }); // live, after A subscribed
  await waitFor(() => bGot.some((m) => m.payload.toString() === 'for-b-2'), 10_000, "B's own desired (control)");
  await delay(QUIET_MS);
  t.true(spy.connected);
  t.deepEqual(got.filter((m) => m.topic !== own).map((m) => m.topic), [], "nothing of B's was delivered to A");
});

test.serial('guest A cannot publish B\'s status; the conductor sees A\'s own status', async (t) => {
  const cond = await client(conductor);
  const seen = record(cond);
  await cond.subscribeAsync([instanceTopic(A, 'status'), instanceTopic(B, 'status')], { qos: 1 });
  const a = await client(credA);
  await a.publishAsync(instanceTopic(B, 'status'), 'forged', { qos: 1 }).catch(() => {});
  await a.publishAsync(instanceTopic(A, 'status'), 'mine', { qos: 1 });
  await waitFor(() => seen.some((m) => m.topic === instanceTopic(A, 'status')), 10_000, "A's status at the conductor");
  await delay(QUIET_MS);
  t.deepEqual(seen.filter((m) => m.topic === instanceTopic(B, 'status')).map((m) => m.payload.toString()), []);
});

test.serial('removeGuest disconnects A and its credential no longer connects; repeat is a no-op', async (t) => {
  const a = await client(credA);
  const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
  await admin.removeGuest(A);
  await Promise.race([closed, delay(5000).then(() => { throw new Error('A was not disconnected'); })]);
  await t.throwsAsync(connectMqtt({ url: broker.url, ...credA, reconnectPeriodMs: 0, connectTimeoutMs: 5000 }), { message: /guest-dyn-a.*failed/ });
  await t.notThrowsAsync(admin.removeGuest(A));
  // B is untouched.
  await t.notThrowsAsync(client(credB).then(() => undefined));
});

test.serial('a command error carries Mosquitto\'s text', async (t) => {
  await t.throwsAsync(admin.run([{ command: 'deleteClient', username: 'no-such-client' }]), { message: /deleteClient 'no-such-client': .*not found/i });
});

test('a wrong admin password is a clear error', async (t) => {
  const e = await t.throwsAsync(DynsecAdmin.connect({ url: broker.url, username: 'admin', password: 'wrong' }));
  t.regex(e!.message, /cannot log in to the Mosquitto dynamic-security admin .* as 'admin' \(check the admin username and password\)/);
});

test.serial('ensureConductor is repeatable and re-keys the conductor', async (t) => {
  const again = newConductorCredential();
  await admin.ensureConductor(again);
  await t.notThrowsAsync(client(again).then(() => undefined));
  await t.throwsAsync(connectMqtt({ url: broker.url, ...conductor, reconnectPeriodMs: 0, connectTimeoutMs: 5000 }));
  conductor.password = again.password;
});
