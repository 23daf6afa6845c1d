import type { ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import type { Identity } from './run-as.js';
import { spawnAs } from './run-as.js';

/** True while a process with this pid exists (kill(pid, 0)). */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  // A killed child stays a zombie until Node reaps it: it is dead all the same.
  try { return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
}

/** Starts a long-running server with stdout/stderr appended to logFile. */
export function spawnServer(id: Identity, cmd: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawnAs(id, cmd, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

export function logTail(logFile: string, chars = 1500): string {
  try { return readFileSync(logFile, 'utf8').slice(-chars).trim(); } catch { return ''; }
}

/** Polls `probe` until it succeeds; fails early if the child exits, or after timeoutMs. */
export async function waitHealthy(child: ChildProcess, probe: () => Promise<{ ok: boolean; detail?: string }>, what: string, logFile: string, timeoutMs = 60000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited during startup (${child.signalCode ?? child.exitCode}):\n${logTail(logFile)}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<{ ok: boolean; detail?: string }>((r) => { timer = setTimeout(() => r({ ok: false, detail: 'probe timed out' }), 5000); });
    const h = await Promise.race([probe().catch((e: Error) => ({ ok: false, detail: e.message })), limit]);
    clearTimeout(timer);
    if (h.ok) return;
    last = h.detail ?? '';
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${what} not healthy after ${timeoutMs} ms (${last}):\n${logTail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Signals a server and waits until the process is gone (SIGKILL after timeoutMs). */
export async function stopProcess(child: ChildProcess | undefined, pid: number | undefined, signal: NodeJS.Signals, timeoutMs = 30000): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(t);
  }
  if (pid === undefined || !pidAlive(pid)) return;
  try { process.kill(pid, signal); } catch { /* gone */ }
  const until = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() > until) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** First line of a pid file as a number, if present. */
export function readPidFile(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const n = Number(readFileSync(path, 'utf8').split('\n')[0]?.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** pids of processes whose command line mentions `text` (a data dir, a config file), from /proc; never this process. */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(text)) found.push(Number(e));
    } catch { /* exited meanwhile */ }
  }
  return found;
}
