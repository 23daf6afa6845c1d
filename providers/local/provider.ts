/**
 * The local provider: the embedded default cloud. Instances are guest agent processes run by
 * the supervisor (started on first use, outliving the CLI); the conductor speaks to them over
 * the supervisor's broker.
 */
import { resolve } from 'node:path';
import type { Conductor } from '../../guest/protocol/conductor.js';
import type { StatusMessage } from '../../guest/protocol/messages.js';
import { randomPassword } from '../common/random-password.js';
import { recordOnly } from '../common/record-only.js';
import type { Provider, ResourceType } from '../provider.js';
import { connectSupervisor, ensureSupervisor, type SupervisorClient } from './supervisor-client.js';
import { ProviderError } from '../provider.js';
import type { LocalCloudOptions } from './supervisor-api.js';
import { attachedResource } from '../common/attached.js';
import { observeGuest, type GuestDirectory } from '../common/guests.js';
import type { GuestRef } from '../common/guest-spec.js';
import { localConfiguration } from './resources/configuration.js';
import { ConfigurationStore } from './resources/configurations.js';
import { localInstance } from './resources/instance.js';
import { localDataSource } from './data-sources.js';
import { newObject } from '../../core/value.js';

export const DEFAULT_LOCAL_DIR = '.dbstack/local';

/** What the local resource types share: the supervisor, the conductor and the configuration groups. */
export class LocalCloud implements GuestDirectory {
  readonly stateDir: string;
  readonly configurations: ConfigurationStore;
  private supervisorP: Promise<SupervisorClient> | undefined;
  private conductorP: Promise<Conductor> | undefined;

  constructor(private readonly options: LocalCloudOptions & { startCloud?: boolean }) {
    this.stateDir = resolve(options.stateDir);
    this.configurations = new ConfigurationStore(this.stateDir);
  }

  supervisor(onStart?: (message: string) => void): Promise<SupervisorClient> {
    this.supervisorP ??= this.options.startCloud === false
      ? connectSupervisor(this.stateDir).then((s) => s ?? Promise.reject(new ProviderError(`the local cloud in ${this.stateDir} is not running; start it with \`dbstack local up\``)))
      : ensureSupervisor({ stateDir: this.stateDir, ...(this.options.broker ? { broker: this.options.broker } : {}) }, { ...(onStart ? { onStart } : {}) });
    this.supervisorP.catch(() => (this.supervisorP = undefined));
    return this.supervisorP;
  }

  conductor(): Promise<Conductor> {
    // The MQTT client loads while the supervisor answers: commands that never talk to a guest skip it.
    const module = import('../../guest/protocol/conductor.js');
    this.conductorP ??= this.supervisor().then(async (s) => {
      const [info, { Conductor }] = await Promise.all([s.info(), module]);
      return Conductor.connect({ url: info.brokerUrl, username: info.conductor.username, password: info.conductor.password });
    });
    this.conductorP.catch(() => (this.conductorP = undefined));
    return this.conductorP;
  }

  async guestOf(_ctx: unknown, instanceId: string): Promise<GuestRef | undefined> {
    const inst = await (await this.supervisor()).getInstance(instanceId);
    return inst ? { instanceId: inst.id, key: inst.key } : undefined;
  }

  async observe(g: GuestRef): Promise<StatusMessage | undefined> {
    return observeGuest(await this.conductor(), g);
  }

  /** The engine's own verdict on settings for a running instance (undefined: it cannot be asked). */
  async validateConfig(instanceId: string, values: Record<string, unknown>): Promise<{ errors: string[]; restartRequired: string[] } | undefined> {
    const inst = await (await this.supervisor()).getInstance(instanceId);
    if (!inst?.agent.running) return undefined;
    const r = await (await this.conductor()).rpc(instanceId, inst.key, 'validateConfig', { config: values as Record<string, string> }, { timeoutMs: 30_000 });
    const v = r as { errors?: unknown; restartRequired?: unknown } | undefined;
    return Array.isArray(v?.errors) && Array.isArray(v?.restartRequired) ? { errors: v.errors.map(String), restartRequired: v.restartRequired.map(String) } : undefined;
  }

  async close(): Promise<void> {
    const c = this.conductorP;
    this.conductorP = undefined;
    if (c) await (await c.catch(() => undefined))?.close();
  }
}

export function createLocalProvider(options: LocalCloudOptions & { startCloud?: boolean }): Provider {
  const cloud = new LocalCloud(options);
  const loopback = recordOnly((config) => newObject([['status', 'ACTIVE'], ['name', typeof config.name === 'string' ? config.name : null]]));
  const types: Record<string, ResourceType> = {
    database_instance: localInstance(cloud),
    database: attachedResource(cloud, 'databases'),
    database_user: attachedResource(cloud, 'users'),
    database_configuration: localConfiguration(cloud),
    random_password: randomPassword,
    network: loopback,
    subnet: loopback,
    security_group: loopback,
    security_group_rule: loopback,
  };
  return {
    name: 'local',
    resourceType: (type) => types[type],
    dataSource: localDataSource,
    conductor: () => cloud.conductor(),
    close: () => cloud.close(),
  };
}
