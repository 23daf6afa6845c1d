import test from 'ava';
import { mayPublish, maySubscribe, newGuestCredential, principalOf } from '../../../messaging/credentials.js';
import { mosquittoAcl } from '../../../messaging/mosquitto.js';
import { PasswordStore } from '../../../messaging/password-store.js';
import { desiredSeq, newInstanceKey, open, ReplayGuard, seal } from '../../../guest/protocol/seal.js';
import { instanceIdProblem, instanceTopic, parseInstanceTopic } from '../../../guest/protocol/topics.js';

test('topics: names and instance id validation', (t) => {
  t.is(instanceTopic('db-1', 'rpc/request'), 'dbstack/v1/instances/db-1/rpc/request');
  t.deepEqual(parseInstanceTopic('dbstack/v1/instances/db-1/status'), { instanceId: 'db-1', kind: 'status' });
  t.is(parseInstanceTopic('dbstack/v1/instances/db-1/other'), undefined);
  for (const bad of ['', 'a/b', 'a+', '#', 'a b', 'a:b', '-x']) t.truthy(instanceIdProblem(bad), bad);
  t.is(instanceIdProblem('0b6f3c1e-9d2a-4c55-8f1e-1a2b3c4d5e6f'), undefined);
  t.throws(() => instanceTopic('a/+', 'desired'));
});

test('seal: round trip, and bound to key, instance, kind and seq', (t) => {
  const key = newInstanceKey();
  t.is(Buffer.from(key, 'base64').length, 32);
  const sealed = seal(key, 'a', 'desired', 7, { generation: 1, spec: { password: 's3cret' } });
  t.false(sealed.includes('s3cret'));
  const ok = open(key, 'a', 'desired', sealed);
  t.deepEqual(ok, { ok: true, seq: 7, payload: { generation: 1, spec: { password: 's3cret' } } });

  const reason = (r: ReturnType<typeof open>) => (r.ok ? 'accepted' : r.reason);
  t.regex(reason(open(newInstanceKey(), 'a', 'desired', sealed)), /authentication failed/);
  t.regex(reason(open(key, 'b', 'desired', sealed)), /authentication failed/, 'sealed for A, opened as B');
  const asStatus = seal(key, 'a', 'status', 7, { phase: 'ready' });
  t.regex(reason(open(key, 'a', 'desired', asStatus)), /kind/, 'status envelope passed off as desired');
  const relabelled = JSON.stringify({ ...JSON.parse(asStatus), kind: 'desired' });
  t.regex(reason(open(key, 'a', 'desired', relabelled)), /authentication failed/, 'kind rewritten in the envelope');
  const bumped = JSON.stringify({ ...JSON.parse(sealed), seq: 8 });
  t.regex(reason(open(key, 'a', 'desired', bumped)), /authentication failed/, 'seq rewritten');
  const env = JSON.parse(sealed);
  const ct = Buffer.from(env.ct, 'base64');
  ct[0]! ^= 1;
  t.regex(reason(open(key, 'a', 'desired', JSON.stringify({ ...env, ct: ct.toString('base64') }))), /authentication failed/);
  t.regex(reason(open(key, 'a', 'desired', 'not json')), /not a JSON envelope/);
});

test('seal: replay guard and desired seq ordering', (t) => {
  const g = new ReplayGuard();
  t.is(g.check(desiredSeq(1, 0)), undefined);
  g.commit(desiredSeq(1, 0));
  t.regex(g.check(desiredSeq(1, 0)) ?? '', /replayed or stale/);
  t.is(g.check(desiredSeq(1, 1)), undefined, 'republish of the same generation');
  g.commit(desiredSeq(2, 0));
  t.regex(g.check(desiredSeq(1, 5)) ?? '', /replayed or stale/, 'older generation');
  t.true(desiredSeq(2, 0) > desiredSeq(1, 999_999));
  t.throws(() => desiredSeq(1, 1_000_000));
});

test('credentials: ACL for guests and the conductor', (t) => {
  const a = newGuestCredential('a');
  t.is(a.username, 'guest-a');
  t.deepEqual(principalOf('guest-a'), { role: 'guest', instanceId: 'a' });
  t.is(principalOf('guest-a/b'), undefined);
  t.is(principalOf('someone'), undefined);
  const base = 'dbstack/v1/instances';
  t.true(maySubscribe('guest-a', `${base}/a/desired`));
  t.true(maySubscribe('guest-a', `${base}/a/rpc/request`));
  t.false(maySubscribe('guest-a', `${base}/b/desired`));
  t.false(maySubscribe('guest-a', `${base}/+/desired`));
  t.false(maySubscribe('guest-a', '#'));
  t.false(maySubscribe('guest-a', `${base}/a/status`));
  t.true(mayPublish('guest-a', `${base}/a/status`));
  t.true(mayPublish('guest-a', `${base}/a/events`));
  t.true(mayPublish('guest-a', `${base}/a/rpc/response`));
  t.false(mayPublish('guest-a', `${base}/b/status`));
  t.false(mayPublish('guest-a', `${base}/a/desired`));
  t.true(mayPublish('conductor', `${base}/a/desired`));
  t.true(maySubscribe('conductor', `${base}/+/status`));
  t.true(maySubscribe('conductor', 'dbstack/v1/#'));
  t.false(maySubscribe('conductor', '#'));
  t.false(mayPublish('conductor', 'other/topic'));
  t.false(mayPublish(undefined, `${base}/a/status`));
});

test('mosquitto ACL: one user section per principal with exact topics', (t) => {
  const acl = mosquittoAcl([{ username: 'conductor', password: 'x' }, newGuestCredential('a')]);
  t.regex(acl, /user conductor\ntopic readwrite dbstack\/v1\/#/);
  t.regex(acl, /user guest-a\ntopic read dbstack\/v1\/instances\/a\/desired\ntopic read dbstack\/v1\/instances\/a\/rpc\/request\ntopic write dbstack\/v1\/instances\/a\/status/);
  t.notRegex(acl, /pattern|\+/);
  t.throws(() => mosquittoAcl([{ username: 'intruder', password: 'x' }]));
});

test('password store: scrypt hashes, verifies', async (t) => {
  const store = new PasswordStore();
  const c = newGuestCredential('a');
  await store.add(c);
  t.true(await store.verify(c.username, Buffer.from(c.password)));
  t.false(await store.verify(c.username, 'wrong'));
  t.false(await store.verify('guest-b', c.password));
  t.false(await store.verify(undefined, undefined));
});
