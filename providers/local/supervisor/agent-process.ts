/**
 * One guest agent process per instance ("the VM"). The agent runs in its own process group
 * (detached), so its engine shares that group: a crashed agent's orphaned engine is stopped
 * with the group before the agent is started again (the new agent restarts the engine from
 * its data dir). Restart backoff: 0.5 s doubling to 30 s, reset after a minute of uptime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/providers/local/supervisor/ → dist/guest/agent/main.js */
export const AGENT_MAIN = fileURLToPath(new URL('../../../guest/agent/main.js', import.meta.url));

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const STABLE_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;
const REAP_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// pgid 0 or 1 would address our own group or every process: never signal those.
export function groupAlive(pgid: number): boolean {
  if (!(pgid > 1)) return false;
  try { process.kill(-pgid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  if (!(pgid > 1)) return;
  try { process.kill(-pgid, sig); } catch { /* gone */ }
}

/** SIGTERM the group (engines shut down cleanly on it), SIGKILL what is left after timeoutMs. */
export async function reapGroup(pgid: number, timeoutMs = REAP_TIMEOUT_MS): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const until = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > until) signalGroup(pgid, 'SIGKILL');
    await sleep(50);
  }
}

/** Members of process group `pgid` whose command line mentions `text` (Linux /proc). */
export function groupMentions(pgid: number, text: string): boolean {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(fields[2]) === pgid && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(text)) return true;
    } catch { /* exited meanwhile */ }
  }
  return false;
}

export interface AgentProcessOptions {
  instanceId: string;
  configFile: string;
  logFile: string;
  pidFile: string;
  log: (line: string) => void;
}

export class AgentProcess {
  restarts = 0;
  lastExit: string | undefined;
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly o: AgentProcessOptions) {}

  get running(): boolean { return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null; }
  get pid(): number | undefined { return this.running ? this.child!.pid : undefined; }

  /** Stops what a previous (crashed) supervisor left running for this instance. */
  async reapLeftovers(): Promise<void> {
    let pid: number;
    try { pid = Number(readFileSync(this.o.pidFile, 'utf8').trim()); } catch { return; }
    if (Number.isInteger(pid) && pid > 1 && groupAlive(pid) && groupMentions(pid, this.o.instanceId)) {
      this.o.log(`agent ${this.o.instanceId}: stopping leftover process group ${pid}`);
      await reapGroup(pid);
    }
  }

  start(): void {
    this.stopping = false;
    const fd = openSync(this.o.logFile, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [AGENT_MAIN, '--config', this.o.configFile], { detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    const startedAt = Date.now();
    if (child.pid) writeFileSync(this.o.pidFile, `${child.pid}\n`, { mode: 0o600 });
    this.exited = new Promise((resolve) => child.once('exit', (code, sig) => {
      this.lastExit = `${new Date().toISOString()} ${sig ? `signal ${sig}` : `exit code ${code}`}`;
      resolve();
      if (!this.stopping) void this.crashed(child.pid, Date.now() - startedAt);
    }));
    child.once('error', (e) => this.o.log(`agent ${this.o.instanceId}: spawn failed: ${e.message}`));
  }

  private async crashed(pgid: number | undefined, uptimeMs: number): Promise<void> {
    if (uptimeMs > STABLE_MS) this.failures = 0;
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** this.failures, MAX_BACKOFF_MS);
    this.failures++;
    this.o.log(`agent ${this.o.instanceId} ${this.lastExit}; restarting in ${delay} ms`);
    if (pgid) await reapGroup(pgid); // its engine is orphaned in the same group
    if (this.stopping) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restarts++;
      this.start();
    }, delay);
  }

  /** SIGTERM the agent (it stops its engine), SIGKILL its group after 60 s. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    const pgid = child?.pid;
    if (child && this.running) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => {
        this.o.log(`agent ${this.o.instanceId} did not stop within ${timeoutMs} ms; killing its process group`);
        if (pgid) signalGroup(pgid, 'SIGKILL');
      }, timeoutMs);
      await this.exited;
      clearTimeout(killed);
    }
    if (pgid) await reapGroup(pgid);
    rmSync(this.o.pidFile, { force: true });
  }
}
