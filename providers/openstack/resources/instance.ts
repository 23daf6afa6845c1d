/**
 * `database_instance` on OpenStack: the parts (instance-parts.ts) plus the guest converging over
 * MQTT. Resize and volume growth happen in place (Nova resize + confirm, Cinder extend of the
 * in-use volume); a smaller volume is refused at plan time.
 */
import { isObject, newObject, type ValueObject } from '../../../core/value.js';
import type { StatusMessage } from '../../../guest/protocol/messages.js';
import { changeSpec } from '../../common/guest-spec.js';
import { ProviderError, str, type PlanCheck, type ProviderContext, type ResourceObject, type ResourceType } from '../../provider.js';
import { connectionUri, datastoreOf, instanceSpecEdit, observedConfig } from '../../common/instance-spec.js';
import type { OpenStackCloud } from '../cloud.js';
import type { DatastoreChoice } from '../datastore-registry.js';
import { createParts, deleteParts, newParts, partsOf, type Parts } from './instance-parts.js';

const volumeSize = (config: ValueObject): number => {
  const v = config.volume as ValueObject | null | undefined;
  return typeof v?.size === 'number' ? v.size : 1;
};

function choose(cloud: OpenStackCloud, config: ValueObject): DatastoreChoice {
  const ds = datastoreOf(config);
  const explicit = isObject(config.datastore ?? null);
  const r = cloud.registry.resolve(explicit ? ds.type : undefined, ds.version);
  if (typeof r === 'string') throw new ProviderError(r);
  return r;
}

function attributes(config: ValueObject, ds: DatastoreChoice, parts: Parts, address: string, status: StatusMessage | undefined, serverStatus: string): ValueObject {
  const a = newObject(Object.entries(config));
  a.id = parts.guestId;
  a.datastore = newObject([['type', ds.type], ['version', ds.version]]);
  a.host = address;
  a.hostname = address;
  a.port = ds.port;
  a.href = parts.serverId ? `server ${parts.serverId}` : null;
  a.connection_uri = connectionUri(ds.type, address, ds.port, config);
  a.status = serverStatus === 'ACTIVE' && status?.phase === 'ready' ? 'ACTIVE' : serverStatus === 'ACTIVE' ? 'BUILD' : serverStatus;
  a.datastore_version = (status?.datastore as ValueObject | undefined)?.version as string | undefined ?? ds.version;
  a.root_password = null;
  return a;
}

const privateOf = (p: Parts): ValueObject => newObject(Object.entries(p));

export function openstackInstance(cloud: OpenStackCloud): ResourceType {
  const converge = (ctx: ProviderContext, parts: Parts, config: ValueObject, fresh: boolean) =>
    cloud.conductor().then((c) => changeSpec(c, { instanceId: parts.guestId, key: parts.key! }, instanceSpecEdit(config, undefined), {
      signal: ctx.signal, progress: ctx.progress, fresh, timeoutMs: cloud.timeouts.converge,
    }));

  const portAddress = async (parts: Parts): Promise<string> => {
    const c = await cloud.clients();
    const port = parts.portId ? await c.network.ports.get(parts.portId) : undefined;
    return port?.fixed_ips[0]?.ip_address ?? '';
  };

  return {
    async check(_ctx, config, prior): Promise<PlanCheck> {
      const out: PlanCheck = { errors: [], warnings: [] };
      try {
        choose(cloud, config);
      } catch (e) {
        if (e instanceof ProviderError) out.errors.push(e.message);
        else throw e;
      }
      // The flavor and the guest image must exist: read once per run (cached), nothing is created.
      const ds = cloud.registry.resolve(isObject(config.datastore ?? null) ? datastoreOf(config).type : undefined, datastoreOf(config).version);
      const flavor = str(config, 'flavor') ?? (typeof ds === 'string' ? undefined : ds.flavor) ?? cloud.setting('flavor');
      const c = await cloud.clients().catch(() => undefined);
      if (c && flavor && !(await c.compute.findFlavor(flavor))) out.errors.push(`flavor "${flavor}" does not exist in this cloud`);
      if (c && typeof ds !== 'string' && !(await c.image.findImage(ds.image))) out.errors.push(`the guest image "${ds.image}" of ${ds.type} ${ds.version} is not in Glance (or not active)`);
      if (prior && volumeSize(config) < volumeSize(prior.inputs)) {
        out.errors.push(`a volume cannot shrink (${volumeSize(prior.inputs)} GiB → ${volumeSize(config)} GiB); replace the instance (-replace) to get a smaller one`);
      }
      return out;
    },

    async create(ctx, config): Promise<ResourceObject> {
      const ds = choose(cloud, config);
      const parts = newParts();
      try {
        const { address } = await createParts(ctx, cloud, config, ds, parts);
        const status = await converge(ctx, parts, config, true);
        return { id: parts.guestId, attributes: attributes(config, ds, parts, address, status, 'ACTIVE'), private: privateOf(parts) };
      } catch (e) {
        // Whatever exists is recorded (tainted): the next apply deletes and recreates it, nothing is orphaned.
        const partial = { id: parts.guestId, attributes: attributes(config, ds, parts, '', undefined, 'ERROR'), private: privateOf(parts) };
        throw new ProviderError(e instanceof Error ? e.message : String(e), partial);
      }
    },

    async read(_ctx, prior) {
      const parts = partsOf(prior.private);
      if (!parts?.serverId) return undefined;
      const c = await cloud.clients();
      const server = await c.compute.getServer(parts.serverId);
      if (!server) return undefined;
      const status = parts.key ? await cloud.observe({ instanceId: parts.guestId, key: parts.key }) : undefined;
      const ds = choose(cloud, prior.inputs);
      const config = observedConfig(prior.inputs, status);
      const a = attributes(config, ds, parts, await portAddress(parts), status, server.status);
      const volume = parts.volumeId ? await c.volume.getVolume(parts.volumeId) : undefined;
      if (volume && isObject(a.volume ?? null)) a.volume = newObject([...Object.entries(a.volume as ValueObject), ['size', volume.size]]);
      if (server.flavor.original_name && str(prior.inputs, 'flavor')) a.flavor = server.flavor.original_name;
      return { id: prior.id, attributes: a, private: prior.private! };
    },

    async update(ctx, prior, config) {
      const parts = partsOf(prior.private);
      if (!parts?.serverId || !parts.key) throw new ProviderError(`${ctx.address} has no recorded server; replace it with -replace`);
      const c = await cloud.clients();
      const ds = choose(cloud, config);
      const flavor = str(config, 'flavor');
      if (flavor && flavor !== str(prior.inputs, 'flavor')) {
        const f = await c.compute.findFlavor(flavor);
        if (!f) throw new ProviderError(`flavor "${flavor}" does not exist in this cloud`);
        ctx.progress(`resizing the server to ${flavor}`);
        await c.compute.resize(parts.serverId, f.id);
        await c.compute.waitServer(parts.serverId, 'VERIFY_RESIZE', { timeoutMs: cloud.timeouts.update, signal: ctx.signal, what: `server ${parts.serverId} to resize` });
        await c.compute.confirmResize(parts.serverId);
        await c.compute.waitServer(parts.serverId, 'ACTIVE', { timeoutMs: cloud.timeouts.update, signal: ctx.signal, what: `server ${parts.serverId} to confirm the resize` });
      }
      const size = volumeSize(config);
      if (parts.volumeId && size > volumeSize(prior.inputs)) {
        ctx.progress(`growing the volume to ${size} GiB`);
        await c.volume.extendVolume(parts.volumeId, size);
        await c.volume.waitVolume(parts.volumeId, ['in-use'], { timeoutMs: cloud.timeouts.update, signal: ctx.signal, what: `volume ${parts.volumeId} to grow`, onPoll: (v) => v && v.size < size && ctx.progress('volume extending') });
      }
      const status = await converge(ctx, parts, config, false);
      return { id: prior.id, attributes: attributes(config, ds, parts, await portAddress(parts), status, 'ACTIVE'), private: privateOf(parts) };
    },

    async delete(ctx, prior) {
      const parts = partsOf(prior.private);
      if (!parts) throw new ProviderError(`${ctx.address} has no record of its cloud objects; find them by the tag dbstack-address=${ctx.address}`);
      await deleteParts(ctx, cloud, parts);
    },

    async adopt(ctx) {
      const c = await cloud.clients();
      const [server] = await c.compute.listServers({ tags: [`dbstack-lineage=${ctx.stack.lineage}`] }).then((all) => all.filter((s) => s.metadata.dbstack_address === ctx.address));
      if (!server?.metadata.dbstack_guest) return undefined;
      const guestId = server.metadata.dbstack_guest;
      const [volume] = await c.volume.listVolumes({ metadata: { dbstack_guest: guestId } });
      const ports = await c.network.ports.findByTags([`dbstack-guest=${guestId}`]);
      const sgs = await c.network.securityGroups.findByTags([`dbstack-guest=${guestId}`]);
      const parts: Parts = { guestId, serverId: server.id, ...(volume ? { volumeId: volume.id } : {}), ...(ports[0] ? { portId: ports[0].id } : {}), ...(sgs[0] ? { securityGroupId: sgs[0].id } : {}) };
      return { id: guestId, attributes: newObject([['id', guestId], ['name', server.name]]), private: privateOf(parts) };
    },
  };
}
