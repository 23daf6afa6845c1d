import { existsSync, mkdirSync, chmodSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import type { DatastoreDriver, DatabaseSpec, UserSpec, UserRef, UserSnapshot, Observed, ConfigCheck, StartOptions, DriverOptions, DatastoreType } from './types.js';
import { InvalidConfigError } from './types.js';
import { engineIdentity, chownTree, requireBinary, runAs, isRoot, type Identity } from './run-as.js';
import { spawnServer, waitHealthy, stopProcess, readPidFile } from './process.js';
import { waitPortFree } from './ports.js';
import { mariaRules, mariaValidate, mariaValue } from './mariadb-config.js';
import { privateTempDir, sweepOrphanTempDirs } from './temp-dirs.js';
import { requirePasswords } from './user-checks.js';
import { mariaPreflight, mariaRestoreUsers, mariaSnapshotUsers } from './guard-mariadb.js';

const DEB = 'mariadb-server';
const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
/** The agent's own account, reached over the private unix socket only (host `localhost`). */
export const MARIADB_ADMIN = { user: 'dbstack_admin', host: 'localhost', passwordFile: 'dbstack-admin.pw' } as const;
const OLD_ROOT_PW = 'dbstack-root.pw'; // data dirs of earlier versions: root@localhost had this password
const SECURE_SQL = 'dbstack-secure.sql'; // --init-file of the first start; removed once the server is up
const PERSISTED = 'dbstack-config.json'; // settings applied with applyConfig, passed as --name=value at start
const SYSTEM_DBS = new Set(['information_schema', 'mysql', 'performance_schema', 'sys']);
const SYSTEM_USERS = new Set(['root', 'mariadb.sys', 'mysql', 'PUBLIC', '', MARIADB_ADMIN.user]);
const ER_NONEXISTING_GRANT = 1141; // REVOKE of a right the user never had

const ident = (s: string) => '`' + s.replace(/`/g, '``') + '`';
const word = (s: string, what: string) => { if (!/^\w+$/.test(s)) throw new Error(`invalid ${what} '${s}'`); return s; };
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The mysql_native_password hash (`*` + hex SHA1(SHA1(password))): what the server stores. */
export function nativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(inner).digest('hex').toUpperCase();
}

/**
 * What secures a data dir, run by the server as --init-file before it accepts any connection:
 * mariadb-install-db leaves root@localhost, root@127.0.0.1, root@::1, root@<hostname> and
 * anonymous accounts without a password. All of them go (the statements of
 * mysql_secure_installation, for every root account), and the agent's own account is created
 * from the password's hash (no password in clear in any file but the 0600 password file).
 */
function secureSql(adminPassword: string): string {
  const who = `${literal(MARIADB_ADMIN.user)}@${literal(MARIADB_ADMIN.host)}`;
  const hash = literal(nativePasswordHash(adminPassword));
  const noRoot = `WHERE User = '' OR User = 'root'`;
  return [
    ...['global_priv', 'db', 'tables_priv', 'columns_priv', 'procs_priv', 'proxies_priv', 'roles_mapping'].map((t) => `DELETE FROM mysql.${t} ${noRoot};`),
    'FLUSH PRIVILEGES;',
    `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY PASSWORD ${hash};`,
    `ALTER USER ${who} IDENTIFIED BY PASSWORD ${hash} ACCOUNT UNLOCK;`,
    `GRANT ALL PRIVILEGES ON *.* TO ${who} WITH GRANT OPTION;`,
    '',
  ].join('\n');
}

/**
 * MariaDB (also serves the `mysql` datastore type). mariadb-install-db creates passwordless root
 * and anonymous accounts; the first start (--init-file, before any connection is accepted)
 * removes them all and creates the agent's own account `dbstack_admin@localhost`, whose generated
 * password is kept in dbstack-admin.pw (0600) in the data dir. The agent connects over the
 * private unix socket. /etc/mysql is never read (--no-defaults first).
 */
export class MariaDbDriver implements DatastoreDriver {
  readonly engine = 'mariadb' as const;
  readonly servesAs: readonly DatastoreType[] = ['mariadb', 'mysql'];
  private child?: ChildProcess;
  private opts?: StartOptions;
  private sockDir?: string;
  private id?: Identity;

  constructor(private readonly options: DriverOptions = {}) {}

  private ident(): Identity { return (this.id ??= engineIdentity('mysql', DEB)); }

  async version(): Promise<string> {
    const { stdout } = await runAs(this.ident(), requireBinary(MARIADBD, DEB), ['--version']);
    const m = /Ver\s+(\d+(\.\d+)+)/.exec(stdout);
    return m ? m[1]! : stdout.trim();
  }

  async init(dataDir: string): Promise<void> {
    const installed = existsSync(join(dataDir, 'mysql'));
    if (installed && existsSync(join(dataDir, MARIADB_ADMIN.passwordFile))) return;
    const id = this.ident();
    requireBinary(MARIADBD, DEB);
    if (!installed) {
      mkdirSync(dataDir, { recursive: true });
      chmodSync(dataDir, 0o700);
      chownTree(dataDir, id);
      // a private tmpdir: concurrent bootstraps sharing /tmp have been seen to lose temporary tables
      sweepOrphanTempDirs();
      const tmp = privateTempDir('myinit', id);
      const args = ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--tmpdir=${tmp}`];
      if (id.switched) args.push(`--user=${id.user}`);
      try {
        await runAs(id, requireBinary(INSTALL_DB, DEB), args);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    // also reached by a data dir of an earlier version (root@localhost with a password): secured the same way
    const pw = randomBytes(24).toString('base64url');
    const sql = join(dataDir, SECURE_SQL);
    writeFileSync(sql, secureSql(pw), { mode: 0o600 });
    chownTree(sql, id);
    writeFileSync(join(dataDir, MARIADB_ADMIN.passwordFile), pw, { mode: 0o600 });
  }

  private persisted(dataDir: string): Record<string, string> {
    const p = join(dataDir, PERSISTED);
    return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
  }

  async start(opts: StartOptions): Promise<void> {
    if (this.child) throw new Error('mariadb is already running');
    const id = this.ident();
    const host = opts.host ?? '127.0.0.1';
    sweepOrphanTempDirs();
    this.sockDir = privateTempDir('my', id); // socket and tmpdir
    const secure = join(opts.dataDir, SECURE_SQL);
    const args = [
      '--no-defaults', `--datadir=${opts.dataDir}`, `--port=${opts.port}`, `--socket=${join(this.sockDir, 'mysqld.sock')}`,
      `--bind-address=${host}`, '--skip-networking=0', '--skip-name-resolve', `--tmpdir=${this.sockDir}`, `--pid-file=${join(opts.dataDir, 'mariadbd.pid')}`,
    ];
    if (existsSync(secure)) args.push(`--init-file=${secure}`);
    if (isRoot()) args.push(`--user=${id.user}`);
    if (this.options.fast) args.push('--innodb-flush-log-at-trx-commit=2', '--innodb-buffer-pool-size=32M');
    const extra = { ...this.persisted(opts.dataDir), ...(opts.config ?? {}) };
    for (const [k, v] of Object.entries(extra)) args.push(`--${k.replace(/_/g, '-')}=${String(v)}`);
    const log = join(opts.dataDir, 'dbstack-server.log');
    this.opts = { ...opts, host };
    this.child = spawnServer(id, MARIADBD, args, log);
    try {
      await waitHealthy(this.child, () => this.health(), 'mariadbd', log);
      rmSync(secure, { force: true });
      rmSync(join(opts.dataDir, OLD_ROOT_PW), { force: true });
    } catch (e) {
      await stopProcess(this.child, undefined, 'SIGKILL');
      this.cleanup();
      this.opts = undefined;
      throw e;
    }
  }

  private socket(): string {
    if (!this.sockDir) throw new Error('mariadb is not running');
    return join(this.sockDir, 'mysqld.sock');
  }

  private adminPassword(): string { return readFileSync(join(this.opts!.dataDir, MARIADB_ADMIN.passwordFile), 'utf8').trim(); }

  private async conn<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
    const c = await mysql.createConnection({ socketPath: this.socket(), user: MARIADB_ADMIN.user, password: this.adminPassword(), connectTimeout: 5000 });
    try { return await fn(c); } finally { await c.end().catch(() => undefined); }
  }

  pid(): number | undefined {
    return this.child?.pid ?? (this.opts ? readPidFile(join(this.opts.dataDir, 'mariadbd.pid')) : undefined);
  }

  async stop(): Promise<void> {
    if (!this.opts) return;
    const { port, host } = this.opts;
    await stopProcess(this.child, this.pid(), 'SIGTERM', 60000); // SIGTERM = clean shutdown
    await waitPortFree(port, host);
    this.cleanup();
  }

  private cleanup(): void {
    this.child = undefined;
    if (this.sockDir) rmSync(this.sockDir, { recursive: true, force: true });
    this.sockDir = undefined;
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const [rows] = await this.conn((c) => c.query<mysql.RowDataPacket[]>('SELECT 1 AS ok'));
      return rows[0]?.ok === 1 ? { ok: true } : { ok: false, detail: 'unexpected reply' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  async ensureDatabases(dbs: DatabaseSpec[]): Promise<void> {
    await this.conn(async (c) => {
      for (const db of dbs) {
        let sql = `CREATE DATABASE IF NOT EXISTS ${ident(db.name)}`;
        if (db.charset) sql += ` CHARACTER SET ${word(db.charset, 'charset')}`;
        if (db.collation) sql += ` COLLATE ${word(db.collation, 'collation')}`;
        await c.query(sql);
      }
    });
  }

  /** Passwords are sent as their mysql_native_password hash, never in clear. */
  async ensureUsers(users: UserSpec[]): Promise<void> {
    requirePasswords('mariadb', users);
    const reserved = users.filter((u) => SYSTEM_USERS.has(u.name)).map((u) => `'${u.name}'`);
    if (reserved.length) throw new Error(`mariadb user ${reserved.join(', ')}: the name is reserved for the engine or the agent; choose another`);
    await this.conn(async (c) => {
      for (const u of users) {
        const host = u.host ?? '%';
        const hash = nativePasswordHash(u.password);
        await c.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY PASSWORD ?', [u.name, host, hash]);
        await c.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ?', [u.name, host, hash]);
        for (const db of u.databases ?? []) await c.query(`GRANT ALL PRIVILEGES ON ${ident(db)}.* TO ?@?`, [u.name, host]);
      }
    });
  }

  async dropDatabases(names: string[]): Promise<void> {
    await this.conn(async (c) => {
      for (const name of names) if (!SYSTEM_DBS.has(name)) await c.query(`DROP DATABASE IF EXISTS ${ident(name)}`);
    });
  }

  /**
   * MariaDB keeps a dropped account's open sessions running, so once no account of that name is
   * left its sessions are killed (the processlist names users, not accounts).
   */
  async dropUsers(users: UserRef[]): Promise<void> {
    await this.conn(async (c) => {
      for (const u of users) {
        if (SYSTEM_USERS.has(u.name)) continue;
        await c.query('DROP USER IF EXISTS ?@?', [u.name, u.host ?? '%']);
        const [left] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [u.name]);
        if (left.length) continue;
        const [sessions] = await c.query<mysql.RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?', [u.name]);
        for (const r of sessions) await c.query(`KILL CONNECTION ${Number(r.ID)}`).catch(() => undefined); // may have ended meanwhile
      }
    });
  }

  async revokeGrants(user: UserRef, databases: string[]): Promise<void> {
    if (SYSTEM_USERS.has(user.name)) return;
    const host = user.host ?? '%';
    await this.conn(async (c) => {
      const [found] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?', [user.name, host]);
      if (!found.length) return;
      for (const db of databases) {
        // the grant row outlives DROP DATABASE, so it is revoked whether or not the database exists
        await c.query(`REVOKE ALL PRIVILEGES ON ${ident(db)}.* FROM ?@?`, [user.name, host]).catch((e: { errno?: number }) => {
          if (e.errno !== ER_NONEXISTING_GRANT) throw e;
        });
      }
    });
  }

  preflight(spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]> { return this.conn((c) => mariaPreflight(c, spec)); }
  snapshotUsers(users: UserRef[]): Promise<UserSnapshot> { return this.conn((c) => mariaSnapshotUsers(c, users)); }
  restoreUsers(snapshot: UserSnapshot): Promise<void> { return this.conn((c) => mariaRestoreUsers(c, snapshot)); }

  async observe(): Promise<Observed> {
    return this.conn(async (c) => {
      const [dbs] = await c.query<mysql.RowDataPacket[]>('SHOW DATABASES');
      const [users] = await c.query<mysql.RowDataPacket[]>('SELECT User, Host FROM mysql.user ORDER BY User, Host');
      const [vars] = await c.query<mysql.RowDataPacket[]>('SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES');
      return {
        databases: dbs.map((r) => String(r.Database)).filter((d) => !SYSTEM_DBS.has(d)).sort(),
        users: users.filter((r) => !SYSTEM_USERS.has(String(r.User))).map((r) => `${r.User}@${r.Host}`),
        config: Object.fromEntries(vars.map((r) => [String(r.VARIABLE_NAME).toLowerCase(), String(r.VARIABLE_VALUE ?? '')])),
      };
    });
  }

  async validateConfig(values: Record<string, unknown>): Promise<ConfigCheck> {
    return mariaValidate(await this.conn(mariaRules), values);
  }

  async applyConfig(values: Record<string, unknown>): Promise<{ restarted: boolean }> {
    const rules = await this.conn(mariaRules);
    const check = mariaValidate(rules, values);
    if (check.errors.length) throw new InvalidConfigError(check.errors);
    const opts = this.opts!;
    const persisted = this.persisted(opts.dataDir);
    await this.conn(async (c) => {
      for (const [k, v] of Object.entries(values)) {
        const name = k.toLowerCase().replace(/-/g, '_');
        const rule = rules.get(name)!;
        persisted[name] = String(typeof v === 'boolean' ? (v ? 'ON' : 'OFF') : v);
        if (!rule.restart) await c.query(`SET GLOBAL ${name} = ?`, [mariaValue(rule, v)]);
      }
    });
    writeFileSync(join(opts.dataDir, PERSISTED), JSON.stringify(persisted, null, 2) + '\n', { mode: 0o600 });
    if (!check.restartRequired.length) return { restarted: false };
    await this.stop();
    await this.start(opts);
    return { restarted: true };
  }

  connectionUri(user: string, password: string, database?: string): string {
    const host = this.opts?.host ?? '127.0.0.1';
    return `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${this.opts?.port ?? 3306}/${database ? encodeURIComponent(database) : ''}`;
  }
}
