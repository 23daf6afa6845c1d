/**
 * Plan-time checks of the local cloud: what it cannot run is an error before anything is
 * created, and configuration values are checked by the engines they will be applied to
 * (the guest's `validateConfig`), restart-requiring ones announced.
 */
import { isObject, isUnknown, type Value, type ValueObject } from '../../../core/value.js';
import { ProviderError, str, type PlanCheck, type PriorObject } from '../../provider.js';
import type { LocalCloud } from '../provider.js';
import { checkLocalConfig } from './instance-spec.js';
import { datastoreOf } from '../../common/instance-spec.js';

const known = (values: ValueObject) => Object.fromEntries(Object.entries(values).filter(([, v]) => !isUnknown(v)));

/** The engine of a running instance judges `values`; nothing when the instance or the cloud is not up. */
async function verdict(cloud: LocalCloud, instanceId: string, values: Record<string, Value>, label: string, out: PlanCheck): Promise<void> {
  if (!Object.keys(values).length) return;
  const r = await cloud.validateConfig(instanceId, values).catch(() => undefined);
  if (!r) return;
  for (const e of r.errors) out.errors.push(`${label}: ${e}`);
  if (r.restartRequired.length) out.warnings.push(`${label}: applying ${r.restartRequired.join(', ')} restarts the database (the engine reads ${r.restartRequired.length > 1 ? 'these settings' : 'this setting'} only at start)`);
}

export async function checkInstance(cloud: LocalCloud, config: ValueObject, prior: PriorObject | undefined): Promise<PlanCheck> {
  const out: PlanCheck = { errors: [], warnings: [] };
  try {
    checkLocalConfig(config);
  } catch (e) {
    if (e instanceof ProviderError) out.errors.push(e.message);
    else throw e;
  }
  const configurationId = str(config, 'configuration');
  if (!configurationId || configurationId === str(prior?.inputs ?? {}, 'configuration')) return out;
  const group = cloud.configurations.get(configurationId);
  if (!group) return out;
  const type = datastoreOf(config).type;
  if (group.datastore !== type && !(['mariadb', 'mysql'].includes(group.datastore) && ['mariadb', 'mysql'].includes(type))) {
    out.errors.push(`configuration ${group.name} is for ${group.datastore}, but the instance runs ${type}`);
  }
  if (prior) await verdict(cloud, prior.id, group.values as Record<string, Value>, `configuration ${group.name}`, out);
  return out;
}

export async function checkConfiguration(cloud: LocalCloud, config: ValueObject, prior: PriorObject | undefined): Promise<PlanCheck> {
  const out: PlanCheck = { errors: [], warnings: [] };
  if (!prior || !isObject(config.values ?? null)) return out;
  const before = isObject(prior.inputs.values ?? null) ? (prior.inputs.values as ValueObject) : {};
  const changed = Object.fromEntries(Object.entries(known(config.values as ValueObject)).filter(([k, v]) => String(before[k]) !== String(v)));
  const group = cloud.configurations.get(prior.id);
  for (const id of group?.instances ?? []) {
    const name = await cloud.supervisor().then((s) => s.getInstance(id)).then((i) => i?.name ?? id, () => id);
    await verdict(cloud, id, changed, `on instance ${name}`, out);
  }
  return out;
}
