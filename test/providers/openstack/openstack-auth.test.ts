/**
 * Cloud config resolution (clouds.yaml, secure.yaml, OS_* variables, provider settings) and
 * Keystone v3 login against the real loopback cloud: password, application credentials, a
 * wrong password, and the catalog's endpoints.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEndpoint } from '../../../providers/openstack/auth/catalog.js';
import { resolveCloudConfig } from '../../../providers/openstack/auth/cloud-config.js';
import { createSession } from '../../../providers/openstack/http/keystone-session.js';
import { OpenStackError } from '../../../providers/openstack/http/session.js';
import { CLOUDS_FILE } from '../../support/loopback-cloud.js';

const CLOUDS = CLOUDS_FILE;
const AUTH_URL = 'http://127.0.0.1:5000/v3';

/** A temp HOME, cwd and system dir, so the machine's own clouds.yaml never leaks in. */
function dirs() {
  const root = mkdtempSync(join(tmpdir(), 'dbstack-osc-'));
  const home = join(root, 'home');
  const cwd = join(root, 'cwd');
  const systemDir = join(root, 'etc');
  for (const d of [home, cwd, systemDir, join(home, '.config', 'openstack')]) mkdirSync(d, { recursive: true });
  return { root, home, cwd, systemDir, env: { HOME: home } as Record<string, string | undefined> };
}

const YAML = `clouds:
  prod:
    auth:
      auth_url: https://keystone.prod:5000
      username: alice
      project_name: shop
      user_domain_name: Corp
    region_name: North
    interface: internal
  other:
    auth: { auth_url: http://other:5000/v3, username: bob, password: pw, project_id: p1 }
`;

test('clouds.yaml in ~/.config/openstack with secure.yaml merged over it', (t) => {
  const d = dirs();
  writeFileSync(join(d.home, '.config', 'openstack', 'clouds.yaml'), YAML);
  writeFileSync(join(d.systemDir, 'secure.yaml'), 'clouds:\n  prod:\n    auth:\n      password: s3cret\n');
  const { config, problems } = resolveCloudConfig({}, { ...d.env, OS_CLOUD: 'prod' }, d);
  t.deepEqual(problems, []);
  t.is(config.cloudName, 'prod');
  t.is(config.authUrl, 'https://keystone.prod:5000/v3');
  t.is(config.password, 's3cret');
  t.is(config.userDomainName, 'Corp');
  t.is(config.projectDomainId, 'default', 'a project name with no domain means the default domain, as the CLI does');
  t.is(config.regionName, 'North');
  t.is(config.interface, 'internal');
});

test('./clouds.yaml wins over ~/.config, and OS_CLIENT_CONFIG_FILE over both', (t) => {
  const d = dirs();
  writeFileSync(join(d.home, '.config', 'openstack', 'clouds.yaml'), YAML);
  writeFileSync(join(d.cwd, 'clouds.yaml'), 'clouds:\n  prod:\n    auth: { auth_url: http://cwd:5000/v3, username: u, password: p, project_name: x }\n');
  t.is(resolveCloudConfig({ cloud: 'prod' }, d.env, d).config.authUrl, 'http://cwd:5000/v3');
  const named = join(d.root, 'mine.yaml');
  writeFileSync(named, 'clouds:\n  prod:\n    auth: { auth_url: http://named:5000, username: u, password: p, project_name: x }\n');
  t.is(resolveCloudConfig({ cloud: 'prod' }, { ...d.env, OS_CLIENT_CONFIG_FILE: named }, d).config.authUrl, 'http://named:5000/v3');
});

test('precedence: provider settings > named cloud > OS_* variables', (t) => {
  const d = dirs();
  writeFileSync(join(d.home, '.config', 'openstack', 'clouds.yaml'), YAML);
  const env = { ...d.env, OS_CLOUD: 'prod', OS_PASSWORD: 'from-env', OS_USERNAME: 'env-user', OS_REGION_NAME: 'EnvRegion', OS_CACERT: undefined };
  const a = resolveCloudConfig({}, env, d).config;
  t.is(a.username, 'alice', 'the cloud beats OS_USERNAME');
  t.is(a.password, 'from-env', 'OS_PASSWORD fills what the cloud leaves out');
  t.is(a.regionName, 'North');
  const b = resolveCloudConfig({ cloud: 'other', region_name: 'Mine', username: 'carol' }, env, d).config;
  t.is(b.cloudName, 'other', 'the provider block names the cloud over OS_CLOUD');
  t.is(b.username, 'carol');
  t.is(b.password, 'pw');
  t.is(b.regionName, 'Mine');
  t.is(b.projectId, 'p1');
  t.is(b.userDomainId, 'default');
});

test('OS_* variables alone, with tenant and domain aliases', (t) => {
  const d = dirs();
  const { config, problems } = resolveCloudConfig({}, {
    ...d.env, OS_AUTH_URL: 'http://k:5000/v3/', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_TENANT_NAME: 't', OS_DOMAIN_NAME: 'Dom', OS_INSECURE: 'true', OS_INTERFACE: 'admin',
  }, d);
  t.deepEqual(problems, []);
  t.is(config.cloudName, undefined);
  t.is(config.authUrl, 'http://k:5000/v3');
  t.is(config.projectName, 't');
  t.is(config.userDomainName, 'Dom');
  t.is(config.projectDomainName, 'Dom');
  t.true(config.insecure);
  t.is(config.interface, 'admin');
});

test('application credentials: inferred from the keys, name needs a user', (t) => {
  const d = dirs();
  const a = resolveCloudConfig({ auth_url: 'http://k/v3', application_credential_id: 'id1', application_credential_secret: 's' }, d.env, d);
  t.deepEqual(a.problems, []);
  t.is(a.config.authType, 'v3applicationcredential');
  const b = resolveCloudConfig({ auth_url: 'http://k/v3', application_credential_name: 'n', application_credential_secret: 's' }, d.env, d);
  t.true(b.problems.some((p) => p.includes('its user is needed')), b.problems.join('\n'));
});

test('problems are sentences that say where to look and what to set', (t) => {
  const d = dirs();
  const a = resolveCloudConfig({ cloud: 'prod' }, d.env, d);
  t.true(a.problems.some((p) => p.startsWith('cloud "prod" is not in any clouds.yaml (looked in ') && p.includes(join(d.home, '.config', 'openstack', 'clouds.yaml'))), a.problems.join('\n'));
  t.true(a.problems.includes('no auth_url: set OS_AUTH_URL, auth_url in a clouds.yaml cloud, or auth_url in provider "openstack"'), a.problems.join('\n'));
  t.true(a.problems.some((p) => p.startsWith('no password: set OS_PASSWORD')));
  writeFileSync(join(d.cwd, 'clouds.yaml'), YAML);
  const b = resolveCloudConfig({ cloud: 'staging' }, d.env, d);
  t.true(b.problems[0]?.includes('which has "prod", "other"'), b.problems.join('\n'));
  const c = resolveCloudConfig({ auth_url: 'http://k/v3', username: 'u', password: 'p', project_id: 'x', interface: 'private', auth_type: 'token' }, d.env, d);
  t.true(c.problems.some((p) => p.startsWith('interface "private" is not one of public, internal, admin')));
  t.true(c.problems.some((p) => p.startsWith('auth_type "token" is not supported')));
});

// ---- against the real loopback Keystone ----

const loopbackEnv = { OS_CLIENT_CONFIG_FILE: CLOUDS, HOME: mkdtempSync(join(tmpdir(), 'dbstack-home-')) };

test('password login as loopback-demo through clouds.yaml; catalog endpoints', async (t) => {
  const { config, problems } = resolveCloudConfig({}, { ...loopbackEnv, OS_CLOUD: 'loopback-demo' });
  t.deepEqual(problems, []);
  const s = await createSession(config);
  try {
    t.is(s.cloudName, 'loopback-demo');
    t.is(s.region, 'RegionOne');
    t.regex(s.projectId, /^[0-9a-f]{32}$/);
    t.is(s.requestCount, 1, 'one request: the login');
    t.is(await s.endpoint('compute'), 'http://127.0.0.1:8774/v2.1');
    t.is(await s.endpoint('network'), 'http://127.0.0.1:9696');
    t.is(await s.endpoint('image'), 'http://127.0.0.1:9292');
    t.is(await s.endpoint('block-storage'), `http://127.0.0.1:8776/v3/${s.projectId}`);
    t.is(await s.endpoint('object-store'), `http://127.0.0.1:8080/v1/AUTH_${s.projectId}`);
    t.is(await s.endpoint('identity'), AUTH_URL);
  } finally {
    await s.close();
  }
});

test('a region the catalog does not have: the error lists what it has', async (t) => {
  const { config } = resolveCloudConfig({ cloud: 'loopback-demo', region_name: 'Atlantis' }, loopbackEnv);
  const s = await createSession(config);
  try {
    const err = await t.throwsAsync(s.endpoint('compute'), { instanceOf: OpenStackError });
    t.true(err.message.includes('has no public endpoint in region "Atlantis" (it has ') && err.message.includes('public@RegionOne'), err.message);
  } finally {
    await s.close();
  }
});

test('catalog lookup: Cinder under volumev3 when there is no block-storage; unknown service named', (t) => {
  const catalog = [
    { type: 'volumev3', endpoints: [{ interface: 'public', region_id: 'R', url: 'http://c:8776/v3/p/' }] },
    { type: 'network', endpoints: [{ interface: 'public', region_id: 'R', url: 'http://n:9696/v2.0' }] },
  ];
  t.deepEqual(findEndpoint(catalog, 'block-storage', 'public', 'R'), { url: 'http://c:8776/v3/p' });
  t.deepEqual(findEndpoint(catalog, 'network', 'public', undefined), { url: 'http://n:9696' });
  const r = findEndpoint(catalog, 'orchestration', 'public', 'R');
  t.true('problem' in r && r.problem.startsWith('the catalog has no "orchestration" service (it has network, volumev3)'));
});

test('password login through OS_* variables only (domains default as the CLI does)', async (t) => {
  const env = { HOME: loopbackEnv.HOME, OS_AUTH_URL: 'http://127.0.0.1:5000', OS_USERNAME: 'demo', OS_PASSWORD: 'demo', OS_PROJECT_NAME: 'demo', OS_REGION_NAME: 'RegionOne' };
  const { config, problems } = resolveCloudConfig({}, env, { cwd: loopbackEnv.HOME });
  t.deepEqual(problems, []);
  const s = await createSession(config);
  try {
    t.is(s.cloudName, AUTH_URL);
    const me = await s.request<{ user: { name: string } }>('identity', 'GET', `/users/${s.userId}`);
    t.is(me.body.user.name, 'demo');
  } finally {
    await s.close();
  }
});

test('provider settings override the clouds.yaml cloud', async (t) => {
  const { config } = resolveCloudConfig({ cloud: 'loopback', username: 'demo', password: 'demo', project_name: 'demo' }, loopbackEnv);
  const s = await createSession(config);
  try {
    const me = await s.request<{ user: { name: string } }>('identity', 'GET', `/users/${s.userId}`);
    t.is(me.body.user.name, 'demo', 'logged in as demo, not the cloud\'s admin');
    t.is(s.cloudName, 'loopback');
  } finally {
    await s.close();
  }
});

test('a wrong password: one sentence naming the cloud, the auth URL and Keystone\'s message', async (t) => {
  const { config } = resolveCloudConfig({ cloud: 'loopback-demo', password: 'not-the-password' }, loopbackEnv);
  const err = await t.throwsAsync(createSession(config), { instanceOf: OpenStackError });
  t.is(err.status, 401);
  t.is(err.service, 'keystone');
  t.true(err.message.includes('cloud "loopback-demo"'), err.message);
  t.true(err.message.includes(AUTH_URL), err.message);
  t.true(err.message.includes('The request you have made requires authentication.'), err.message);
  t.true(err.message.includes('check the user name, password'), err.message);
  t.false(/\n\s+at /.test(err.message), 'no stack trace in the message');
});

test('application credential login, by id and by name + user', async (t) => {
  const { config: demo } = resolveCloudConfig({ cloud: 'loopback-demo' }, loopbackEnv);
  const s = await createSession(demo);
  const name = `dbstack-test-${randomUUID().slice(0, 8)}`;
  const created = await s.request<{ application_credential: { id: string; secret: string; project_id: string } }>(
    'identity', 'POST', `/users/${s.userId}/application_credentials`, { json: { application_credential: { name, description: 'dbstack test, deleted after' } } },
  );
  const cred = created.body.application_credential;
  try {
    const byId = resolveCloudConfig({ auth_url: AUTH_URL, application_credential_id: cred.id, application_credential_secret: cred.secret }, { HOME: loopbackEnv.HOME });
    t.deepEqual(byId.problems, []);
    const a = await createSession(byId.config);
    t.is(a.projectId, cred.project_id);
    t.is(a.userId, s.userId);
    t.truthy(await a.endpoint('compute'));
    await a.close();
    const byName = resolveCloudConfig(
      { auth_url: AUTH_URL, auth_type: 'v3applicationcredential', application_credential_name: name, username: 'demo', application_credential_secret: cred.secret },
      { HOME: loopbackEnv.HOME },
    );
    t.deepEqual(byName.problems, []);
    const b = await createSession(byName.config);
    t.is(b.projectId, cred.project_id);
    await b.close();
    const wrong = resolveCloudConfig({ auth_url: AUTH_URL, application_credential_id: cred.id, application_credential_secret: 'nope' }, { HOME: loopbackEnv.HOME });
    const err = await t.throwsAsync(createSession(wrong.config), { instanceOf: OpenStackError });
    t.true(err.message.includes('check the application credential'), err.message);
  } finally {
    await s.request('identity', 'DELETE', `/users/${s.userId}/application_credentials/${cred.id}`);
    await s.close();
  }
});
