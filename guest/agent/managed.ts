/**
 * What the agent manages: the databases, users (with the databases each was granted) and config
 * keys declared by specs it converged. Only these are ever dropped or revoked when a later spec
 * no longer declares them — a database or user created directly in the engine is left alone.
 * Kept in the agent's state file so removals survive an agent restart.
 */
import type { Engine, UserRef } from '../datastores/types.js';
import type { DesiredDatastoreSpec } from './spec.js';

export interface ManagedUser extends UserRef { databases: string[] }
/**
 * `applied`: for each managed setting, the value the spec gave and the engine's own spelling of
 * it right after it was applied ('8MB' reads back as '8192'): a later reading that still equals
 * the engine's spelling is no drift, and is reported as the spec's value.
 */
export interface Managed { databases: string[]; users: ManagedUser[]; config: string[]; applied?: Record<string, { desired: string | number | boolean; engine: string }> }

export const emptyManaged = (): Managed => ({ databases: [], users: [], config: [] });

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Tolerant read of the state file's `managed` (absent in files written before it existed). */
export function parseManaged(v: unknown): Managed {
  if (typeof v !== 'object' || v === null) return emptyManaged();
  const o = v as Record<string, unknown>;
  const users = Array.isArray(o.users) ? o.users.flatMap((u): ManagedUser[] => {
    if (typeof u !== 'object' || u === null || typeof (u as ManagedUser).name !== 'string') return [];
    const { name, host, databases } = u as ManagedUser;
    return [{ name, ...(typeof host === 'string' ? { host } : {}), databases: strings(databases) }];
  }) : [];
  const applied: Managed['applied'] = {};
  if (typeof o.applied === 'object' && o.applied !== null) {
    for (const [k, a] of Object.entries(o.applied as Record<string, unknown>)) {
      const { desired, engine } = (a ?? {}) as { desired?: unknown; engine?: unknown };
      if (['string', 'number', 'boolean'].includes(typeof desired) && typeof engine === 'string') applied[k] = { desired: desired as string, engine };
    }
  }
  return { databases: strings(o.databases), users, config: strings(o.config), ...(Object.keys(applied).length ? { applied } : {}) };
}

/** A user's identity in the engine: MariaDB accounts are name@host, elsewhere the name alone. */
export function userKey(engine: Engine, u: UserRef): string {
  return engine === 'mariadb' ? `${u.name}@${u.host ?? '%'}` : u.name;
}

export interface Removals {
  databases: string[];
  users: ManagedUser[];
  /** Users still declared whose `databases` shrank. */
  revokes: { user: ManagedUser; databases: string[] }[];
}

/** What `prev` manages that `spec` no longer declares. */
export function removals(engine: Engine, prev: Managed, spec: DesiredDatastoreSpec): Removals {
  const wantedDbs = new Set((spec.databases ?? []).map((d) => d.name));
  const wantedUsers = new Map((spec.users ?? []).map((u) => [userKey(engine, u), u]));
  const revokes: Removals['revokes'] = [];
  for (const p of prev.users) {
    const now = wantedUsers.get(userKey(engine, p));
    if (!now) continue;
    const keep = new Set(now.databases ?? []);
    const gone = p.databases.filter((d) => !keep.has(d));
    if (gone.length) revokes.push({ user: p, databases: gone });
  }
  return {
    databases: prev.databases.filter((d) => !wantedDbs.has(d)),
    users: prev.users.filter((u) => !wantedUsers.has(userKey(engine, u))),
    revokes,
  };
}

export const union = (a: string[], b: string[]): string[] => [...new Set([...a, ...b])];
