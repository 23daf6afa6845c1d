/**
 * Converges one datastore engine to a desired spec: check the type and version, init + start
 * once, validate and apply configuration, ensure databases and users, remove what earlier specs
 * declared and this one does not (see managed.ts), then observe. Status fields never carry
 * passwords.
 */
import type { JsonObject, JsonValue } from '../protocol/messages.js';
import type { DatastoreDriver, DatastoreType, Engine } from '../datastores/types.js';
import { pidAlive } from '../datastores/process.js';
import { emptyManaged, removals, union, userKey, type Managed } from './managed.js';
import { parseSpec, versionMatches } from './spec.js';

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

  async reconcile(rawSpec: unknown, progress: Progress = () => {}): Promise<ObservedStatus> {
    const spec = parseSpec(rawSpec);
    if (!this.driver.servesAs.includes(spec.datastore)) {
      throw new Error(`this instance runs ${this.opts.type} (${this.driver.servesAs.join('/')}), not ${spec.datastore}`);
    }
    await this.checkVersion(spec.version);
    await this.ensureRunning(progress);
    const config = spec.config ?? {};
    const m = this.managedState;
    m.config = Object.keys(config);
    if (m.config.length > 0) {
      const check = await this.driver.validateConfig(config);
      if (check.errors.length > 0) throw new Error(`invalid configuration: ${check.errors.join('; ')}`);
      const { restarted } = await this.driver.applyConfig(config);
      progress(`applied ${m.config.length} setting(s)${restarted ? `; restarted for ${check.restartRequired.join(', ')}` : ''}`);
      const now = lowerKeys((await this.driver.observe()).config);
      m.applied = Object.fromEntries(m.config.map((k) => [k, { desired: config[k]!, engine: now.get(k.toLowerCase()) ?? String(config[k]) }]));
    } else delete m.applied;
    const gone = removals(this.driver.engine, m, spec);
    const engine = this.driver.engine;
    // Recorded as soon as each step succeeds, so a later failure cannot orphan what was created.
    if (spec.databases?.length) {
      await this.driver.ensureDatabases(spec.databases);
      m.databases = union(m.databases, spec.databases.map((d) => d.name));
      progress(`ensured database(s) ${spec.databases.map((d) => d.name).join(', ')}`);
    }
    if (spec.users?.length) {
      await this.driver.ensureUsers(spec.users);
      for (const u of spec.users) {
        const key = userKey(engine, u);
        const prev = m.users.find((p) => userKey(engine, p) === key);
        // old grants stay recorded until revoked below
        const rec = { name: u.name, ...(u.host !== undefined ? { host: u.host } : {}), databases: union(prev?.databases ?? [], u.databases ?? []) };
        m.users = [...m.users.filter((p) => p !== prev), rec];
      }
      progress(`ensured user(s) ${spec.users.map((u) => u.name).join(', ')}`);
    }
    for (const { user, databases } of gone.revokes) {
      await this.driver.revokeGrants(user, databases);
      const rec = m.users.find((p) => userKey(engine, p) === userKey(engine, user));
      if (rec) rec.databases = rec.databases.filter((d) => !databases.includes(d));
      progress(`revoked ${user.name}'s rights on ${databases.join(', ')}`);
    }
    if (gone.users.length) {
      await this.driver.dropUsers(gone.users);
      const dropped = new Set(gone.users.map((u) => userKey(engine, u)));
      m.users = m.users.filter((u) => !dropped.has(userKey(engine, u)));
      progress(`dropped user(s) ${gone.users.map((u) => u.name).join(', ')}`);
    }
    if (gone.databases.length) {
      await this.driver.dropDatabases(gone.databases);
      m.databases = m.databases.filter((d) => !gone.databases.includes(d));
      progress(engine === 'redis'
        ? `database(s) ${gone.databases.join(', ')} no longer managed (redis databases are not flushed)`
        : `dropped database(s) ${gone.databases.join(', ')}`);
    }
    return this.observe();
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
