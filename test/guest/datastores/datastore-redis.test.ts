import test from 'ava';
import { Redis } from 'ioredis';
import { createDriver, freePort, InvalidConfigError, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { tempRoot, stopAndCheck, safeStop } from '../../support/datastore-harness.js';

const tmp = tempRoot('redis');
let driver: DatastoreDriver;
let port: number;

test.before(async (t) => {
  driver = createDriver('redis', { fast: true });
  port = await freePort();
  const t0 = Date.now();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  t.log(`redis init→healthy ${Date.now() - t0} ms`);
});

test.after.always(async () => {
  await safeStop(driver);
  tmp.remove();
});

async function asUser<T>(user: string, password: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(driver.connectionUri(user, password), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastErr: Error | undefined;
  r.on('error', (e: Error) => (lastErr = e));
  try {
    await r.connect().catch((e: Error) => { throw lastErr ?? e; });
    return await fn(r);
  } finally { r.disconnect(); }
}

test.serial('version and health', async (t) => {
  t.regex(await driver.version(), /^\d+\.\d+\.\d+/);
  t.deepEqual(await driver.health(), { ok: true });
});

test.serial('the default user needs the generated password', async (t) => {
  await t.throwsAsync(asUser('default', 'wrong', (r) => r.ping()), { message: /WRONGPASS|invalid/i });
  await t.throwsAsync(async () => {
    const r = new Redis({ port, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    await r.connect();
    try { await r.set('x', '1'); } finally { r.disconnect(); }
  }, { message: /NOAUTH/ });
});

test.serial('databases map to numbered indexes; ACL users write and read keys', async (t) => {
  await driver.ensureDatabases([{ name: '0' }, { name: '3' }]);
  await t.throwsAsync(driver.ensureDatabases([{ name: 'app' }]), { message: /no named databases, only indexes 0\.\.15: app/ });
  await driver.ensureUsers([{ name: 'appuser', password: 's3cr3t x', databases: ['0'] }]);
  t.is(await asUser('appuser', 's3cr3t x', async (r) => { await r.set('greeting', 'hello'); return r.get('greeting'); }), 'hello');
  await t.throwsAsync(asUser('appuser', 'wrong', (r) => r.ping()), { message: /WRONGPASS|invalid/i });
  await driver.ensureUsers([{ name: 'appuser', password: 'n3w' }]);
  t.is(await asUser('appuser', 'n3w', (r) => r.get('greeting')), 'hello');
});

test.serial('observe reports databases holding keys, users and config', async (t) => {
  const o = await driver.observe();
  t.deepEqual(o.databases, ['0']);
  t.deepEqual(o.users, ['appuser']);
  t.is(o.config.port, String(port));
  t.is(o.config.appendonly, 'yes');
});

test.serial('dropUsers deletes ACL users (never default); dropDatabases flushes nothing', async (t) => {
  await driver.ensureUsers([{ name: 'temp', password: 'pw' }]);
  t.is(await asUser('temp', 'pw', (r) => r.get('greeting')), 'hello');
  await driver.dropDatabases(['0', '3']);
  await driver.revokeGrants({ name: 'appuser' }, ['0']);
  t.is(await asUser('appuser', 'n3w', (r) => r.get('greeting')), 'hello', 'keys kept, rights kept');
  await driver.dropUsers([{ name: 'temp' }, { name: 'default' }, { name: 'nobody' }]);
  await t.throwsAsync(asUser('temp', 'pw', (r) => r.ping()), { message: /WRONGPASS|invalid/i });
  t.deepEqual((await driver.observe()).users, ['appuser']);
  t.deepEqual((await driver.observe()).databases, ['0']);
});

test.serial('validateConfig asks the engine: unknown, out of range with bounds, restart-required', async (t) => {
  const before = (await driver.observe()).config;
  const r = await driver.validateConfig({ 'no-such-setting': 1, 'maxmemory-samples': 0, hz: 'abc', databases: 4, 'slowlog-max-len': 64 });
  t.true(r.errors.some((e) => /no-such-setting: unknown setting/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /maxmemory-samples: argument must be between 1 and \d+ inclusive/.test(e)), r.errors.join('\n'));
  t.true(r.errors.some((e) => /^hz: /.test(e)), r.errors.join('\n'));
  t.is(r.errors.length, 3);
  t.deepEqual(r.restartRequired, ['databases']);
  const after = (await driver.observe()).config;
  t.is(after['slowlog-max-len'], before['slowlog-max-len'], 'validation leaves the running config unchanged');
  await t.throwsAsync(driver.applyConfig({ 'maxmemory-samples': 0 }), { instanceOf: InvalidConfigError });
});

test.serial('applyConfig sets a live setting without restart', async (t) => {
  const pidBefore = driver.pid();
  t.deepEqual(await driver.applyConfig({ 'slowlog-max-len': 64, 'lazyfree-lazy-user-del': true }), { restarted: false });
  // application users may not read the configuration (CONFIG is @admin): the agent's view
  const live = (await driver.observe()).config;
  t.is(live['slowlog-max-len'], '64');
  t.is(live['lazyfree-lazy-user-del'], 'yes');
  t.is(driver.pid(), pidBefore);
});

test.serial('applyConfig restarts for an immutable setting', async (t) => {
  t.deepEqual(await driver.applyConfig({ databases: 4 }), { restarted: true });
  t.is((await driver.observe()).config.databases, '4');
});

test.serial('stop frees the port and leaves no process; keys, users and settings survive a restart', async (t) => {
  await stopAndCheck(t, driver, port);
  await driver.init(tmp.dataDir); // idempotent: keeps the data
  await driver.start({ dataDir: tmp.dataDir, port });
  t.is(await asUser('appuser', 'n3w', (r) => r.get('greeting')), 'hello');
  const o = await driver.observe();
  t.is(o.config['slowlog-max-len'], '64');
  t.is(o.config.databases, '4');
});
