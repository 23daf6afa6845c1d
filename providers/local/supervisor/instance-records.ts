/**
 * Instances on disk: `instances/<id>/instance.json` (metadata, no secrets) and
 * `instances/<id>/agent.json` (0600, the guest agent's config with its broker password and
 * instance key — what cloud-init user data is on a VM's disk). Volumes: `volumes/<id>/`, or a
 * link there to the volume outside the state dir (as root: paths.ts SYSTEM_VOLUME_ROOT).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AgentConfig } from '../../../guest/agent/config.js';
import { parseAgentConfig } from '../../../guest/agent/config.js';
import type { DatastoreType } from '../../../guest/datastores/types.js';
import { SYSTEM_VOLUME_ROOT, type StateLayout } from './paths.js';
import type { LocalInstance } from '../supervisor-api.js';

/** What instance.json holds: the instance without its secrets and without the agent's live state. */
export type InstanceRecord = Omit<LocalInstance, 'key' | 'agent'>;

export interface StoredInstance {
  record: InstanceRecord;
  agent: AgentConfig;
}

/** Write-then-rename, so a crash never leaves half a file. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
  renameSync(tmp, file);
}

export class InstanceRecords {
  constructor(private readonly layout: StateLayout) {}

  /** Every readable instance; unreadable ones are reported through `onBad` and skipped. */
  loadAll(onBad: (id: string, why: string) => void): StoredInstance[] {
    if (!existsSync(this.layout.instancesDir)) return [];
    const out: StoredInstance[] = [];
    for (const id of readdirSync(this.layout.instancesDir).sort()) {
      try {
        const record = JSON.parse(readFileSync(this.layout.instanceFile(id), 'utf8')) as InstanceRecord;
        const file = this.layout.agentConfig(id);
        const agent = parseAgentConfig(JSON.parse(readFileSync(file, 'utf8')), file);
        if (record.id !== id || agent.instanceId !== id) throw new Error('id does not match its directory');
        out.push({ record, agent });
      } catch (e) {
        onBad(id, (e as Error).message);
      }
    }
    return out;
  }

  save(s: StoredInstance): void {
    mkdirSync(this.layout.instanceDir(s.record.id), { recursive: true, mode: 0o700 });
    this.ensureVolume(s.record.id, dirname(s.record.dataDir));
    writeJsonAtomic(this.layout.agentConfig(s.record.id), agentJson(s.agent));
    writeJsonAtomic(this.layout.instanceFile(s.record.id), s.record, 0o644);
  }

  /** The volume directory (0711: the engine's user traverses it), linked from volumes/<id> when elsewhere. */
  private ensureVolume(id: string, target: string): void {
    mkdirSync(target, { recursive: true, mode: 0o711 });
    const link = this.layout.volume(id);
    if (resolve(target) === resolve(link) || linkTarget(link) === target) return;
    rmSync(link, { force: true });
    symlinkSync(target, link, 'dir');
  }

  remove(id: string): void {
    rmSync(this.layout.instanceDir(id), { recursive: true, force: true });
    const link = this.layout.volume(id);
    const target = linkTarget(link);
    // only a volume this layout creates: a link edited to point elsewhere is never followed
    if (target && target === join(SYSTEM_VOLUME_ROOT, id)) rmSync(target, { recursive: true, force: true });
    rmSync(link, { recursive: true, force: true }); // a link is removed, never followed
  }
}

/** Where a symlink points (undefined: not a symlink). */
function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The config as the agent's JSON file carries it (no defaults spelled out except what we set). */
function agentJson(a: AgentConfig): Record<string, unknown> {
  return {
    instanceId: a.instanceId, brokerUrl: a.brokerUrl, password: a.password, key: a.key,
    datastore: a.datastore, dataDir: a.dataDir, port: a.port, stateFile: a.stateFile,
    ...(a.host ? { host: a.host } : {}), heartbeatMs: a.heartbeatMs, fast: a.fast,
  };
}
