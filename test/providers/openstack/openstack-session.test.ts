/**
 * The authenticated session against the real loopback services: pagination across pages,
 * service errors with the service's own message, token re-issue on a 401 and before expiry,
 * microversions, and retries when the cloud cannot be reached.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCloudConfig, type CloudConfig } from '../../../providers/openstack/auth/cloud-config.js';
import { extractServiceMessage } from '../../../providers/openstack/http/errors.js';
import { buildUrl, createSession } from '../../../providers/openstack/http/keystone-session.js';
import { backoffMs, retryableError, retryableStatus } from '../../../providers/openstack/http/retry.js';
import { OpenStackError } from '../../../providers/openstack/http/session.js';
import { CLOUDS_FILE } from '../../support/loopback-cloud.js';

const env = { OS_CLIENT_CONFIG_FILE: CLOUDS_FILE, HOME: mkdtempSync(join(tmpdir(), 'dbstack-home-')) };

function cloud(name: string, settings: Record<string, string | boolean> = {}): CloudConfig {
  const { config, problems } = resolveCloudConfig({ cloud: name, ...settings }, env);
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

test('list() follows networks_links rel=next across pages and returns every item', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  const tag = `dbstack-page-${randomUUID().slice(0, 8)}`;
  const ids: string[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = await s.request<{ network: { id: string } }>('network', 'POST', '/v2.0/networks', { json: { network: { name: `${tag}-${i}` } } });
      ids.push(r.body.network.id);
    }
    const before = s.requestCount;
    const all = await s.list<{ id: string; name: string }>('network', '/v2.0/networks', 'networks', { limit: 1 });
    const pages = s.requestCount - before;
    t.true(pages >= 3, `one request per page (${pages})`);
    for (const id of ids) t.true(all.some((n) => n.id === id), `network ${id} listed`);
    t.is(new Set(all.map((n) => n.id)).size, all.length, 'no item twice');
    const unpaged = await s.list<{ id: string }>('network', '/v2.0/networks', 'networks');
    t.deepEqual(all.map((n) => n.id).sort(), unpaged.map((n) => n.id).sort());
  } finally {
    for (const id of ids) await s.request('network', 'DELETE', `/v2.0/networks/${id}`, { allow: [404] });
    await s.close();
  }
});

test('Nova 404 carries Nova\'s message and the request id', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  try {
    const id = randomUUID();
    const err = await t.throwsAsync(s.request('compute', 'GET', `/servers/${id}`, { what: 'read database_instance.orders' }), { instanceOf: OpenStackError });
    t.is(err.status, 404);
    t.is(err.service, 'compute');
    t.is(err.serviceMessage, `Instance ${id} could not be found.`);
    t.regex(err.requestId ?? '', /^req-/);
    t.true(err.message.startsWith('read database_instance.orders: not found on cloud "loopback-demo"'), err.message);
    t.true(err.message.includes(err.requestId ?? '?'));
    const gone = await s.request('compute', 'GET', `/servers/${id}`, { allow: [404] });
    t.is(gone.status, 404, 'allow turns a status into an answer');
  } finally {
    await s.close();
  }
});

test('Neutron 404 and Glance 404 give the service\'s message, without HTML', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  try {
    const id = randomUUID();
    const n = await t.throwsAsync(s.request('network', 'GET', `/v2.0/networks/${id}`), { instanceOf: OpenStackError });
    t.is(n.serviceMessage, `Network ${id} could not be found.`);
    const g = await t.throwsAsync(s.request('image', 'GET', `/v2/images/${id}`), { instanceOf: OpenStackError });
    t.is(g.serviceMessage, `No image found with ID ${id}`);
  } finally {
    await s.close();
  }
});

test('403: names the action and carries the policy message', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  try {
    const err = await t.throwsAsync(s.request('compute', 'GET', '/os-hypervisors'), { instanceOf: OpenStackError });
    t.is(err.status, 403);
    t.true(err.message.startsWith('permission denied on cloud "loopback-demo"'), err.message);
    t.true(err.message.includes('may not read os-hypervisors (compute)'), err.message);
    t.true(err.serviceMessage?.includes('os_compute_api:os-hypervisors:list'), err.serviceMessage);
  } finally {
    await s.close();
  }
});

test('microversion: OpenStack-API-Version and the Nova legacy header are sent', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  try {
    const r = await s.request('compute', 'GET', '/flavors', { microversion: '2.67' });
    t.is(r.headers['openstack-api-version'], 'compute 2.67');
    t.is(r.headers['x-openstack-nova-api-version'], '2.67');
    const v = await s.request('block-storage', 'GET', '/volumes', { microversion: '3.60' });
    t.is(v.headers['openstack-api-version'], 'volume 3.60');
  } finally {
    await s.close();
  }
});

test('a revoked token: the 401 re-issues it once and the request succeeds', async (t) => {
  const admin = await createSession(cloud('loopback'));
  const demo = await createSession(cloud('loopback-demo'));
  try {
    const first = await demo.token();
    // Revoke before Neutron ever saw this token, so no validation cache can hide the revocation.
    await admin.request('identity', 'DELETE', '/auth/tokens', { headers: { 'x-subject-token': first } });
    const before = demo.requestCount;
    const r = await demo.request<{ networks: unknown[] }>('network', 'GET', '/v2.0/networks');
    t.true(Array.isArray(r.body.networks));
    t.is(demo.requestCount - before, 3, 'the refused request, the login, the repeated request');
    t.is(demo.authCount, 2);
    t.not(await demo.token(), first);
  } finally {
    await admin.close();
    await demo.close();
  }
});

test('the token is re-issued when it expires within 60 s (injectable clock)', async (t) => {
  let skew = 0;
  const s = await createSession(cloud('loopback-demo'), { now: () => Date.now() + skew });
  try {
    const first = await s.token();
    const expiresAt = s.tokenExpiresAt ?? 0;
    await s.request('network', 'GET', '/v2.0/networks');
    t.is(s.authCount, 1, 'a fresh token is kept');
    skew = expiresAt - Date.now() - 30_000; // now it expires in 30 s
    const before = s.requestCount;
    await s.request('network', 'GET', '/v2.0/networks');
    t.is(s.requestCount - before, 2, 'a login, then the request');
    t.is(s.authCount, 2);
    t.not(await s.token(), first);
    skew = 0;
    await Promise.all([s.request('network', 'GET', '/v2.0/networks'), s.request('compute', 'GET', '/flavors')]);
    t.is(s.authCount, 2, 'parallel requests share one login');
  } finally {
    await s.close();
  }
});

test('an unreachable cloud: retried with backoff, then one sentence, status 0', async (t) => {
  const config: CloudConfig = { ...cloud('loopback-demo'), authUrl: 'http://127.0.0.1:1/v3' };
  const started = Date.now();
  const err = await t.throwsAsync(createSession(config), { instanceOf: OpenStackError });
  t.is(err.status, 0);
  t.true(err.message.startsWith('log in: cannot reach keystone of cloud "loopback-demo"'), err.message);
  t.true(err.message.includes('ECONNREFUSED, 4 tries'), err.message);
  t.true(Date.now() - started >= 800, 'it backed off between tries');
});

test('retry policy: POST only when the request was never sent; 5xx only for idempotent methods', (t) => {
  t.true(retryableError('POST', 'ECONNREFUSED'));
  t.false(retryableError('POST', 'ECONNRESET'));
  t.true(retryableError('GET', 'ECONNRESET'));
  t.false(retryableStatus('POST', 503));
  t.true(retryableStatus('DELETE', 503));
  t.true(retryableStatus('POST', 429));
  t.false(retryableStatus('GET', 404));
  t.is(backoffMs(0, '2'), 2000);
  for (let a = 0; a < 6; a++) {
    const cap = Math.min(250 * 2 ** a, 8000);
    t.true(backoffMs(a, undefined, () => 0) >= cap / 2 && backoffMs(a, undefined, () => 1) <= cap);
  }
});

test('service messages from each body shape', (t) => {
  const m = (b: string, ct = 'application/json') => extractServiceMessage(b, ct).message;
  t.is(m('{"badRequest": {"message": "Invalid flavor", "code": 400}}'), 'Invalid flavor');
  t.is(m('{"overLimit": {"message": "Quota exceeded for cores", "code": 413}}'), 'Quota exceeded for cores');
  t.deepEqual(extractServiceMessage('{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: [\'port\'].", "detail": ""}}'), {
    message: "Quota exceeded for resources: ['port'].",
    type: 'OverQuota',
  });
  t.is(m('{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}'), 'The request you have made requires authentication.');
  t.is(m('<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>The resource could not be found.<br /><br /></body></html>', 'text/html'), 'The resource could not be found.');
  t.is(m('<html><h1>Not Found</h1><p>The resource could not be found.</p></html>', 'text/html'), 'Not Found The resource could not be found.');
});

test('absolute next links keep their query but use the catalog endpoint\'s scheme and host', (t) => {
  t.is(buildUrl('http://127.0.0.1:8779/v1.0/p', 'https://127.0.0.1:8779/v1.0/p/instances?marker=x&limit=1'), 'http://127.0.0.1:8779/v1.0/p/instances?marker=x&limit=1');
  t.is(buildUrl('http://h:8774/v2.1', 'servers/detail', { limit: 5, name: undefined }), 'http://h:8774/v2.1/servers/detail?limit=5');
});

test('Swift: raw bodies both ways, and list() over a bare JSON array with markers', async (t) => {
  const s = await createSession(cloud('loopback-demo'));
  const container = `dbstack-raw-${randomUUID().slice(0, 8)}`;
  const data = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
  try {
    await s.request('object-store', 'PUT', `/${container}`);
    for (const name of ['a', 'b', 'c']) await s.request('object-store', 'PUT', `/${container}/${name}`, { body: data });
    const got = await s.request<Buffer>('object-store', 'GET', `/${container}/b`, { raw: true });
    t.true(Buffer.isBuffer(got.body) && got.body.equals(data));
    const objects = await s.list<{ name: string }>('object-store', `/${container}`, '', { limit: 2 });
    t.deepEqual(objects.map((o) => o.name), ['a', 'b', 'c']);
  } finally {
    for (const name of ['a', 'b', 'c']) await s.request('object-store', 'DELETE', `/${container}/${name}`, { allow: [404] });
    await s.request('object-store', 'DELETE', `/${container}`, { allow: [404] });
    await s.close();
  }
});
