/**
 * Private temp directories (sockets, MariaDB's tmpdir) named after their creator:
 * `dbstack-<kind>-<pid>-<start>-XXXXXX`, where <start> is the creator's start time (clock ticks
 * since boot, /proc/<pid>/stat field 22), so a reused pid is not mistaken for the creator. A
 * SIGKILLed agent cannot remove its directories; the next driver start sweeps every directory
 * whose creator is gone (`sweepOrphanTempDirs`).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chownTree, type Identity } from './run-as.js';

export type TempDirKind = 'pg' | 'my' | 'myinit';

const NAME = /^dbstack-(pg|my|myinit)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

/** Start time of a live process (clock ticks since boot), undefined when it is gone. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 (state) first
    if (fields[0] === 'Z') return undefined; // a zombie is dead all the same
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

let self: string | undefined;
const selfTag = () => (self ??= `${process.pid}-${processStartTime(process.pid) ?? 0}`);

/** A fresh 0700 directory in the system temp dir, owned by the engine user. */
export function privateTempDir(kind: TempDirKind, id: Identity): string {
  const dir = mkdtempSync(join(tmpdir(), `dbstack-${kind}-${selfTag()}-`));
  chmodSync(dir, 0o700);
  chownTree(dir, id);
  return dir;
}

/** Removes the private temp dirs of creators that are no longer alive; returns their paths. */
export function sweepOrphanTempDirs(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return removed; }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (processStartTime(pid) === Number(m[3])) continue; // its creator still runs
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return removed;
}
