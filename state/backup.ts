import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { backupPath } from './files.js';
import { fsyncDirectory } from './keys.js';

/**
 * Refreshes the last-good copy beside the state (`state.db.backup`, mode 0600): a consistent
 * copy taken with VACUUM INTO after a run or state command was recorded whole, so a state lost
 * or damaged later can be put back with one `cp`. Best effort: a failure leaves the previous
 * copy in place and never fails the command that just succeeded.
 */
export function writeBackup(db: Database.Database, statePath: string): void {
  const target = backupPath(statePath);
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    removeQuietly(tmp);
    // VACUUM INTO accepts an existing empty file: created here 0600, the copy stays private.
    closeSync(openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
    db.prepare('VACUUM INTO ?').run(tmp);
    const fd = openSync(tmp, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    fsyncDirectory(dirname(target));
  } catch {
    removeQuietly(tmp);
  }
}

function removeQuietly(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    /* absent */
  }
}
