/**
 * Redis's part of an all-or-nothing generation (guest/agent/generation.ts): user names and
 * database indexes checked before the engine is touched, and a snapshot of ACL users (their
 * `ACL LIST` rules, passwords as SHA-256 hashes) that puts a changed user back.
 */
import type { Redis } from 'ioredis';
import type { DatabaseSpec, UserRef, UserSnapshot, UserSpec } from './types.js';

export async function redisPreflight(r: Redis, spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]> {
  const problems: string[] = [];
  for (const u of spec.users) {
    if (u.name === 'default' || /\s/.test(u.name) || u.name === '') problems.push(`invalid redis user name '${u.name}' (not 'default', no spaces)`);
  }
  if (spec.databases.length) {
    const count = Number(((await r.config('GET', 'databases')) as string[])[1]);
    const bad = spec.databases.filter((d) => !/^\d+$/.test(d.name) || Number(d.name) >= count).map((d) => d.name);
    if (bad.length) problems.push(`redis has no named databases, only indexes 0..${count - 1}: ${bad.join(', ')}`);
  }
  return problems;
}

interface AclRow { name: string; rules: string[] }

export async function redisSnapshotUsers(r: Redis, users: UserRef[]): Promise<UserSnapshot> {
  const names = new Set(users.map((u) => u.name));
  const lines = (await r.call('ACL', 'LIST')) as string[];
  const rows: AclRow[] = [];
  for (const line of lines) {
    const [, name, ...rules] = line.split(' ');
    if (name !== undefined && names.has(name)) rows.push({ name, rules });
  }
  return { rows };
}

export async function redisRestoreUsers(r: Redis, snapshot: UserSnapshot): Promise<void> {
  const rows = snapshot.rows as AclRow[];
  if (!rows.length) return;
  for (const row of rows) await r.call('ACL', 'SETUSER', row.name, 'reset', ...row.rules);
  await r.config('REWRITE');
}
