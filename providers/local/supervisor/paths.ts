/** Layout of a local cloud's state directory (one supervisor per directory). */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRoot } from '../../../guest/datastores/run-as.js';
import { SUPERVISOR_FILE, SUPERVISOR_LOG } from '../supervisor-api.js';

/**
 * As root, engines run as their system users (postgres, mysql, redis), which cannot enter a
 * state dir inside a 0700 directory (root's home, `mktemp -d`); their volumes then live here,
 * each linked from `volumes/<id>` in the state dir. Instance ids are UUIDs, so state dirs never
 * collide.
 */
export const SYSTEM_VOLUME_ROOT = '/var/lib/dbstack/volumes';

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
  /** `volumes/<id>` in the state dir: the volume itself, or (as root) a link to it. */
  volume(id: string): string;
  /** Where a new instance's volume is created: `volumes/<id>`, or SYSTEM_VOLUME_ROOT/<id> as root. */
  volumeTarget(id: string): string;
  /** The engine's data dir of a new instance (an instance keeps the one in its record). */
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
  const volumeTarget = (id: string) => join(isRoot() ? SYSTEM_VOLUME_ROOT : volumesDir, id);
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
    volumeTarget,
    dataDir: (id) => join(volumeTarget(id), 'data'),
  };
}
