/**
 * What every provider's `database_instance` shares: the mapping from its configuration to the
 * guest's desired spec (its own databases and users, owned by `instance`), the connection URI,
 * and the drift the guest observes inside the engine.
 */
import { isObject, newObject, type Value, type ValueObject } from '../../core/value.js';
import type { DesiredSpec, JsonObject, StatusMessage } from '../../guest/protocol/messages.js';
import { INSTANCE_OWNER, replaceOwned } from './guest-spec.js';
import { userPresent } from './attached.js';

export const DEFAULT_DATASTORE = 'postgresql';
const list = (v: Value | undefined): ValueObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
export function datastoreOf(config: ValueObject): { type: string; version?: string } {
  const ds = isObject(config.datastore ?? null) ? (config.datastore as ValueObject) : newObject();
  const type = text(ds.type) ?? DEFAULT_DATASTORE;
  const version = text(ds.version);
  return version ? { type, version } : { type };
}
function databaseEntries(config: ValueObject): JsonObject[] {
  return list(config.databases).map((d) => clean({ name: d.name, charset: d.charset, collation: d.collation }));
}
function userEntries(config: ValueObject): JsonObject[] {
  return list(config.users).map((u) => clean({ name: u.name, password: u.password, host: u.host, databases: u.databases }));
}
function clean(o: Record<string, Value | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v as JsonObject[string];
  return out;
}
/** The guest's spec with this instance's own entries replaced; other owners' entries are kept. */
export function instanceSpecEdit(config: ValueObject, configValues: JsonObject | undefined) {
  return (spec: DesiredSpec): DesiredSpec => {
    const { type, version } = datastoreOf(config);
    const next: DesiredSpec = { ...spec, datastore: type };
    if (version) next.version = version;
    else delete next.version;
    if (configValues) next.config = configValues;
    else delete next.config;
    next.databases = replaceOwned(spec.databases, INSTANCE_OWNER, databaseEntries(config));
    next.users = replaceOwned(spec.users, INSTANCE_OWNER, userEntries(config));
    return next;
  };
}
const SCHEMES: Record<string, string> = { postgresql: 'postgresql', mariadb: 'mysql', mysql: 'mysql', redis: 'redis' };
/** A URI for the first declared user on its first database (or the first database). */
export function connectionUri(datastore: string, host: string, port: number, config: ValueObject): string {
  const user = list(config.users)[0];
  const dbs = list(config.databases);
  const db = (Array.isArray(user?.databases) ? text(user.databases[0]) : undefined) ?? text(dbs[0]?.name);
  const auth = user ? `${encodeURIComponent(String(user.name))}:${encodeURIComponent(String(user.password ?? ''))}@` : '';
  const path = datastore === 'redis' ? '/0' : db ? `/${encodeURIComponent(db)}` : '/';
  return `${SCHEMES[datastore] ?? datastore}://${auth}${host}:${port}${path}`;
}
/** What drifted inside the engine: declared databases and users the guest no longer sees are left out. */
export function observedConfig(config: ValueObject, status: StatusMessage | undefined): ValueObject {
  // a failed generation's status still lists what the engine holds (the generation was rolled back)
  if (!status || (status.phase !== 'ready' && status.phase !== 'failed') || !Array.isArray(status.databases)) return config;
  const present = (names: unknown) => new Set(Array.isArray(names) ? names.map(String) : []);
  const dbs = present(status.databases);
  const users = present(status.users);
  const out = newObject(Object.entries(config));
  if (Array.isArray(config.databases)) out.databases = list(config.databases).filter((d) => dbs.has(String(d.name)));
  if (Array.isArray(config.users)) out.users = list(config.users).filter((u) => userPresent(users, u));
  return out;
}
