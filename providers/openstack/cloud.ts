/**
 * What the OpenStack resource types share: the authenticated session (one token), the service
 * clients, the datastore registry, the broker administration (per-instance guest identities
 * through Mosquitto's dynamic-security plugin) and the guest conductor.
 */
import { createHmac } from 'node:crypto';
import type { Conductor } from '../../guest/protocol/conductor.js';
import type { StatusMessage } from '../../guest/protocol/messages.js';
import type { DynsecAdmin } from '../../messaging/dynsec.js';
import { CONDUCTOR_USERNAME, type BrokerCredential } from '../../messaging/credentials.js';
import { isObject, type ValueObject } from '../../core/value.js';
import type { GuestRef } from '../common/guest-spec.js';
import { observeGuest, type GuestDirectory } from '../common/guests.js';
import { ProviderError, type ProviderContext } from '../provider.js';
import { resolveCloudConfig } from './auth/cloud-config.js';
import { createSession } from './http/keystone-session.js';
import type { Session } from './http/session.js';
import { computeClient, type ComputeClient } from './clients/compute.js';
import { imageClient, type ImageClient } from './clients/image.js';
import { networkClient, type NetworkClient } from './clients/network.js';
import { volumeClient, type VolumeClient } from './clients/volume.js';
import { DatastoreRegistry, parseTimeout } from './datastore-registry.js';

export interface Clients {
  session: Session;
  compute: ComputeClient;
  volume: VolumeClient;
  network: NetworkClient;
  image: ImageClient;
}

const text = (o: ValueObject, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

export class OpenStackCloud implements GuestDirectory {
  readonly registry: DatastoreRegistry;
  readonly timeouts: { create: number; update: number; delete: number; converge: number };
  private clientsP: Promise<Clients> | undefined;
  private adminP: Promise<DynsecAdmin> | undefined;
  private conductorP: Promise<Conductor> | undefined;

  constructor(readonly settings: ValueObject, private readonly env: NodeJS.ProcessEnv) {
    this.registry = new DatastoreRegistry(settings);
    const t = isObject(settings.timeouts ?? null) ? (settings.timeouts as ValueObject) : ({} as ValueObject);
    this.timeouts = {
      create: parseTimeout(text(t, 'create'), 30 * 60_000),
      update: parseTimeout(text(t, 'update'), 30 * 60_000),
      delete: parseTimeout(text(t, 'delete'), 10 * 60_000),
      converge: parseTimeout(text(t, 'converge'), 30 * 60_000),
    };
  }

  setting(name: string): string | undefined {
    return text(this.settings, name);
  }

  clients(): Promise<Clients> {
    this.clientsP ??= (async () => {
      const flat: Record<string, string | boolean> = {};
      for (const [k, v] of Object.entries(this.settings)) if (typeof v === 'string' || typeof v === 'boolean') flat[k] = v;
      const { config, problems } = resolveCloudConfig(flat, this.env);
      if (problems.length) throw new ProviderError(`provider "openstack": ${problems.join('; ')}`);
      const session = await createSession(config);
      return { session, compute: computeClient(session), volume: volumeClient(session), network: networkClient(session), image: imageClient(session) };
    })();
    this.clientsP.catch(() => (this.clientsP = undefined));
    return this.clientsP;
  }

  /** Where guests connect (`guest_broker`, else `broker`). */
  guestBrokerUrl(): string {
    return this.setting('guest_broker') ?? this.brokerUrl();
  }

  private brokerUrl(): string {
    const url = this.setting('broker') ?? this.env.DBSTACK_BROKER_URL;
    if (!url) throw new ProviderError('provider "openstack" needs `broker` (the MQTT broker guests connect to), or DBSTACK_BROKER_URL');
    return url;
  }

  private brokerAdmin(): BrokerCredential {
    const username = this.setting('broker_username') ?? this.env.DBSTACK_BROKER_USERNAME;
    const password = this.setting('broker_password') ?? this.env.DBSTACK_BROKER_PASSWORD;
    if (!username || !password) throw new ProviderError('provider "openstack" needs the broker administrator: broker_username and broker_password (or DBSTACK_BROKER_USERNAME / DBSTACK_BROKER_PASSWORD)');
    return { username, password };
  }

  /**
   * The conductor's password is derived from the administrator's, so every dbstack run uses the
   * same one and never re-keys (which would drop another run's connection).
   */
  private conductorCredential(): BrokerCredential {
    const admin = this.brokerAdmin();
    return { username: CONDUCTOR_USERNAME, password: createHmac('sha256', admin.password).update(`dbstack conductor of ${admin.username}`).digest('base64url') };
  }

  admin(): Promise<DynsecAdmin> {
    this.adminP ??= (async () => {
      const { DynsecAdmin } = await import('../../messaging/dynsec.js');
      const a = await DynsecAdmin.connect({ url: this.brokerUrl(), ...this.brokerAdmin() });
      await a.ensureConductor(this.conductorCredential());
      return a;
    })();
    this.adminP.catch(() => (this.adminP = undefined));
    return this.adminP;
  }

  conductor(): Promise<Conductor> {
    this.conductorP ??= (async () => {
      await this.admin(); // the conductor's identity exists once the broker is set up
      const { Conductor } = await import('../../guest/protocol/conductor.js');
      return Conductor.connect({ url: this.brokerUrl(), ...this.conductorCredential() });
    })();
    this.conductorP.catch(() => (this.conductorP = undefined));
    return this.conductorP;
  }

  /** The guest of an instance of this stack, through the key its resource recorded. */
  async guestOf(ctx: ProviderContext, instanceId: string): Promise<GuestRef | undefined> {
    const p = ctx.lookup(instanceId)?.private;
    if (!p || typeof p.key !== 'string') return undefined;
    return { instanceId, key: p.key };
  }

  async observe(g: GuestRef): Promise<StatusMessage | undefined> {
    return observeGuest(await this.conductor(), g);
  }

  async close(): Promise<void> {
    const [c, a, k] = [this.conductorP, this.adminP, this.clientsP];
    this.conductorP = this.adminP = this.clientsP = undefined;
    await (await c?.catch(() => undefined))?.close();
    await (await a?.catch(() => undefined))?.close();
    await (await k?.catch(() => undefined))?.session.close();
  }
}
