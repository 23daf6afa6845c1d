/**
 * The local cloud's side of a `database_instance`: what it can run, and the attributes it
 * records (the spec mapping shared with other providers is in providers/common/instance-spec.ts).
 */
import { newObject, type Value, type ValueObject } from '../../../core/value.js';
import type { StatusMessage } from '../../../guest/protocol/messages.js';
import { connectionUri, datastoreOf } from '../../common/instance-spec.js';
import { ProviderError } from '../../provider.js';

import type { LocalInstance } from '../supervisor-api.js';

const text = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

const LOCAL_DATASTORES = ['postgresql', 'mariadb', 'mysql', 'redis'];
/**
 * Problems the local cloud can tell before creating anything (attributes it does not
 * implement are refused at plan time from its capability table, providers/local/capabilities.ts).
 */
export function checkLocalConfig(config: ValueObject): void {
  const { type } = datastoreOf(config);
  if (!LOCAL_DATASTORES.includes(type)) {
    throw new ProviderError(`the local cloud runs datastores ${LOCAL_DATASTORES.join(', ')}; "${type}" is not one of them`);
  }
}


/** Every attribute of the instance: the configuration echoed, the rest from the cloud and the guest. */
export function instanceAttributes(config: ValueObject, inst: LocalInstance, status: StatusMessage | undefined, stateDir: string): ValueObject {
  const { type, version } = datastoreOf(config);
  const observedVersion = text((status?.datastore as ValueObject | undefined)?.version as Value | undefined);
  const a = newObject(Object.entries(config));
  a.id = inst.id;
  a.name = text(config.name) ?? inst.name;
  a.datastore = newObject([['type', type], ['version', version ?? observedVersion ?? null]]);
  a.flavor = text(config.flavor) ?? 'local';
  a.host = inst.host;
  a.hostname = inst.host;
  a.port = inst.port;
  a.href = `local://${stateDir}/instances/${inst.id}`;
  a.connection_uri = connectionUri(type, inst.host, inst.port, config);
  a.status = statusText(status, inst);
  a.datastore_version = observedVersion ?? version ?? null;
  a.root_password = null;
  return a;
}

/** Trove's instance statuses, from what the guest and the supervisor report. */
export function statusText(status: StatusMessage | undefined, inst: LocalInstance): string {
  if (!inst.agent.running) return 'SHUTDOWN';
  switch (status?.phase) {
    case 'ready': return status.health && status.health.ok === false ? 'ERROR' : 'ACTIVE';
    case 'failed': return 'ERROR';
    case 'offline': return 'SHUTDOWN';
    default: return 'BUILD';
  }
}


