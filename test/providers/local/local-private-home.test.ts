/**
 * As root, `apply` works from a 0700 directory (root's home, `mktemp -d`): the engines run as
 * their system users, who cannot enter it, so their volumes live in /var/lib/dbstack/volumes,
 * linked from the state dir. Data survives `local down` / `local up`; `destroy` and `local down`
 * leave nothing behind.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { dbstackAsync } from '../../support/cli.js';
import { processesMentioning } from '../../support/local-stack.js';
import { waitUntil } from '../../support/local-cloud.js';
import { SYSTEM_VOLUME_ROOT } from '../../../providers/local/supervisor/paths.js';

const STACK = `
resource "database_instance" "pg" {
  name      = "pg"
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
  database "app" {}
  user "app" {
    password  = "pg-secret-1"
    databases = ["app"]
  }
}

resource "database_instance" "my" {
  name      = "my"
  datastore = { type = "mariadb", version = "10.11" }
  flavor    = "db.small"
  volume    = { size = 1 }
  database "app" {}
  user "app" {
    password  = "my-secret-1"
    databases = ["app"]
  }
}

resource "database_instance" "kv" {
  name      = "kv"
  datastore = { type = "redis", version = "7" }
  flavor    = "db.small"
  volume    = { size = 1 }
  user "app" {
    password = "kv-secret-1"
  }
}

output "pg_uri" {
  value     = database_instance.pg.connection_uri
  sensitive = true
}
output "my_uri" {
  value     = database_instance.my.connection_uri
  sensitive = true
}
output "kv_uri" {
  value     = database_instance.kv.connection_uri
  sensitive = true
}
`;

async function cli(t: ExecutionContext, cwd: string, ...args: string[]): Promise<string> {
  const r = await dbstackAsync(args, { cwd, env: { DBSTACK_TEST_FAST: '1' }, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`dbstack ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  t.log(`dbstack ${args.join(' ')}: ok`);
  return r.stdout;
}

async function readAll(uris: Record<string, string>): Promise<string[]> {
  const p = new pg.Client({ connectionString: uris.pg, connectionTimeoutMillis: 10_000 });
  p.on('error', () => undefined);
  await p.connect();
  const a = String((await p.query('SELECT v FROM kept')).rows[0].v);
  await p.end();
  const m = await mysql.createConnection(uris.my!);
  const b = String((await m.query<mysql.RowDataPacket[]>('SELECT v FROM kept'))[0][0]!.v);
  await m.end();
  const r = new Redis(uris.kv!, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  await r.connect();
  const c = String(await r.get('kept'));
  r.disconnect();
  return [a, b, c];
}

test('as root from a 0700 directory: apply PostgreSQL, MariaDB and Redis; data survives local down/up; destroy leaves nothing', async (t) => {
  t.is(process.getuid!(), 0, 'this test is about running as root (the engines switch to their system users); run the suite as root');
  const home = mkdtempSync(join(tmpdir(), 'dbstack-home-')); // mkdtemp: 0700, like mktemp -d or /root
  t.is(statSync(home).mode & 0o777, 0o700);
  writeFileSync(join(home, 'main.hcl'), STACK);
  const volumes = join(home, '.dbstack/local/volumes');
  let targets: string[] = [];
  t.teardown(async () => {
    await dbstackAsync(['local', 'down'], { cwd: home });
    const linked = existsSync(volumes) ? readdirSync(volumes).map((id) => join(SYSTEM_VOLUME_ROOT, id)) : [];
    for (const v of new Set([...targets, ...linked])) rmSync(v, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  t.regex(await cli(t, home, 'apply', 'main.hcl', '-auto-approve'), /Apply complete! Resources: 3 added/);
  const uris: Record<string, string> = {};
  for (const k of ['pg', 'my', 'kv']) uris[k] = await cli(t, home, 'output', '-raw', `${k}_uri`);

  // every volume is a link from the state dir into /var/lib/dbstack/volumes, owned there by the engine's user
  const ids = readdirSync(volumes);
  t.is(ids.length, 3);
  targets = ids.map((id) => join(SYSTEM_VOLUME_ROOT, id));
  for (const id of ids) {
    t.true(lstatSync(join(volumes, id)).isSymbolicLink());
    t.is(readlinkSync(join(volumes, id)), join(SYSTEM_VOLUME_ROOT, id));
    t.not(statSync(join(SYSTEM_VOLUME_ROOT, id, 'data')).uid, 0, 'the data dir belongs to the engine user');
  }

  const p = new pg.Client({ connectionString: uris.pg });
  await p.connect();
  await p.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('pg-row')`);
  await p.end();
  const m = await mysql.createConnection(uris.my!);
  await m.query('CREATE TABLE kept (v varchar(20))');
  await m.query(`INSERT INTO kept VALUES ('my-row')`);
  await m.end();
  const r = new Redis(uris.kv!);
  await r.set('kept', 'kv-value');
  r.disconnect();
  t.deepEqual(await readAll(uris), ['pg-row', 'my-row', 'kv-value']);

  await cli(t, home, 'local', 'down');
  for (const v of targets) {
    t.deepEqual(processesMentioning(v), [], `no engine runs on ${v} after local down`);
    t.true(existsSync(join(v, 'data')), `${v} is kept by local down`);
  }

  await cli(t, home, 'local', 'up');
  const back = await waitUntil(() => readAll(uris).catch(() => undefined), 180_000, 'the engines to be back with their data');
  t.deepEqual(back, ['pg-row', 'my-row', 'kv-value']);

  t.regex(await cli(t, home, 'destroy', 'main.hcl', '-auto-approve'), /Destroy complete! Resources: 0 added, 0 changed, 3 destroyed/);
  for (const v of targets) t.false(existsSync(v), `${v} is removed by destroy`);
  t.deepEqual(existsSync(volumes) ? readdirSync(volumes) : [], [], 'no link is left');
  await cli(t, home, 'local', 'down');
  t.deepEqual(processesMentioning(home), [], 'no process of this stack is left');
  for (const v of targets) t.deepEqual(processesMentioning(v), []);
});
