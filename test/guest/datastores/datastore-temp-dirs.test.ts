/**
 * A SIGKILLed agent cannot remove its private socket directory; the next driver start removes
 * every such directory whose creator is gone (named after the creator's pid and start time),
 * and never one of a live process.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDriver, freePort } from '../../../guest/datastores/driver.js';
import { pidAlive, readPidFile } from '../../../guest/datastores/process.js';
import { processStartTime, sweepOrphanTempDirs } from '../../../guest/datastores/temp-dirs.js';
import { tempRoot, safeStop } from '../../support/datastore-harness.js';
import { projectRoot } from '../../support/paths.js';

const dirsOf = (pid: number) => readdirSync(tmpdir()).filter((n) => n.startsWith(`dbstack-pg-${pid}-`)).map((n) => join(tmpdir(), n));

async function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the socket dir of a SIGKILLed agent is swept at the next start; a live one is kept', async (t) => {
  const tmp = tempRoot('pg-sweep');
  const script = join(tmp.root, 'agent.mjs');
  // an "agent": starts PostgreSQL the way the guest agent does, then waits to be killed
  writeFileSync(script, `
    const { createDriver } = await import(${JSON.stringify(join(projectRoot, 'dist/guest/datastores/driver.js'))});
    const d = createDriver('postgresql', { fast: true });
    await d.init(process.argv[2]);
    await d.start({ dataDir: process.argv[2], port: Number(process.argv[3]) });
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `);
  const dataDir = join(tmp.root, 'killed');
  const child = spawn(process.execPath, [script, dataDir, String(await freePort())], { stdio: ['ignore', 'pipe', 'inherit'] });
  let enginePid: number | undefined;
  const driver = createDriver('postgresql', { fast: true });
  t.teardown(async () => {
    child.kill('SIGKILL');
    if (enginePid && pidAlive(enginePid)) process.kill(enginePid, 'SIGKILL');
    await safeStop(driver);
    tmp.remove();
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => (out.includes('ready') ? true : undefined), 'the agent to start PostgreSQL');
  const leaked = dirsOf(child.pid!);
  t.is(leaked.length, 1, 'the agent made one socket dir, named after it');

  enginePid = readPidFile(join(dataDir, 'postmaster.pid'));
  child.kill('SIGKILL');
  await waitFor(() => (child.exitCode !== null || child.signalCode !== null ? true : undefined), 'the agent to die');
  process.kill(enginePid!, 'SIGKILL'); // the supervisor would stop the engine with the agent's group
  await waitFor(() => (pidAlive(enginePid!) ? undefined : true), 'the engine to die');
  // Any driver start sweeps dead creators' dirs, and test files run in parallel processes:
  // one of them may already have swept this one. Either way it must be gone after our start.
  if (!existsSync(leaked[0]!)) t.log('the socket dir was already swept by another process starting a driver');

  // a dir named after a live pid whose start time differs: that pid was reused, its creator is gone
  const reused = join(tmpdir(), `dbstack-my-${process.pid}-${(processStartTime(process.pid) ?? 0) + 1}-abcdef`);
  mkdirSync(reused);
  t.teardown(() => rmSync(reused, { recursive: true, force: true }));

  const other = tempRoot('pg-sweep-next');
  t.teardown(() => other.remove());
  await driver.init(other.dataDir);
  await driver.start({ dataDir: other.dataDir, port: await freePort() }); // the next agent start
  t.false(existsSync(leaked[0]!), 'swept at the next start');
  t.false(existsSync(reused), 'a reused pid does not keep a dead creator\'s dir');
  const mine = dirsOf(process.pid);
  t.is(mine.length, 1, 'the running driver has its own dir');
  t.deepEqual(sweepOrphanTempDirs().filter((d) => d === mine[0]), [], 'a live creator\'s dir is never swept');
  t.true(existsSync(mine[0]!));
  await driver.stop();
  t.deepEqual(dirsOf(process.pid), [], 'stop removes it');
});
