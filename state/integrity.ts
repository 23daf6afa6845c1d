import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StateFileError } from './errors.js';
import { restoreHint } from './files.js';

/**
 * Up to this size a state gets `PRAGMA quick_check` at every open. bench/state-integrity.ts
 * measured 0.25–1.8 ms per MiB on the 2-core CI machine (47 ms for a 26.6 MiB state of 20 000
 * resources), so the check costs at most ~60 ms at this limit. Bigger files get the cheap
 * header checks, and the full check only when something looks wrong (a WAL left beside them).
 */
export const QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024;

const HEADER_BYTES = 100;

/**
 * Checks the SQLite header against the file it is in: page size, fixed fields, and a file no
 * shorter than the header says (a truncated copy). Reads 100 bytes; never opens with SQLite.
 */
export function checkHeader(path: string, size: number, walPresent: boolean): void {
  const h = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, h, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (n < HEADER_BYTES) throw damaged(path, `it is ${size} bytes long, shorter than an SQLite header (truncated)`);
  const raw = h.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw damaged(path, `its header gives an impossible page size (${raw})`);
  if (![1, 2].includes(h[18]!) || ![1, 2].includes(h[19]!) || h[21] !== 64 || h[22] !== 32 || h[23] !== 32) throw damaged(path, 'its header is overwritten');
  if (size % pageSize !== 0) throw damaged(path, `its size (${size} bytes) is not a whole number of ${pageSize}-byte pages (truncated or extended)`);
  const counter = h.readUInt32BE(24);
  const pages = h.readUInt32BE(28);
  // The in-header page count is valid when the change counter matches "version valid for".
  // A WAL not yet checkpointed may legitimately hold the tail, so only judge without one.
  if (!walPresent && pages > 0 && counter === h.readUInt32BE(92) && size < pages * pageSize) {
    throw damaged(path, `it is ${size} bytes long but its header says ${pages * pageSize} (truncated)`);
  }
}

/** `PRAGMA quick_check` (B-tree structure, record formats, NOT NULL/CHECK): throws on the first problems it reports. */
export function quickCheck(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((x) => x !== 'ok');
  if (problems.length) throw damaged(path, `SQLite's integrity check reports: ${problems.join('; ').slice(0, 300)}`);
}

/** Whether to run quick_check at this open. */
export function wantsQuickCheck(size: number, walPresent: boolean): boolean {
  return size <= QUICK_CHECK_MAX_BYTES || walPresent;
}

export function damaged(path: string, why: string): StateFileError {
  const restore = restoreHint(path);
  return new StateFileError(
    path,
    'corrupt',
    `the state at ${path} is damaged: ${why}`,
    restore ? `restore the last-good copy with ${restore}` : `restore ${path} from your backup; dbstack will not write to a damaged state`,
  );
}

/** True when a non-empty WAL sits beside the state. */
export function walPresent(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}
