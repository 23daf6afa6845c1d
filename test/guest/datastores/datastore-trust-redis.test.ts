/**
 * Redis application users get data commands only: administration, the server's secrets and
 * whole-server wipes are refused (NOPERM), the ordinary data commands all work.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDriver, freePort, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { tempRoot, safeStop } from '../../support/datastore-harness.js';
import { redisAdmin } from '../../support/engine-admin.js';

const tmp = tempRoot('redis-trust');
let driver: DatastoreDriver;
let port: number;
let app: Redis;
const PASSWORD = 'app-pw-1';

test.before(async () => {
  driver = createDriver('redis', { fast: true });
  port = await freePort();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  await driver.ensureUsers([{ name: 'app', password: PASSWORD }]);
  app = new Redis({ host: '127.0.0.1', port, username: 'app', password: PASSWORD, maxRetriesPerRequest: 1, lazyConnect: true });
  await app.connect();
});

test.after.always(async () => {
  app?.disconnect();
  await safeStop(driver);
  tmp.remove();
});

const adminPassword = () => readFileSync(join(tmp.dataDir, 'dbstack-default.pw'), 'utf8').trim();

const refused: string[][] = [
  ['CONFIG', 'GET', 'requirepass'],
  ['CONFIG', 'GET', '*'],
  ['CONFIG', 'SET', 'dir', '/tmp'],
  ['CONFIG', 'REWRITE'],
  ['ACL', 'SETUSER', 'intruder', 'on', '>x', '+@all', '~*'],
  ['ACL', 'GETUSER', 'default'],
  ['ACL', 'LIST'],
  ['SHUTDOWN', 'NOSAVE'],
  ['FLUSHALL'],
  ['FLUSHDB'],
  ['DEBUG', 'SLEEP', '0'],
  ['MODULE', 'LIST'],
  ['MONITOR'],
  ['SAVE'],
  ['REPLICAOF', '127.0.0.1', '1'],
];

for (const cmd of refused) {
  test.serial(`refused for an application user: ${cmd.join(' ')}`, async (t) => {
    // DEBUG is also off server-wide (enable-debug-command no); ACL DRYRUN asks the ACL alone
    const verdict = await redisAdmin(tmp.dataDir, port, 'ACL', 'DRYRUN', 'app', ...cmd);
    t.regex(String(verdict), /has no permissions/);
    await t.throwsAsync(app.call(cmd[0]!, ...cmd.slice(1)), { message: cmd[0] === 'DEBUG' ? /NOPERM|DEBUG command not allowed/ : /NOPERM/ });
  });
}

test.serial('redis-cli with the application URI cannot read the admin password', (t) => {
  const r = spawnSync('redis-cli', ['--no-auth-warning', '-u', driver.connectionUri('app', PASSWORD), 'CONFIG', 'GET', 'requirepass'], { encoding: 'utf8', timeout: 30_000 });
  t.regex(`${r.stdout}${r.stderr}`, /NOPERM/);
  t.false(`${r.stdout}${r.stderr}`.includes(adminPassword()));
});

test.serial('data commands work: strings, hashes, expiry, lists, sets, MULTI/EXEC, SCAN, SELECT, pub/sub', async (t) => {
  t.regex(await app.info('server'), /redis_version/, 'INFO is allowed: clients check readiness with it');
  t.is(await app.set('k', 'v'), 'OK');
  t.is(await app.get('k'), 'v');
  t.is(await app.hset('h', 'f', '1'), 1);
  t.is(await app.hget('h', 'f'), '1');
  t.is(await app.expire('k', 100), 1);
  t.true((await app.ttl('k')) > 0);
  t.is(await app.incr('n'), 1);
  t.is(await app.lpush('l', 'a', 'b'), 2);
  t.is(await app.sadd('s', 'x'), 1);
  t.deepEqual(await app.multi().set('m', '1').incr('m').exec(), [[null, 'OK'], [null, 2]]);
  t.true((await app.scan('0', 'COUNT', 100))[1].includes('k'));
  t.is(await app.del('l'), 1);
  const sub = app.duplicate();
  t.teardown(() => sub.disconnect());
  const got = new Promise<string>((resolve) => sub.on('message', (_c: string, m: string) => resolve(m)));
  await sub.subscribe('news');
  t.is(await app.publish('news', 'hello'), 1);
  t.is(await got, 'hello');
  const other = app.duplicate({ db: 1 });
  t.teardown(() => other.disconnect());
  t.is(await other.set('in-db-1', 'yes'), 'OK');
});

test.serial('the server is still up and the admin still administers it', async (t) => {
  t.deepEqual(await driver.health(), { ok: true });
  t.is(await app.get('m'), '2', 'no FLUSHALL/FLUSHDB went through');
  t.deepEqual((await driver.observe()).users, ['app']);
});

test.serial('an empty password is refused before anything reaches the engine', async (t) => {
  await t.throwsAsync(driver.ensureUsers([{ name: 'blank', password: '' }]), { message: /redis user 'blank': an empty password is refused/ });
  t.deepEqual((await driver.observe()).users, ['app']);
});

test.serial('a user an earlier version made (+@all) gets the application rules at the next start, keeping its password', async (t) => {
  await redisAdmin(tmp.dataDir, port, 'ACL', 'SETUSER', 'legacy', 'on', '>legacy-pw', '~*', '&*', '+@all');
  await redisAdmin(tmp.dataDir, port, 'CONFIG', 'REWRITE');
  t.is(await redisAdmin(tmp.dataDir, port, 'ACL', 'DRYRUN', 'legacy', 'CONFIG', 'GET', 'requirepass'), 'OK', 'open before');
  app.disconnect();
  await driver.stop();
  await driver.start({ dataDir: tmp.dataDir, port });
  t.regex(String(await redisAdmin(tmp.dataDir, port, 'ACL', 'DRYRUN', 'legacy', 'CONFIG', 'GET', 'requirepass')), /has no permissions/);
  const legacy = new Redis({ host: '127.0.0.1', port, username: 'legacy', password: 'legacy-pw', lazyConnect: true, maxRetriesPerRequest: 1 });
  t.teardown(() => legacy.disconnect());
  await legacy.connect();
  t.is(await legacy.set('still', 'works'), 'OK');
  await t.throwsAsync(legacy.call('FLUSHALL'), { message: /NOPERM/ });
});
