/** `database_configuration` on the local cloud: a configuration group whose values every attached guest applies. */
import { randomUUID } from 'node:crypto';
import { isObject, newObject, type Value, type ValueObject } from '../../../core/value.js';
import type { JsonObject } from '../../../guest/protocol/messages.js';
import { changeSpec } from '../../common/guest-spec.js';
import { str, type ProviderContext, type ResourceType } from '../../provider.js';
import type { LocalCloud } from '../provider.js';
import type { ConfigurationRecord } from './configurations.js';
import { checkConfiguration } from './checks.js';

const valuesOf = (config: ValueObject): JsonObject => (isObject(config.values ?? null) ? (config.values as JsonObject) : {});

export function localConfiguration(cloud: LocalCloud): ResourceType {
  const attributes = (config: ValueObject, r: ConfigurationRecord) => newObject([...Object.entries(config), ['id', r.id], ['name', r.name]]);
  const push = async (ctx: ProviderContext, r: ConfigurationRecord) => {
    const supervisor = await cloud.supervisor();
    await Promise.all(r.instances.map(async (id) => {
      const inst = await supervisor.getInstance(id);
      if (!inst) return;
      ctx.progress(`applying the new values on instance ${inst.name}`);
      await changeSpec(await cloud.conductor(), { instanceId: id, key: inst.key }, (spec) => ({ ...spec, config: r.values }), { signal: ctx.signal, progress: ctx.progress });
    }));
  };
  return {
    check: (_ctx, config, prior) => checkConfiguration(cloud, config, prior),
    async create(ctx, config) {
      const ds = config.datastore as ValueObject;
      const r: ConfigurationRecord = { id: randomUUID(), name: str(config, 'name') ?? ctx.address.split('.')[1]!, datastore: String(ds?.type ?? 'postgresql'), values: valuesOf(config), instances: [] };
      cloud.configurations.put(r);
      return { id: r.id, attributes: attributes(config, r) };
    },
    async update(ctx, prior, config) {
      const old = cloud.configurations.require(prior.id);
      const r = { ...old, name: str(config, 'name') ?? old.name, values: valuesOf(config) };
      cloud.configurations.put(r);
      await push(ctx, r);
      return { id: r.id, attributes: attributes(config, r) };
    },
    async delete(_ctx, prior) {
      cloud.configurations.delete(prior.id);
    },
    async read(_ctx, prior) {
      const r = cloud.configurations.get(prior.id);
      if (!r) return undefined;
      // Drift inside the engines: a value changed behind dbstack's back shows as the engine's value.
      const values = newObject(Object.entries(r.values) as [string, Value][]);
      const supervisor = await cloud.supervisor();
      for (const id of r.instances) {
        const inst = await supervisor.getInstance(id);
        const status = inst ? await cloud.observe({ instanceId: id, key: inst.key }) : undefined;
        if (status?.phase !== 'ready' || !status.config) continue;
        for (const [k, declared] of Object.entries(r.values)) {
          const seen = status.config[k];
          if (seen !== undefined && String(seen) !== String(declared)) values[k] = typeof declared === 'number' && Number.isFinite(Number(seen)) ? Number(seen) : (seen as Value);
        }
      }
      return { id: r.id, attributes: newObject([...Object.entries(prior.attributes), ['values', values]]) };
    },
  };
}
