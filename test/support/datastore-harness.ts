export { processesMentioning } from '../../guest/datastores/process.js';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { DatastoreDriver } from '../../guest/datastores/driver.js';
import { pidAlive } from '../../guest/datastores/process.js';
import { portIsFree } from '../../guest/datastores/ports.js';

/** A private temp root the engine's system user can traverse (0755); its data dir goes inside. */
export function tempRoot(engine: string): { root: string; dataDir: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), `dbstack-ds-${engine}-`));
  chmodSync(root, 0o755);
  return { root, dataDir: join(root, 'data'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Stops the driver and asserts the process is gone and the port free. */
export async function stopAndCheck(t: ExecutionContext, driver: DatastoreDriver, port: number): Promise<void> {
  const pid = driver.pid();
  t.truthy(pid, 'server pid known while running');
  await driver.stop();
  t.false(pidAlive(pid!), `process ${pid} still alive after stop()`);
  t.true(await portIsFree(port), `port ${port} still accepting connections after stop()`);
}

/** Best-effort stop for teardown hooks (never throws). */
export async function safeStop(driver: DatastoreDriver | undefined): Promise<void> {
  if (!driver) return;
  try { await driver.stop(); } catch { const p = driver.pid(); if (p) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
}

