/**
 * Converges one datastore engine to a desired spec: init + start once, validate and apply
 * configuration, ensure databases and users, then observe. Status fields never carry passwords.
 */
import type { JsonObject, JsonValue } from '../protocol/messages.js';
import type { ConfigValue, DatabaseSpec, DatastoreDriver, DatastoreType, UserSpec } from '../datastores/types.js';

export interface DesiredDatastoreSpec {
  datastore: DatastoreType;
  version?: string;
  config?: Record<string, ConfigValue>;
  databases?: DatabaseSpec[];
  users?: UserSpec[];
}

/** The status fields a reconcile (or a heartbeat) produces. */
export interface ObservedStatus {
  datastore: JsonObject;
  databases: string[];
  users: string[];
  config: JsonObject;
  health: JsonObject;
}

export class SpecError extends Error {
  constructor(problems: string[]) {
    super(`invalid desired spec: ${problems.join('; ')}`);
    this.name = 'SpecError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optStr = (v: unknown) => v === undefined || isStr(v);

/** Shape check of the generic desired spec (the protocol leaves it to the drivers). */
export function parseSpec(spec: unknown): DesiredDatastoreSpec {
  const p: string[] = [];
  if (!isObject(spec)) throw new SpecError(['expected an object']);
  if (!isStr(spec.datastore)) p.push('datastore is required');
  if (spec.version !== undefined && typeof spec.version !== 'string') p.push('version must be a string');
  if (spec.config !== undefined) {
    if (!isObject(spec.config)) p.push('config must be an object');
    else for (const [k, v] of Object.entries(spec.config)) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) p.push(`config.${k} must be a string, number or boolean`);
    }
  }
  const list = (name: 'databases' | 'users', check: (e: Record<string, unknown>, i: number) => void) => {
    const v = spec[name];
    if (v === undefined) return;
    if (!Array.isArray(v)) return void p.push(`${name} must be a list`);
    v.forEach((e, i) => (isObject(e) ? check(e, i) : p.push(`${name}[${i}] must be an object`)));
  };
  list('databases', (d, i) => {
    if (!isStr(d.name)) p.push(`databases[${i}].name is required`);
    if (!optStr(d.charset) || !optStr(d.collation)) p.push(`databases[${i}]: charset/collation must be strings`);
  });
  list('users', (u, i) => {
    if (!isStr(u.name)) p.push(`users[${i}].name is required`);
    if (typeof u.password !== 'string') p.push(`users[${i}].password is required`);
    if (!optStr(u.host)) p.push(`users[${i}].host must be a string`);
    if (u.databases !== undefined && !(Array.isArray(u.databases) && u.databases.every(isStr))) p.push(`users[${i}].databases must be a list of names`);
  });
  if (p.length > 0) throw new SpecError(p);
  return spec as unknown as DesiredDatastoreSpec;
}

/** '15' matches '15.20', '15.2' matches '15.2.1'; '1' does not match '15.2'. */
export function versionMatches(wanted: string, actual: string): boolean {
  const w = wanted.split('.');
  const a = actual.split('.');
  return w.length <= a.length && w.every((part, i) => part === a[i]);
}

export type Progress = (message: string, level?: 'info' | 'warn') => void;

export interface ReconcilerOptions {
  type: DatastoreType;
  dataDir: string;
  port: number;
  host?: string;
}

export class Reconciler {
  private started = false;
  private initialised = false;
  private engineVersion?: string;
  /** Config keys the last desired spec managed; status reports these (pg_settings has ~350). */
  private managedConfig: string[] = [];

  constructor(readonly driver: DatastoreDriver, private readonly opts: ReconcilerOptions) {}

  /** True once the data directory has been initialised by this agent run. */
  get isInitialised(): boolean { return this.initialised; }
  get isRunning(): boolean { return this.started; }

  /** init + start, once per agent run (a later call is a no-op while running). */
  async ensureRunning(progress: Progress = () => {}): Promise<void> {
    if (this.started) return;
    const t0 = Date.now();
    await this.driver.init(this.opts.dataDir);
    this.initialised = true;
    await this.driver.start({ dataDir: this.opts.dataDir, port: this.opts.port, ...(this.opts.host ? { host: this.opts.host } : {}) });
    this.started = true;
    this.engineVersion = await this.driver.version();
    progress(`${this.driver.engine} ${this.engineVersion} started on port ${this.opts.port} (${Date.now() - t0} ms)`);
  }

  async reconcile(rawSpec: unknown, progress: Progress = () => {}): Promise<ObservedStatus> {
    const spec = parseSpec(rawSpec);
    if (!this.driver.servesAs.includes(spec.datastore)) {
      throw new Error(`this instance runs ${this.opts.type} (${this.driver.servesAs.join('/')}), not ${spec.datastore}`);
    }
    await this.ensureRunning(progress);
    if (spec.version !== undefined && !versionMatches(spec.version, this.engineVersion!)) {
      throw new Error(`version ${spec.version} requested but this instance runs ${this.driver.engine} ${this.engineVersion}`);
    }
    const config = spec.config ?? {};
    this.managedConfig = Object.keys(config);
    if (this.managedConfig.length > 0) {
      const check = await this.driver.validateConfig(config);
      if (check.errors.length > 0) throw new Error(`invalid configuration: ${check.errors.join('; ')}`);
      const { restarted } = await this.driver.applyConfig(config);
      progress(`applied ${this.managedConfig.length} setting(s)${restarted ? `; restarted for ${check.restartRequired.join(', ')}` : ''}`);
    }
    if (spec.databases?.length) {
      await this.driver.ensureDatabases(spec.databases);
      progress(`ensured database(s) ${spec.databases.map((d) => d.name).join(', ')}`);
    }
    if (spec.users?.length) {
      await this.driver.ensureUsers(spec.users);
      progress(`ensured user(s) ${spec.users.map((u) => u.name).join(', ')}`);
    }
    return this.observe();
  }

  /** The status fields: names only for databases and users, the managed settings, health. */
  async observe(): Promise<ObservedStatus> {
    const health = await this.driver.health();
    const datastore: JsonObject = { type: this.opts.type, engine: this.driver.engine, version: this.engineVersion ?? null, port: this.opts.port };
    const healthJson: JsonObject = health.detail ? { ok: health.ok, detail: health.detail } : { ok: health.ok };
    if (!health.ok) return { datastore, databases: [], users: [], config: {}, health: healthJson };
    const o = await this.driver.observe();
    const lower = new Map(Object.entries(o.config).map(([k, v]) => [k.toLowerCase(), v]));
    const config: JsonObject = {};
    for (const k of this.managedConfig) config[k] = (lower.get(k.toLowerCase()) ?? null) as JsonValue;
    return { datastore, databases: [...o.databases], users: [...o.users], config, health: healthJson };
  }

  /** Stops the engine cleanly (process gone, port free). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.driver.stop();
  }
}
