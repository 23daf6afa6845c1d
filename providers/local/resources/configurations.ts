/**
 * Configuration groups of the local cloud: one JSON file each under `<stateDir>/configurations`
 * (0600: values may be sensitive), with the instances attached to it, so a change of values can
 * be pushed to every attached guest and a group still in use is not deleted.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../../../guest/protocol/messages.js';
import { ProviderError } from '../../provider.js';

export interface ConfigurationRecord {
  id: string;
  name: string;
  datastore: string;
  values: JsonObject;
  instances: string[];
}

export class ConfigurationStore {
  constructor(private readonly stateDir: string) {}

  private file(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ProviderError(`"${id}" is not a configuration id of the local cloud`);
    return join(this.stateDir, 'configurations', `${id}.json`);
  }

  get(id: string): ConfigurationRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.file(id), 'utf8')) as ConfigurationRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  require(id: string): ConfigurationRecord {
    const r = this.get(id);
    if (!r) throw new ProviderError(`configuration ${id} does not exist in the local cloud`);
    return r;
  }

  put(r: ConfigurationRecord): void {
    mkdirSync(join(this.stateDir, 'configurations'), { recursive: true, mode: 0o700 });
    const f = this.file(r.id);
    writeFileSync(`${f}.tmp`, JSON.stringify(r, null, 2), { mode: 0o600 });
    renameSync(`${f}.tmp`, f);
  }

  delete(id: string): void {
    rmSync(this.file(id), { force: true });
  }

  /** Records which group an instance uses (none: `undefined`), detaching it from any other. */
  attach(instanceId: string, configurationId: string | undefined, previous: string | undefined): void {
    if (previous && previous !== configurationId) {
      const old = this.get(previous);
      if (old) this.put({ ...old, instances: old.instances.filter((i) => i !== instanceId) });
    }
    if (configurationId) {
      const r = this.require(configurationId);
      if (!r.instances.includes(instanceId)) this.put({ ...r, instances: [...r.instances, instanceId] });
    }
  }
}
