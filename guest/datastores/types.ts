/** The contract every datastore engine implements (see DESIGN.md "Datastore drivers"). */
export type Engine = 'postgresql' | 'mariadb' | 'redis';
/** Datastore types users can ask for; `mysql` is served by the MariaDB driver. */
export type DatastoreType = Engine | 'mysql';

export type ConfigValue = string | number | boolean;

export interface StartOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Command-line overrides for this run only; persistent settings go through applyConfig. */
  config?: Record<string, ConfigValue>;
}

export interface DatabaseSpec { name: string; charset?: string; collation?: string }
export interface UserSpec { name: string; password: string; host?: string; databases?: string[] }
/** Identifies a user: `host` matters for MariaDB only (default '%'). */
export interface UserRef { name: string; host?: string }
export interface Observed { databases: string[]; users: string[]; config: Record<string, string> }
export interface ConfigCheck { errors: string[]; restartRequired: string[] }
/** Users' credentials as the engine stored them (hashes, never plain passwords): opaque to callers. */
export interface UserSnapshot { readonly rows: readonly unknown[] }

export interface DatastoreDriver {
  readonly engine: Engine;
  /** Datastore types this driver serves (MariaDB: ['mariadb', 'mysql']). */
  readonly servesAs: readonly DatastoreType[];
  /** Version read from the binary, e.g. '15.20'. */
  version(): Promise<string>;
  /** Idempotent: an initialised data directory is kept as is. */
  init(dataDir: string): Promise<void>;
  start(opts: StartOptions): Promise<void>;
  /** Clean shutdown; afterwards the process is gone and the port free. */
  stop(): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  ensureDatabases(dbs: DatabaseSpec[]): Promise<void>;
  ensureUsers(users: UserSpec[]): Promise<void>;
  /**
   * Drops databases (absent ones are skipped; the engine's own, e.g. `postgres`, are never
   * dropped). Redis: a no-op — numbered databases always exist and are not flushed.
   */
  dropDatabases(names: string[]): Promise<void>;
  /** Drops users (absent or built-in ones are skipped). PostgreSQL: their objects go to the admin role first. */
  dropUsers(users: UserRef[]): Promise<void>;
  /** Revokes a user's rights on these databases (absent user/database: skipped). Redis: a no-op. */
  revokeGrants(user: UserRef, databases: string[]): Promise<void>;
  observe(): Promise<Observed>;
  /**
   * What the engine would refuse in these databases and users, found without changing anything
   * (one sentence each), so a generation fails before it touches the engine.
   */
  preflight(spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]>;
  /** The stored credentials of those of these users that exist, for restoreUsers. */
  snapshotUsers(users: UserRef[]): Promise<UserSnapshot>;
  /** Puts users' credentials back as snapshotUsers saw them (users gone since are skipped). */
  restoreUsers(snapshot: UserSnapshot): Promise<void>;
  /** Rules are read from the running engine, never from hand-written lists. */
  validateConfig(values: Record<string, unknown>): Promise<ConfigCheck>;
  /** Applies live settings, persists all, restarts when a setting requires it. Throws on invalid values. */
  applyConfig(values: Record<string, unknown>): Promise<{ restarted: boolean }>;
  connectionUri(user: string, password: string, database?: string): string;
  /** pid of the running server (for supervision and tests). */
  pid(): number | undefined;
}

export interface DriverOptions {
  /** initdb --no-sync and similar speed-ups; for tests only. */
  fast?: boolean;
}

export class InvalidConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid configuration:\n- ${errors.join('\n- ')}`);
    this.name = 'InvalidConfigError';
  }
}
