/**
 * The desired datastore spec as the agent reads it. Unknown fields (top level, databases,
 * users) are accepted and dropped: the control plane may annotate entries (e.g.
 * `owner: "database.orders"`), and older agents must keep working with newer specs.
 */
import type { ConfigValue, DatabaseSpec, DatastoreType, UserSpec } from '../datastores/types.js';

export interface DesiredDatastoreSpec {
  datastore: DatastoreType;
  version?: string;
  config?: Record<string, ConfigValue>;
  databases?: DatabaseSpec[];
  users?: UserSpec[];
}

export class SpecError extends Error {
  constructor(problems: string[]) {
    super(`invalid desired spec: ${problems.join('; ')}`);
    this.name = 'SpecError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optStr = (v: unknown) => v === undefined || isStr(v);

/** Shape check of the generic desired spec; returns a copy holding only the known fields. */
export function parseSpec(spec: unknown): DesiredDatastoreSpec {
  const p: string[] = [];
  if (!isObject(spec)) throw new SpecError(['expected an object']);
  if (!isStr(spec.datastore)) p.push('datastore is required');
  if (spec.version !== undefined && typeof spec.version !== 'string') p.push('version must be a string');
  if (spec.config !== undefined) {
    if (!isObject(spec.config)) p.push('config must be an object');
    else for (const [k, v] of Object.entries(spec.config)) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) p.push(`config.${k} must be a string, number or boolean`);
    }
  }
  const list = (name: 'databases' | 'users', check: (e: Record<string, unknown>, i: number) => void) => {
    const v = spec[name];
    if (v === undefined) return;
    if (!Array.isArray(v)) return void p.push(`${name} must be a list`);
    v.forEach((e, i) => (isObject(e) ? check(e, i) : p.push(`${name}[${i}] must be an object`)));
  };
  list('databases', (d, i) => {
    if (!isStr(d.name)) p.push(`databases[${i}].name is required`);
    if (!optStr(d.charset) || !optStr(d.collation)) p.push(`databases[${i}]: charset/collation must be strings`);
  });
  list('users', (u, i) => {
    if (!isStr(u.name)) p.push(`users[${i}].name is required`);
    if (typeof u.password !== 'string') p.push(`users[${i}].password is required`);
    if (!optStr(u.host)) p.push(`users[${i}].host must be a string`);
    if (u.databases !== undefined && !(Array.isArray(u.databases) && u.databases.every(isStr))) p.push(`users[${i}].databases must be a list of names`);
  });
  if (p.length > 0) throw new SpecError(p);

  const pick = <T extends object>(o: Record<string, unknown>, keys: (keyof T & string)[]): T =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, Array.isArray(o[k]) ? [...(o[k] as unknown[])] : o[k]])) as T;
  const out: DesiredDatastoreSpec = { datastore: spec.datastore as DatastoreType };
  if (spec.version !== undefined) out.version = spec.version as string;
  if (spec.config !== undefined) out.config = { ...(spec.config as Record<string, ConfigValue>) };
  if (spec.databases !== undefined) out.databases = (spec.databases as Record<string, unknown>[]).map((d) => pick<DatabaseSpec>(d, ['name', 'charset', 'collation']));
  if (spec.users !== undefined) out.users = (spec.users as Record<string, unknown>[]).map((u) => pick<UserSpec>(u, ['name', 'password', 'host', 'databases']));
  return out;
}

/** '15' matches '15.20', '15.2' matches '15.2.1'; '1' does not match '15.2'. */
export function versionMatches(wanted: string, actual: string): boolean {
  const w = wanted.split('.');
  const a = actual.split('.');
  return w.length <= a.length && w.every((part, i) => part === a[i]);
}
