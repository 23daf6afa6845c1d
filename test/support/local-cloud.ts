/** Helpers for local cloud tests: a temp state dir and a supervisor that is always shut down. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { Conductor } from '../../guest/protocol/conductor.js';
import type { StatusMessage } from '../../guest/protocol/messages.js';
import { connectSupervisor, ensureSupervisor, type SupervisorClient } from '../../providers/local/supervisor-client.js';
import type { LocalBrokerKind } from '../../providers/local/supervisor-api.js';
import { removeLocalCloudDir } from './remove-local-cloud.js';

export const FAST_ENV = { ...process.env, DBSTACK_TEST_FAST: '1' };

export function tempStateDir(t: ExecutionContext, label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dbstack-local-${label}-`));
  chmodSync(dir, 0o711);
  t.teardown(async () => {
    const c = await connectSupervisor(dir);
    await c?.shutdown().catch(() => {});
    killLeftoverAgents(dir);
    removeLocalCloudDir(dir);
  });
  return dir;
}

/** Best effort after a failed test: SIGKILL every agent process group the supervisor recorded. */
function killLeftoverAgents(dir: string): void {
  const instances = join(dir, 'instances');
  if (!existsSync(instances)) return;
  for (const id of readdirSync(instances)) {
    let pgid = 0;
    try { pgid = Number(readFileSync(join(instances, id, 'agent.pid'), 'utf8').trim()); } catch { /* none */ }
    if (Number.isInteger(pgid) && pgid > 1) try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  }
}

export function startCloud(dir: string, broker?: LocalBrokerKind): Promise<SupervisorClient> {
  return ensureSupervisor({ stateDir: dir, ...(broker ? { broker } : {}) }, { env: FAST_ENV });
}

export async function conductorOf(t: ExecutionContext, client: SupervisorClient): Promise<Conductor> {
  const info = await client.info();
  const c = await Conductor.connect({ url: info.brokerUrl, ...info.conductor, reconnectPeriodMs: 0 });
  t.teardown(() => c.close().catch(() => {}));
  return c;
}

export async function waitUntil<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every status seen for the instance, in order. */
export async function recordStatuses(c: Conductor, id: string, key: string): Promise<StatusMessage[]> {
  const seen: StatusMessage[] = [];
  await c.watchStatus(id, key, (s) => seen.push(s));
  return seen;
}
