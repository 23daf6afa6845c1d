#!/usr/bin/env node
/**
 * The local cloud's supervisor: `node dist/providers/local/supervisor/main.js --state-dir DIR
 * [--broker embedded|mosquitto]`. Usually started detached by ensureSupervisor
 * (supervisor-client.ts). SIGTERM/SIGINT or POST /v1/shutdown → agents stopped, broker
 * closed, runtime files removed, exit 0. A second supervisor on the same DIR exits 1.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import type { LocalBrokerKind, SupervisorRuntime } from '../supervisor-api.js';
import { acquirePidLock } from './lock.js';
import { stateLayout } from './paths.js';
import { writeJsonAtomic } from './instance-records.js';
import { startControlServer, type ControlServer } from './server.js';
import { LocalSupervisor } from './supervisor.js';

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} supervisor[${process.pid}]: ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`dbstack-supervisor: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv: string[]): { stateDir: string; broker: LocalBrokerKind } {
  let stateDir: string | undefined;
  let broker: string = process.env.DBSTACK_LOCAL_BROKER ?? 'embedded';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--state-dir') stateDir = value();
    else if (flag === '--broker') broker = value();
    else fail(`unknown argument ${argv[i]}; usage: main.js --state-dir DIR [--broker embedded|mosquitto]`);
  }
  if (!stateDir) fail('usage: main.js --state-dir DIR [--broker embedded|mosquitto]');
  if (broker !== 'embedded' && broker !== 'mosquitto') fail(`--broker must be embedded or mosquitto, not ${broker}`);
  return { stateDir, broker };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const layout = stateLayout(args.stateDir);
  // 0711: engines run as their own system users and must traverse into their volumes.
  for (const d of [layout.dir, layout.instancesDir, layout.volumesDir]) {
    mkdirSync(d, { recursive: true, mode: 0o711 });
    chmodSync(d, d === layout.instancesDir ? 0o700 : 0o711);
  }
  let release: () => void;
  try {
    release = acquirePidLock(layout.pidFile, layout.dir);
  } catch (e) {
    fail((e as Error).message);
  }

  let sup: LocalSupervisor | undefined;
  let server: ControlServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    stopping ??= (async () => {
      log(`shutting down (${why})`);
      rmSync(layout.runtimeFile, { force: true });
      await server?.close();
      await sup?.shutdown();
      release();
      log('stopped');
      process.exit(0);
    })();
    return stopping;
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => {}); // the terminal that started us may go away

  try {
    sup = await LocalSupervisor.start({ layout, broker: args.broker, fast: process.env.DBSTACK_TEST_FAST === '1', log });
    server = await startControlServer(sup, layout.socket, () => void stop('shutdown request'));
  } catch (e) {
    log(`start failed: ${(e as Error).message}`);
    await sup?.shutdown().catch(() => {});
    release();
    fail(`the local cloud in ${layout.dir} could not start: ${(e as Error).message}`);
  }
  if (stopping) return;
  const runtime: SupervisorRuntime = {
    pid: process.pid, stateDir: layout.dir, socket: layout.socket, broker: args.broker, brokerUrl: sup.brokerUrl, startedAt: sup.startedAt,
  };
  writeJsonAtomic(layout.runtimeFile, runtime);
  log(`ready: control socket ${layout.socket}, broker ${sup.brokerUrl}, ${sup.list().length} instance(s)`);
}

void main();
