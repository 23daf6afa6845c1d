/** Layout of a local cloud's state directory (one supervisor per directory). */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SUPERVISOR_FILE, SUPERVISOR_LOG } from '../supervisor-api.js';

/** Unix socket paths are limited to ~108 bytes (sun_path); longer ones move to the temp dir. */
const MAX_SOCKET_PATH = 100;

export interface StateLayout {
  dir: string;
  pidFile: string;
  runtimeFile: string;
  logFile: string;
  brokerFile: string;
  socket: string;
  mosquittoDir: string;
  instancesDir: string;
  volumesDir: string;
  instanceDir(id: string): string;
  instanceFile(id: string): string;
  agentConfig(id: string): string;
  agentLog(id: string): string;
  /** `<pid>` of the agent's last process (its process group), for cleaning up after a crashed supervisor. */
  agentPidFile(id: string): string;
  volume(id: string): string;
  dataDir(id: string): string;
}

export function socketPathFor(stateDir: string): string {
  const dir = resolve(stateDir);
  const direct = join(dir, 'supervisor.sock');
  if (Buffer.byteLength(direct) <= MAX_SOCKET_PATH) return direct;
  const h = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return join(tmpdir(), `dbstack-${h}.sock`);
}

export function stateLayout(stateDir: string): StateLayout {
  const dir = resolve(stateDir);
  const instancesDir = join(dir, 'instances');
  const volumesDir = join(dir, 'volumes');
  return {
    dir,
    pidFile: join(dir, 'supervisor.pid'),
    runtimeFile: join(dir, SUPERVISOR_FILE),
    logFile: join(dir, SUPERVISOR_LOG),
    brokerFile: join(dir, 'broker.json'),
    socket: socketPathFor(dir),
    mosquittoDir: join(dir, 'mosquitto'),
    instancesDir,
    volumesDir,
    instanceDir: (id) => join(instancesDir, id),
    instanceFile: (id) => join(instancesDir, id, 'instance.json'),
    agentConfig: (id) => join(instancesDir, id, 'agent.json'),
    agentLog: (id) => join(instancesDir, id, 'agent.log'),
    agentPidFile: (id) => join(instancesDir, id, 'agent.pid'),
    volume: (id) => join(volumesDir, id),
    dataDir: (id) => join(volumesDir, id, 'data'),
  };
}
