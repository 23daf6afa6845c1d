/**
 * A real state (and saved plans) in a bad-input case's directory, written through the store
 * as an apply would, for tests that then damage it and run the CLI on it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateStore } from '../../state/index.js';
import { loadStackText } from '../../planner/load/index.js';
import { makePlan } from '../../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../../planner/plan/prior.js';
import { writePlanFile } from '../../planner/plan/plan-file.js';
import { instance, LINEAGE } from './state.js';

/** The stack of every case: `s.hcl`, so the stack is called `s`. */
export const STACK = 's';
export const STACK_HCL = `resource "database_instance" "db" {
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
}
resource "database_instance" "replica" {
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
}
output "host" {
  value = "h"
}
`;

export const statePath = (dir: string) => join(dir, '.dbstack', 'state.db');

/**
 * `.dbstack/state.db` with its key file and last-good copy: stack `s` at serial 2 (serial 1
 * created `database_instance.db` and the outputs, serial 2 `database_instance.replica`), each
 * with sealed secrets.
 */
export function writeState(dir: string, options: { key?: Buffer } = {}): string {
  const path = statePath(dir);
  const store = StateStore.open(path, options.key ? { key: options.key } : {});
  try {
    let run = store.beginRun(STACK, { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
    run.commitResource(instance('database_instance.db', 'pw-one'));
    run.setOutputs([
      { name: 'uri', value: 'postgresql://app:secret@127.0.0.1/app', sensitive: true },
      { name: 'host', value: 'h', sensitive: false },
    ]);
    run.finish('applied');
    run = store.beginRun(STACK, { command: 'apply', lineage: LINEAGE, expectedSerial: 1 });
    run.commitResource(instance('database_instance.replica', 'pw-two'));
    run.finish('applied');
  } finally {
    store.close();
  }
  return path;
}

/** Changes the state file with plain SQL, behind dbstack's back. */
export function tamper(dir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(statePath(dir));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Flips one byte of a BLOB column in one row. */
export function flipBlobByte(dir: string, table: string, column: string, where: string, offset: number): void {
  const db = new Database(statePath(dir));
  try {
    const row = db.prepare(`SELECT ${column} AS b FROM ${table} WHERE ${where}`).get() as { b: Buffer };
    const b = Buffer.from(row.b);
    b[offset % b.length]! ^= 0x01;
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(b);
  } finally {
    db.close();
  }
}

export function truncateState(dir: string, size: number | ((full: number) => number)): void {
  const path = statePath(dir);
  const full = readFileSync(path).length;
  truncateSync(path, typeof size === 'number' ? size : size(full));
}

/** Overwrites `length` bytes at `offset` with deterministic pseudo-random bytes (seeded). */
export function overwrite(path: string, offset: number, length: number, seed: number): void {
  const bytes = readFileSync(path);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length && offset + i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[offset + i] = (x >>> 16) & 0xff;
  }
  writeFileSync(path, bytes);
}

export function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** Plans `s.hcl` against the state in `dir` and saves the plan to `file` (as `dbstack plan --out`). */
export function savePlan(dir: string, file: string, options: { stateDir?: string; key?: Buffer } = {}): void {
  const store = StateStore.open(statePath(options.stateDir ?? dir), options.key ? { key: options.key } : {});
  try {
    const { document } = loadStackText(STACK_HCL, join(dir, 's.hcl'));
    const { plan } = makePlan(document, priorFromSnapshot(store.readState(STACK)), { stack: STACK });
    writePlanFile(file, { ...plan, sources: { [join(dir, 's.hcl')]: STACK_HCL }, baseDir: dir }, store.sealer());
  } finally {
    store.close();
  }
}

/** Runs ava tests at most `n` at a time: each case spawns the CLI, and CI has two cores. */
export function limited<T>(test: (name: string, fn: (t: T) => Promise<void>) => void, n = 3): (name: string, fn: (t: T) => Promise<void>) => void {
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    while (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return (name, fn) =>
    test(name, async (t) => {
      await acquire();
      try {
        await fn(t);
      } finally {
        release();
      }
    });
}
