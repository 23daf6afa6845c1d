/** `database_instance` on the local cloud: a supervised guest process with its own engine and volume directory. */
import { newObject, type ValueObject } from '../../../core/value.js';
import type { DatastoreType } from '../../../guest/datastores/types.js';
import { changeSpec } from '../../common/guest-spec.js';
import { ProviderError, str, type ProviderContext, type ResourceType } from '../../provider.js';
import type { LocalCloud } from '../provider.js';
import type { LocalInstance } from '../supervisor-api.js';
import { checkInstance } from './checks.js';
import { checkLocalConfig, instanceAttributes } from './instance-spec.js';
import { datastoreOf, instanceSpecEdit, observedConfig } from '../../common/instance-spec.js';

const volumeSize = (config: ValueObject): number => {
  const v = config.volume as ValueObject | null | undefined;
  return typeof v?.size === 'number' ? v.size : 1;
};

export function localInstance(cloud: LocalCloud): ResourceType {
  const converge = async (ctx: ProviderContext, inst: LocalInstance, config: ValueObject, fresh: boolean) => {
    const configurationId = str(config, 'configuration');
    const values = configurationId ? cloud.configurations.require(configurationId).values : undefined;
    const status = await changeSpec(await cloud.conductor(), { instanceId: inst.id, key: inst.key }, instanceSpecEdit(config, values), {
      signal: ctx.signal, progress: ctx.progress, fresh,
    });
    return status;
  };

  const require = async (id: string): Promise<LocalInstance> => {
    const inst = await (await cloud.supervisor()).getInstance(id);
    if (!inst) throw new ProviderError(`instance ${id} no longer exists in the local cloud; run \`dbstack refresh\` and apply again to recreate it`);
    return inst;
  };

  return {
    async create(ctx, config) {
      checkLocalConfig(config);
      const supervisor = await cloud.supervisor((m) => ctx.progress(m));
      void cloud.conductor(); // connect to the broker while the guest starts
      const name = str(config, 'name') ?? ctx.address.split('.').slice(1).join('.');
      const inst = await supervisor.createInstance({
        name,
        datastore: datastoreOf(config).type as DatastoreType,
        volumeSize: volumeSize(config),
        labels: { stack: ctx.stack.name, lineage: ctx.stack.lineage, address: ctx.address },
      });
      ctx.progress(`guest started (instance ${inst.id}, port ${inst.port})`);
      const configurationId = str(config, 'configuration');
      try {
        if (configurationId) cloud.configurations.attach(inst.id, configurationId, undefined);
        const status = await converge(ctx, inst, config, true);
        return { id: inst.id, attributes: instanceAttributes(config, inst, status, cloud.stateDir) };
      } catch (e) {
        // The instance exists: record it (tainted) so the next apply replaces it instead of orphaning it.
        const partial = { id: inst.id, attributes: instanceAttributes(config, inst, undefined, cloud.stateDir) };
        throw new ProviderError(e instanceof Error ? e.message : String(e), partial);
      }
    },

    check: (_ctx, config, prior) => checkInstance(cloud, config, prior),

    async adopt(ctx) {
      const all = await (await cloud.supervisor()).listInstances();
      const inst = all.find((i) => i.labels.lineage === ctx.stack.lineage && i.labels.address === ctx.address);
      return inst ? { id: inst.id, attributes: instanceAttributes(newObject([['datastore', newObject([['type', inst.datastore]])]]), inst, undefined, cloud.stateDir) } : undefined;
    },

    async read(_ctx, prior) {
      const inst = await (await cloud.supervisor()).getInstance(prior.id);
      if (!inst) return undefined;
      const status = await cloud.observe({ instanceId: inst.id, key: inst.key });
      const attributes = instanceAttributes(observedConfig(prior.inputs, status), inst, status, cloud.stateDir);
      return { id: inst.id, attributes };
    },

    async update(ctx, prior, config) {
      checkLocalConfig(config);
      let inst = await require(prior.id);
      const size = volumeSize(config);
      const name = str(config, 'name');
      if (size !== inst.volumeSize || (name && name !== inst.name)) {
        if (size < inst.volumeSize) throw new ProviderError(`a volume cannot shrink (${inst.volumeSize} GiB → ${size} GiB); replace the instance to get a smaller one`);
        inst = await (await cloud.supervisor()).resizeInstance(inst.id, { ...(size !== inst.volumeSize ? { volumeSize: size } : {}), ...(name ? { name } : {}) });
      }
      cloud.configurations.attach(inst.id, str(config, 'configuration'), str(prior.inputs, 'configuration'));
      const status = await converge(ctx, inst, config, false);
      return { id: inst.id, attributes: instanceAttributes(config, inst, status, cloud.stateDir) };
    },

    async delete(ctx, prior) {
      const supervisor = await cloud.supervisor();
      ctx.progress('stopping the guest and its engine');
      await supervisor.deleteInstance(prior.id);
      await (await cloud.conductor()).clearInstance(prior.id);
      const configurationId = str(prior.inputs, 'configuration');
      if (configurationId) cloud.configurations.attach(prior.id, undefined, configurationId);
    },
  };
}
