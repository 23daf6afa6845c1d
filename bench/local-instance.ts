/**
 * bench/local-instance: create → connectable for a PostgreSQL instance through `dbstack apply`
 * on the local cloud, beside the bare minimum done by hand in the same run (initdb + server
 * start + createdb + createuser + connect). Target: dbstack ≤ 1.3× the bare figure.
 *
 *   node dist/bench/local-instance.js [--runs 3]
 *
 * Both sides run the engine the same way (durable initdb, as the postgres user when root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../guest/datastores/ports.js';
import { findPostgresBinaries } from '../guest/datastores/postgresql-binaries.js';

const CLI = fileURLToPath(new URL('../cmd/dbstack.js', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

const STACK = `
resource "database_instance" "db" {
  datastore = { type = "postgresql" }
  volume    = { size = 1 }
  database "app" {}
  user "app" {
    password  = "bench-password-1"
    databases = ["app"]
  }
}
output "uri" {
  value     = database_instance.db.connection_uri
  sensitive = true
}
`;

async function connect(uri: string): Promise<void> {
  const c = new pg.Client({ connectionString: uri });
  await c.connect();
  await c.query('SELECT 1');
  await c.end();
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** initdb + start + createdb + createuser + connect, by hand. */
async function bare(): Promise<number> {
  const { binDir } = findPostgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-bare-'));
  chmodSync(dir, 0o711);
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  const user = postgresUser();
  const as = (cmd: string, args: string[]) => {
    const r = spawnSync(join(binDir, cmd), args, { encoding: 'utf8', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  const port = await freePort();
  const t0 = performance.now();
  try {
    for (const d of [data, sock]) {
      mkdirSync(d, { mode: 0o700 });
      if (user) chownSync(d, user.uid, user.gid);
    }
    as('initdb', ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256']);
    as('pg_ctl', ['-D', data, '-w', '-l', join(sock, 'log'), '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1`, 'start']);
    const admin = new pg.Client({ host: sock, port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE app');
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'bench-password-1'`);
    await admin.query('GRANT ALL ON DATABASE app TO app');
    await admin.end();
    await connect(`postgresql://app:bench-password-1@127.0.0.1:${port}/app`);
    return performance.now() - t0;
  } finally {
    spawnSync(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop'], { ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `dbstack apply` of one instance, until a client is connected; `warm`: the local cloud already runs. */
async function viaDbstack(warm: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-local-'));
  chmodSync(dir, 0o711);
  writeFileSync(join(dir, 'db.hcl'), STACK);
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DBSTACK_TEST_FAST: '' } });
    if (r.status !== 0) throw new Error(`dbstack ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  try {
    if (warm) cli('local', 'up');
    const t0 = performance.now();
    cli('apply', 'db.hcl', '-auto-approve');
    await connect(cli('output', '-raw', 'uri'));
    return performance.now() - t0;
  } finally {
    spawnSync(process.execPath, [CLI, 'destroy', 'db.hcl', '-auto-approve'], { cwd: dir });
    spawnSync(process.execPath, [CLI, 'local', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results = { bare: [] as number[], cold: [] as number[], warm: [] as number[] };
for (let i = 0; i < runs; i++) {
  results.bare.push(await bare());
  results.cold.push(await viaDbstack(false));
  results.warm.push(await viaDbstack(true));
}
const b = median(results.bare);
const row = (name: string, xs: number[]) => `${name.padEnd(44)} ${median(xs).toFixed(0).padStart(7)} ms  (${(median(xs) / b).toFixed(2)}× bare; runs ${xs.map((x) => x.toFixed(0)).join(', ')})`;
console.log(`PostgreSQL create → connectable, median of ${runs}`);
console.log(row('bare: initdb + start + createdb/user + connect', results.bare));
console.log(row('dbstack apply, local cloud already up', results.warm));
console.log(row('dbstack apply, local cloud started on demand', results.cold));
console.log(`target: dbstack ≤ 1.3× bare — warm ${median(results.warm) / b <= 1.3 ? 'met' : 'NOT met'}, cold ${median(results.cold) / b <= 1.3 ? 'met' : 'NOT met'}`);
