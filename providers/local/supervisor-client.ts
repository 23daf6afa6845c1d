/**
 * The CLI's side of the local cloud: finds a running supervisor for a state dir, or starts
 * one detached (it outlives the CLI), and talks HTTP/JSON to it over its unix socket.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive } from '../../guest/datastores/process.js';
import { isSupervisorPid } from './supervisor/lock.js';
import { stateLayout } from './supervisor/paths.js';
import type {
  CreateInstanceRequest, LocalCloudOptions, LocalInstance, SupervisorInfo, SupervisorRuntime, UpdateInstanceRequest,
} from './supervisor-api.js';

const SUPERVISOR_MAIN = fileURLToPath(new URL('./supervisor/main.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;
const SHUTDOWN_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An error the supervisor answered with (its own message), with the HTTP status. */
export class SupervisorError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'SupervisorError';
  }
}

export class SupervisorClient {
  constructor(readonly runtime: SupervisorRuntime) {}

  get pid(): number { return this.runtime.pid; }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolveCall, reject) => {
      const req = request({
        socketPath: this.runtime.socket, method, path,
        headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = raw ? JSON.parse(raw) : undefined; } catch { parsed = { error: raw }; }
          const status = res.statusCode ?? 500;
          if (status >= 400) reject(new SupervisorError((parsed as { error?: string })?.error ?? `local cloud supervisor answered ${status}`, status));
          else resolveCall(parsed as T);
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(
        `cannot reach the local cloud supervisor (pid ${this.runtime.pid}) on ${this.runtime.socket}: ${e.code ?? e.message}; run \`dbstack local up\``)));
      req.end(text);
    });
  }

  info(): Promise<SupervisorInfo> { return this.call('GET', '/v1/info'); }
  listInstances(): Promise<LocalInstance[]> { return this.call('GET', '/v1/instances'); }
  createInstance(req: CreateInstanceRequest): Promise<LocalInstance> { return this.call('POST', '/v1/instances', req); }

  async getInstance(id: string): Promise<LocalInstance | undefined> {
    try {
      return await this.call<LocalInstance>('GET', `/v1/instances/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof SupervisorError && e.status === 404) return undefined;
      throw e;
    }
  }

  resizeInstance(id: string, change: UpdateInstanceRequest): Promise<LocalInstance> {
    return this.call('PATCH', `/v1/instances/${encodeURIComponent(id)}`, change);
  }

  /** Resolves `{ existed: false }` when the instance was already gone. */
  async deleteInstance(id: string): Promise<{ existed: boolean }> {
    try {
      await this.call('DELETE', `/v1/instances/${encodeURIComponent(id)}`);
      return { existed: true };
    } catch (e) {
      if (e instanceof SupervisorError && e.status === 404) return { existed: false };
      throw e;
    }
  }

  /** Asks the supervisor to stop; resolves once its process has exited. */
  async shutdown(): Promise<void> {
    await this.call('POST', '/v1/shutdown').catch((e: unknown) => { if (pidAlive(this.pid)) throw e; });
    const until = Date.now() + SHUTDOWN_TIMEOUT_MS;
    while (pidAlive(this.pid)) {
      if (Date.now() > until) throw new Error(`the local cloud supervisor (pid ${this.pid}) did not exit within ${SHUTDOWN_TIMEOUT_MS / 1000} s; see ${stateLayout(this.runtime.stateDir).logFile}`);
      await sleep(100);
    }
  }
}

function readRuntime(stateDir: string): SupervisorRuntime | undefined {
  try {
    const r = JSON.parse(readFileSync(stateLayout(stateDir).runtimeFile, 'utf8')) as SupervisorRuntime;
    return Number.isInteger(r.pid) && r.pid > 0 && typeof r.socket === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The running supervisor for `stateDir`, or undefined when none answers (never starts one). */
export async function connectSupervisor(stateDir: string): Promise<SupervisorClient | undefined> {
  const runtime = readRuntime(stateDir);
  if (!runtime || !pidAlive(runtime.pid)) return undefined;
  const client = new SupervisorClient(runtime);
  try {
    await client.info();
    return client;
  } catch {
    return undefined;
  }
}

function readPid(file: string): number {
  try { return Number(readFileSync(file, 'utf8').trim()) || 0; } catch { return 0; }
}

function logTail(file: string, lines = 15): string {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/** Connects to the local cloud in `opts.stateDir`, starting its supervisor (detached) when none runs. */
export interface EnsureSupervisorOptions {
  onStart?: (msg: string) => void;
  /** Environment of a started supervisor (default process.env); tests pass DBSTACK_TEST_FAST=1. */
  env?: NodeJS.ProcessEnv;
}

export async function ensureSupervisor(opts: LocalCloudOptions, { onStart, env }: EnsureSupervisorOptions = {}): Promise<SupervisorClient> {
  const layout = stateLayout(opts.stateDir);
  const running = await connectSupervisor(layout.dir);
  if (running) {
    if (opts.broker && opts.broker !== running.runtime.broker) {
      throw new Error(`the local cloud in ${layout.dir} runs the ${running.runtime.broker} broker, not ${opts.broker}; run \`dbstack local down\` first to switch`);
    }
    return running;
  }
  mkdirSync(layout.dir, { recursive: true, mode: 0o711 });
  const broker = opts.broker ?? (process.env.DBSTACK_LOCAL_BROKER as LocalCloudOptions['broker']) ?? 'embedded';
  onStart?.(`starting the local cloud in ${layout.dir} (${broker} broker)`);
  const fd = openSync(layout.logFile, 'a', 0o600);
  const child = spawn(process.execPath, [SUPERVISOR_MAIN, '--state-dir', layout.dir, '--broker', broker], {
    detached: true, stdio: ['ignore', fd, fd], cwd: resolve(layout.dir), env: env ?? process.env,
  });
  closeSync(fd);
  let exited = false;
  child.once('exit', () => { exited = true; });
  child.unref();
  const until = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    // Whoever answers wins: with two CLIs racing, one supervisor gets the lock and both use it.
    const c = await connectSupervisor(layout.dir);
    if (c) return c;
    // Exited: the lock was held (e.g. a supervisor started by a racing CLI, keep waiting) or it failed.
    if (exited && !isSupervisorPid(readPid(layout.pidFile))) {
      const late = await connectSupervisor(layout.dir);
      if (late) return late;
      throw new Error(`the local cloud supervisor did not start; last lines of ${layout.logFile}:\n${logTail(layout.logFile)}`);
    }
    if (Date.now() > until) {
      throw new Error(`the local cloud supervisor did not answer within ${START_TIMEOUT_MS / 1000} s; last lines of ${layout.logFile}:\n${logTail(layout.logFile)}`);
    }
    await sleep(100);
  }
}
