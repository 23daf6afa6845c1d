/**
 * The cloud objects a `database_instance` is made of on OpenStack, created in order and removed
 * in reverse: security group (only the datastore port, only from allowed_cidrs) → volume →
 * port → guest identity on the broker → server (cloud-init user data carries the guest's
 * config) → volume attached. Each part is tagged with the stack lineage and the address, and
 * its id recorded as soon as it exists, so a failure or a crash leaves nothing unfindable.
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Value, type ValueObject } from '../../../core/value.js';
import { newInstanceKey } from '../../../guest/protocol/seal.js';
import type { DatastoreType } from '../../../guest/datastores/types.js';
import { ProviderError, str, type ProviderContext } from '../../provider.js';
import type { Clients, OpenStackCloud } from '../cloud.js';
import type { DatastoreChoice } from '../datastore-registry.js';
import { buildUserData, userDataBase64 } from '../user-data.js';
import { ownerTags } from './tags.js';

/** Ids of the parts, recorded (sealed, with the guest's key) in the state. */
export interface Parts {
  guestId: string;
  key?: string;
  securityGroupId?: string;
  volumeId?: string;
  portId?: string;
  serverId?: string;
}

export const GUEST_DATA_DIR = '/var/lib/dbstack/data';

const list = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);

export function partsOf(p: ValueObject | undefined): Parts | undefined {
  if (!p || typeof p.guestId !== 'string') return undefined;
  const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const out: Parts = { guestId: p.guestId };
  for (const k of ['key', 'securityGroupId', 'volumeId', 'portId', 'serverId'] as const) {
    const v = s(k);
    if (v) out[k] = v;
  }
  return out;
}

/** The network an instance attaches to: its own setting, the provider's, else the project's only network. */
async function chooseNetwork(c: Clients, cloud: OpenStackCloud, config: ValueObject): Promise<string> {
  const nic = list(config.networks).find(isObject);
  const wanted = str(config, 'network') ?? (nic ? str(nic, 'network') : undefined) ?? cloud.setting('network');
  if (wanted) {
    const byId = /^[0-9a-f-]{36}$/i.test(wanted) ? await c.network.networks.get(wanted) : undefined;
    const found = byId ?? (await c.network.networks.list({ name: wanted }))[0];
    if (!found) throw new ProviderError(`network "${wanted}" does not exist in this project`);
    return found.id;
  }
  const all = (await c.network.networks.list()).filter((n) => !(n as { 'router:external'?: boolean })['router:external']);
  if (all.length === 1) return all[0]!.id;
  throw new ProviderError(`name the network of the instance (network = "…"), or set network in provider "openstack": this project sees ${all.length} networks`);
}

export async function createParts(
  ctx: ProviderContext, cloud: OpenStackCloud, config: ValueObject, ds: DatastoreChoice, parts: Parts,
): Promise<{ server: string; address: string }> {
  const c = await cloud.clients();
  const tags = [...ownerTags(ctx), `dbstack-guest=${parts.guestId}`];
  const name = str(config, 'name') ?? ctx.address.split('.').slice(1).join('.');
  const flavorName = str(config, 'flavor') ?? ds.flavor ?? cloud.setting('flavor') ?? process.env.OS_FLAVOR_ID;
  if (!flavorName) throw new ProviderError('name a flavor (flavor = "…"), or set flavor in provider "openstack"');
  const [flavor, image, networkId] = await Promise.all([c.compute.findFlavor(flavorName), c.image.findImage(ds.image), chooseNetwork(c, cloud, config)]);
  if (!flavor) throw new ProviderError(`flavor "${flavorName}" does not exist in this cloud`);
  if (!image) throw new ProviderError(`the guest image "${ds.image}" of ${ds.type} ${ds.version} is not in Glance (or not active)`);

  const volumeConfig = isObject(config.volume ?? null) ? (config.volume as ValueObject) : ({} as ValueObject);
  // The volume does not depend on the security group: both are made at once.
  const securityGroup = (async () => {
    const sg = await c.network.securityGroups.create({ name: `dbstack-${name}-${parts.guestId.slice(0, 8)}`, description: `${ds.type} port of ${ctx.address}` });
    parts.securityGroupId = sg.id;
    const cidrs = list(config.allowed_cidrs).filter((x): x is string => typeof x === 'string');
    await Promise.all([
      c.network.securityGroups.setTags(sg.id, tags),
      ...cidrs.map((cidr) => c.network.securityGroupRules.create({
        security_group_id: sg.id, direction: 'ingress', ethertype: cidr.includes(':') ? 'IPv6' : 'IPv4', protocol: 'tcp',
        port_range_min: ds.port, port_range_max: ds.port, remote_ip_prefix: cidr, description: `${ds.type} from ${cidr}`,
      })),
    ]);
    ctx.progress(`security group ${sg.id} admits port ${ds.port} from ${cidrs.length ? cidrs.join(', ') : 'nowhere (no allowed_cidrs)'}`);
    return sg;
  })();
  const volumeP = c.volume.createVolume({
    size: typeof volumeConfig.size === 'number' ? volumeConfig.size : 1, name: `dbstack-${name}-data`,
    ...(str(volumeConfig, 'type') ? { volume_type: str(volumeConfig, 'type')! } : {}),
    metadata: { dbstack_lineage: ctx.stack.lineage, dbstack_address: ctx.address, dbstack_guest: parts.guestId },
  }, `create the data volume of ${ctx.address}`).then((v) => { parts.volumeId = v.id; return v; });
  // Both settle before a failure is raised, so the partial object records whichever exists.
  const [sgR, volumeR] = await Promise.allSettled([securityGroup, volumeP]);
  if (sgR.status === 'rejected') throw sgR.reason;
  if (volumeR.status === 'rejected') throw volumeR.reason;
  const [sg, volume] = [sgR.value, volumeR.value];
  const port = await c.network.ports.create({ network_id: networkId, name: `dbstack-${name}`, security_groups: [sg.id] }, `create the port of ${ctx.address}`);
  parts.portId = port.id;
  await c.network.ports.setTags(port.id, tags);

  const guest = await (await cloud.admin()).addGuest(parts.guestId);
  parts.key = newInstanceKey();
  const userData = buildUserData({
    instanceId: parts.guestId, brokerUrl: cloud.guestBrokerUrl(), password: guest.password, key: parts.key,
    datastore: ds.type as DatastoreType, dataDir: GUEST_DATA_DIR, port: ds.port,
  });
  const server = await c.compute.createServer({
    name, flavorRef: flavor.id, imageRef: image.id, networks: [{ port: port.id }], user_data: userDataBase64(userData),
    // Metadata and tags are readable by every member of the project: ids and names only.
    metadata: { dbstack_lineage: ctx.stack.lineage, dbstack_address: ctx.address, dbstack_guest: parts.guestId },
    tags, ...(str(config, 'availability_zone') ? { availability_zone: str(config, 'availability_zone')! } : {}),
  }, `create the server of ${ctx.address}`);
  parts.serverId = server.id;
  await c.volume.waitVolume(volume.id, ['available'], { timeoutMs: cloud.timeouts.create, signal: ctx.signal, what: `volume ${volume.id} to become available` });
  await c.compute.waitServer(server.id, 'ACTIVE', { timeoutMs: cloud.timeouts.create, signal: ctx.signal, what: `server ${server.id} to become ACTIVE`, onPoll: () => ctx.progress('waiting for the server to become ACTIVE') });
  await c.compute.attachVolume(server.id, volume.id);
  await c.volume.waitVolume(volume.id, ['in-use'], { timeoutMs: cloud.timeouts.create, signal: ctx.signal, what: `volume ${volume.id} to be attached` });
  ctx.progress(`server ${server.id} ACTIVE with its volume attached; waiting for the guest`);
  return { server: server.id, address: port.fixed_ips[0]?.ip_address ?? '' };
}

/** Removes every part that exists (404 is success), in reverse order, and the guest's broker identity. */
export async function deleteParts(ctx: ProviderContext, cloud: OpenStackCloud, parts: Parts): Promise<void> {
  const c = await cloud.clients();
  // Deletes are quick and cheap to poll: a 2 s cap keeps a finished delete from waiting out a 5 s back-off.
  const wait = { timeoutMs: cloud.timeouts.delete, signal: ctx.signal, maxDelayMs: 2000 };
  if (parts.serverId && (await c.compute.deleteServer(parts.serverId))) {
    ctx.progress(`deleting server ${parts.serverId}`);
    await c.compute.waitServerDeleted(parts.serverId, { ...wait, what: `server ${parts.serverId} to be deleted` });
  }
  // The volume detaches while the port and then the group (in use by the port until then) go.
  await Promise.all([
    (async () => {
      if (!parts.volumeId) return;
      const v = await c.volume.getVolume(parts.volumeId);
      if (v && v.status !== 'available' && v.status !== 'error') await c.volume.waitVolume(parts.volumeId, ['available', 'error'], { ...wait, what: `volume ${parts.volumeId} to be detached` });
      if (v) await c.volume.deleteVolume(parts.volumeId);
    })(),
    (async () => {
      if (parts.portId) await c.network.ports.delete(parts.portId);
      if (parts.securityGroupId) await c.network.securityGroups.delete(parts.securityGroupId);
    })(),
  ]);
  await (await cloud.admin()).removeGuest(parts.guestId);
  await (await cloud.conductor()).clearInstance(parts.guestId);
}

export function newParts(): Parts {
  return { guestId: randomUUID() };
}
