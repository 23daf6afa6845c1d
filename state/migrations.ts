import type Database from 'better-sqlite3';

/**
 * Versioned schema migrations. Each runs in its own IMMEDIATE transaction together with its
 * `schema_migrations` row, so a crash leaves the file at the previous version, never between.
 * Append new migrations at the end; never edit or reorder released ones.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of a dbstack state file ("dbst"). */
export const APPLICATION_ID = 0x64627374;

const INITIAL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
CREATE TABLE stacks (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  lineage    TEXT NOT NULL,
  serial     INTEGER NOT NULL DEFAULT 0 CHECK (serial >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE resources (
  id              INTEGER PRIMARY KEY,
  stack_id        INTEGER NOT NULL REFERENCES stacks(id) ON DELETE CASCADE,
  address         TEXT NOT NULL,
  mode            TEXT NOT NULL,
  type            TEXT NOT NULL,
  name            TEXT NOT NULL,
  index_key       TEXT,
  provider        TEXT NOT NULL,
  provider_id     TEXT,
  inputs          TEXT NOT NULL,
  attributes      TEXT NOT NULL,
  dependencies    TEXT NOT NULL,
  sensitive_paths TEXT NOT NULL,
  sealed          BLOB,
  status          TEXT NOT NULL,
  schema_version  INTEGER NOT NULL,
  serial          INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (stack_id, address)
);
CREATE TABLE outputs (
  id         INTEGER PRIMARY KEY,
  stack_id   INTEGER NOT NULL REFERENCES stacks(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  sensitive  INTEGER NOT NULL,
  sealed     BLOB,
  serial     INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (stack_id, name)
);
CREATE TABLE history (
  id              INTEGER PRIMARY KEY,
  stack_id        INTEGER NOT NULL REFERENCES stacks(id) ON DELETE CASCADE,
  serial          INTEGER NOT NULL,
  command         TEXT NOT NULL,
  summary         TEXT NOT NULL,
  status          TEXT NOT NULL,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  error           TEXT,
  snapshot        TEXT,
  snapshot_sealed BLOB,
  UNIQUE (stack_id, serial)
);
CREATE TABLE journal (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  stack_id   INTEGER NOT NULL REFERENCES stacks(id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  action     TEXT NOT NULL,
  run_serial INTEGER NOT NULL,
  detail     TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at   TEXT,
  outcome    TEXT,
  note       TEXT
);
CREATE INDEX journal_open ON journal (stack_id, id) WHERE ended_at IS NULL;
CREATE TABLE locks (
  stack        TEXT PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  command      TEXT NOT NULL,
  user         TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  since        TEXT NOT NULL,
  refreshed_ms INTEGER NOT NULL,
  ttl_ms       INTEGER NOT NULL
);
`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up(db) {
      db.exec(INITIAL);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    },
  },
  {
    version: 2,
    name: 'resource lifecycle (deletion policy, prevent_destroy) recorded at apply',
    up(db) {
      db.exec(`ALTER TABLE resources ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '{}'`);
    },
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** The highest applied version; 0 for a file without a `schema_migrations` table. */
export function schemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Applies every migration above the file's version, in order, one transaction each.
 * Safe against concurrent openers: the version is re-read inside each write transaction.
 * Returns the versions this call applied.
 */
export function applyMigrations(db: Database.Database, list: readonly Migration[] = migrations, now = () => new Date().toISOString()): number[] {
  list.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const applied: number[] = [];
  for (const m of list) {
    const ran = db
      .transaction(() => {
        if (schemaVersion(db) >= m.version) return false;
        db.exec(MIGRATIONS_TABLE);
        m.up(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
