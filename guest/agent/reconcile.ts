/**
 * Converges one datastore engine to a desired spec: check the type and version, init + start
 * once, pre-flight what the engine could refuse, apply configuration, ensure databases and
 * users (undone in reverse when a later step fails, see undo.ts), remove what earlier specs
 * declared and this one does not (see managed.ts), then observe. Status fields never carry
 * passwords.
 */
import type { JsonObject, JsonValue } from '../protocol/messages.js';
import type { DatastoreDriver, DatastoreType, Engine, UserRef } from '../datastores/types.js';
import { pidAlive } from '../datastores/process.js';
import { emptyManaged, removals, union, userKey, type Managed } from './managed.js';
import { parseSpec, versionMatches } from './spec.js';
import { generationError, UndoLog } from './undo.js';

export { parseSpec, versionMatches, SpecError, type DesiredDatastoreSpec } from './spec.js';

/** The status fields a reconcile (or a heartbeat) produces; while the engine is down only datastore and health. */
export interface ObservedStatus {
  datastore: JsonObject;
  databases?: string[];
  users?: string[];
  config?: JsonObject;
  health: JsonObject;
}

export type Progress = (message: string, level?: 'info' | 'warn') => void;

export interface ReconcilerOptions {
  type: DatastoreType;
  dataDir: string;
  port: number;
  host?: string;
}

const PRODUCT: Record<DatastoreType, string> = { postgresql: 'PostgreSQL', mariadb: 'MariaDB', mysql: 'MySQL', redis: 'Redis' };

/** Set when the type asked for is served by another engine (mysql → MariaDB). */
export function servedByNote(type: DatastoreType, engine: Engine): string | undefined {
  return type === engine ? undefined : `${type} is served by ${PRODUCT[engine]} (no ${PRODUCT[type]} server on this machine)`;
}

export class Reconciler {
  private started = false;
  private initialised = false;
  private engineVersion?: string;
  private managedState: Managed = emptyManaged();

  constructor(readonly driver: DatastoreDriver, private readonly opts: ReconcilerOptions) {}

  /** True once the data directory has been initialised by this agent run. */
  get isInitialised(): boolean { return this.initialised; }
  get isRunning(): boolean { return this.started; }
  /** What specs declared so far (a copy, for the state file). */
  get managed(): Managed { return structuredClone(this.managedState); }
  /** Restores what an earlier agent run managed (from the state file). */
  restoreManaged(m: Managed): void { this.managedState = structuredClone(m); }

  /** True while the engine's server process exists. */
  engineAlive(): boolean {
    const pid = this.driver.pid();
    return pid !== undefined && pidAlive(pid);
  }

  private startOptions() {
    return { dataDir: this.opts.dataDir, port: this.opts.port, ...(this.opts.host ? { host: this.opts.host } : {}) };
  }

  /** init + start once per agent run; a later call restarts an engine whose process died. */
  async ensureRunning(progress: Progress = () => {}): Promise<void> {
    if (this.started) {
      if (!this.engineAlive()) await this.restart(progress);
      return;
    }
    const t0 = Date.now();
    await this.driver.init(this.opts.dataDir);
    this.initialised = true;
    await this.driver.start(this.startOptions());
    this.started = true;
    this.engineVersion = await this.driver.version();
    progress(`${this.driver.engine} ${this.engineVersion} started on port ${this.opts.port} (${Date.now() - t0} ms)`);
  }

  /** Stops what is left of the engine (a dead process is fine) and starts it on the same data dir. */
  async restart(progress: Progress = () => {}): Promise<void> {
    const t0 = Date.now();
    try { await this.driver.stop(); } catch (e) { progress(`stopping the old ${this.driver.engine} server: ${(e as Error).message}`, 'warn'); }
    await this.driver.start(this.startOptions());
    this.started = true;
    progress(`${this.driver.engine} restarted on port ${this.opts.port}, pid ${this.driver.pid()} (${Date.now() - t0} ms)`);
  }

  /** Checked against the installed binary before anything is initialised or started. */
  private async checkVersion(wanted: string | undefined): Promise<void> {
    this.engineVersion ??= await this.driver.version();
    if (wanted === undefined || versionMatches(wanted, this.engineVersion)) return;
    const note = servedByNote(this.opts.type, this.driver.engine);
    throw new Error(`version ${wanted} requested, but the installed ${this.driver.engine} server is version ${this.engineVersion}${note ? `; ${note}` : ''}`);
  }

  /**
   * One generation, all or nothing: everything the engine can refuse is checked first
   * (configuration, names, charsets, granted databases); then settings, databases and users are
   * applied, each step registering its undo first; a failure undoes them in reverse (settings
   * back to their old values, created databases and users dropped, changed passwords put back
   * from the engine's own hashes) and restores the managed record. Removals (revokes, drops)
   * run last, once everything else held; what they removed before a failure stays removed.
   */
  async reconcile(rawSpec: unknown, progress: Progress = () => {}): Promise<ObservedStatus> {
    const spec = parseSpec(rawSpec);
    if (!this.driver.servesAs.includes(spec.datastore)) {
      throw new Error(`this instance runs ${this.opts.type} (${this.driver.servesAs.join('/')}), not ${spec.datastore}`);
    }
    await this.checkVersion(spec.version);
    await this.ensureRunning(progress);
    const config = spec.config ?? {};
    const databases = spec.databases ?? [];
    const users = spec.users ?? [];
    const check = Object.keys(config).length ? await this.driver.validateConfig(config) : { errors: [], restartRequired: [] };
    if (check.errors.length > 0) throw new Error(`invalid configuration: ${check.errors.join('; ')}`);
    const refused = await this.driver.preflight({ databases, users });
    if (refused.length) throw new Error(refused.join('; '));

    const before = structuredClone(this.managedState);
    const m = this.managedState;
    const engine = this.driver.engine;
    const gone = removals(engine, before, spec);
    const undo = new UndoLog();
    try {
      const seen = await this.driver.observe();
      m.config = Object.keys(config);
      if (m.config.length > 0) {
        const old = lowerKeys(seen.config);
        const previous = Object.fromEntries(m.config.flatMap((k) => (old.has(k.toLowerCase()) ? [[k, old.get(k.toLowerCase())!]] : [])));
        undo.push(`setting(s) ${Object.keys(previous).join(', ')}`, async () => { await this.driver.applyConfig(previous); });
        const { restarted } = await this.driver.applyConfig(config);
        progress(`applied ${m.config.length} setting(s)${restarted ? `; restarted for ${check.restartRequired.join(', ')}` : ''}`);
        const now = lowerKeys((await this.driver.observe()).config);
        m.applied = Object.fromEntries(m.config.map((k) => [k, { desired: config[k]!, engine: now.get(k.toLowerCase()) ?? String(config[k]) }]));
      } else delete m.applied;
      if (databases.length) {
        const created = databases.map((d) => d.name).filter((n) => !seen.databases.includes(n));
        if (created.length) undo.push(`database(s) ${created.join(', ')} created`, () => this.driver.dropDatabases(created));
        await this.driver.ensureDatabases(databases);
        m.databases = union(m.databases, databases.map((d) => d.name));
        progress(`ensured database(s) ${databases.map((d) => d.name).join(', ')}`);
      }
      if (users.length) {
        const present = new Set(seen.users);
        const isNew = (u: UserRef) => !present.has(engine === 'mariadb' ? userKey(engine, u) : u.name);
        const snapshot = await this.driver.snapshotUsers(users.filter((u) => !isNew(u)));
        const grantedBefore = (u: UserRef) => before.users.find((p) => userKey(engine, p) === userKey(engine, u))?.databases ?? [];
        undo.push(`user(s) ${users.map((u) => u.name).join(', ')}`, async () => {
          for (const u of users.filter((x) => !isNew(x))) {
            const added = (u.databases ?? []).filter((d) => !grantedBefore(u).includes(d));
            if (added.length) await this.driver.revokeGrants(u, added);
          }
          // only the new users the engine really holds now (one it refused may not even be droppable)
          const now = new Set((await this.driver.observe()).users);
          const fresh = users.filter((u) => isNew(u) && now.has(engine === 'mariadb' ? userKey(engine, u) : u.name));
          if (fresh.length) await this.driver.dropUsers(fresh);
          await this.driver.restoreUsers(snapshot);
        });
        await this.driver.ensureUsers(users);
        for (const u of users) {
          const key = userKey(engine, u);
          const prev = m.users.find((p) => userKey(engine, p) === key);
          // old grants stay recorded until revoked below
          const rec = { name: u.name, ...(u.host !== undefined ? { host: u.host } : {}), databases: union(prev?.databases ?? [], u.databases ?? []) };
          m.users = [...m.users.filter((p) => p !== prev), rec];
        }
        progress(`ensured user(s) ${users.map((u) => u.name).join(', ')}`);
      }
    } catch (e) {
      throw await this.rollback(e, undo, before, progress);
    }
    // Removals cannot be undone: each is recorded in `before` too, so a rollback keeps it removed.
    try {
      for (const { user, databases: dbs } of gone.revokes) {
        await this.driver.revokeGrants(user, dbs);
        for (const rec of [m, before].flatMap((x) => x.users.filter((p) => userKey(engine, p) === userKey(engine, user)))) {
          rec.databases = rec.databases.filter((d) => !dbs.includes(d));
        }
        progress(`revoked ${user.name}'s rights on ${dbs.join(', ')}`);
      }
      if (gone.users.length) {
        await this.driver.dropUsers(gone.users);
        const dropped = new Set(gone.users.map((u) => userKey(engine, u)));
        m.users = m.users.filter((u) => !dropped.has(userKey(engine, u)));
        before.users = before.users.filter((u) => !dropped.has(userKey(engine, u)));
        progress(`dropped user(s) ${gone.users.map((u) => u.name).join(', ')}`);
      }
      if (gone.databases.length) {
        await this.driver.dropDatabases(gone.databases);
        m.databases = m.databases.filter((d) => !gone.databases.includes(d));
        before.databases = before.databases.filter((d) => !gone.databases.includes(d));
        progress(engine === 'redis'
          ? `database(s) ${gone.databases.join(', ')} no longer managed (redis databases are not flushed)`
          : `dropped database(s) ${gone.databases.join(', ')}`);
      }
    } catch (e) {
      throw await this.rollback(e, undo, before, progress);
    }
    return this.observe();
  }

  private async rollback(cause: unknown, undo: UndoLog, before: Managed, progress: Progress): Promise<Error> {
    const result = await undo.rollback();
    this.managedState = before;
    if (result.undone.length || result.failed.length) {
      progress(`rolled back ${result.undone.join(', ') || 'nothing'}${result.failed.length ? `; could not roll back ${result.failed.join(', ')}` : ''}`, result.failed.length ? 'warn' : 'info');
    }
    return generationError(cause, result);
  }

  /** Which engine serves the datastore, its version and port. */
  describe(): JsonObject {
    const note = servedByNote(this.opts.type, this.driver.engine);
    return { type: this.opts.type, engine: this.driver.engine, version: this.engineVersion ?? null, port: this.opts.port, ...(note ? { note } : {}) };
  }

  /** The status fields: names only for databases and users, the managed settings, health. */
  async observe(): Promise<ObservedStatus> {
    const health = await this.driver.health();
    const datastore = this.describe();
    const healthJson: JsonObject = health.detail ? { ok: health.ok, detail: health.detail } : { ok: health.ok };
    if (!health.ok) return { datastore, health: healthJson };
    const o = await this.driver.observe();
    const lower = lowerKeys(o.config);
    const config: JsonObject = {};
    for (const k of this.managedState.config) {
      const seen = lower.get(k.toLowerCase()) ?? null;
      const applied = this.managedState.applied?.[k];
      // Unchanged since applied: the spec's own value, so '8MB' is not reported as drift to '8192'.
      config[k] = (applied && seen === applied.engine ? applied.desired : seen) as JsonValue;
    }
    // MariaDB observes accounts (name@host); the status, like the spec's users, names users
    const users = this.driver.engine === 'mariadb' ? [...new Set(o.users.map((u) => u.slice(0, u.lastIndexOf('@'))))] : [...o.users];
    return { datastore, databases: [...o.databases], users, config, health: healthJson };
  }

  /** Stops the engine cleanly (process gone, port free). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.driver.stop();
  }
}

function lowerKeys(config: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(config).map(([k, v]) => [k.toLowerCase(), v]));
}
