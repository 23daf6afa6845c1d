/**
 * The supervisor's exclusive pid lock (`DIR/supervisor.pid`, created with O_EXCL). A lock
 * left by a dead process, or by a pid now reused by some other program, is taken over.
 */
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { pidAlive } from '../../../guest/datastores/process.js';

export class SupervisorLockHeldError extends Error {
  constructor(readonly pid: number, stateDir: string) {
    super(`another dbstack supervisor (pid ${pid}) already runs the local cloud in ${stateDir}; use \`dbstack local status\` or \`dbstack local down\``);
    this.name = 'SupervisorLockHeldError';
  }
}

/** True when `pid` is alive and (on Linux) its command line is a dbstack supervisor. */
export function isSupervisorPid(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('supervisor/main.js');
  } catch {
    return true; // no /proc: trust kill(pid, 0)
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock for this process or throws SupervisorLockHeldError; returns a release function. */
export function acquirePidLock(file: string, stateDir: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // link() publishes the file with its content already in it: a reader never sees it empty.
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      try { linkSync(tmp, file); } finally { unlinkSync(tmp); }
      return () => {
        if (readPid(file) === process.pid) try { unlinkSync(file); } catch { /* gone */ }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readPid(file);
      if (holder !== undefined && holder !== process.pid && isSupervisorPid(holder)) throw new SupervisorLockHeldError(holder, stateDir);
      try { unlinkSync(file); } catch { /* raced with another starter */ }
    }
  }
  const holder = readPid(file) ?? 0;
  throw new SupervisorLockHeldError(holder, stateDir);
}
