/**
 * PostgreSQL's part of an all-or-nothing generation (guest/agent/generation.ts): what can be
 * refused before the engine is touched, and a snapshot of roles' credentials that puts a
 * changed password back (pg_authid keeps the SCRAM verifier, which ALTER ROLE accepts as is).
 */
import type pg from 'pg';
import type { DatabaseSpec, UserRef, UserSnapshot, UserSpec } from './types.js';
import type { WithClient } from './postgresql-admin.js';

export async function pgPreflight(withClient: WithClient, spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]> {
  const problems: string[] = [];
  for (const u of spec.users) {
    if (u.name.startsWith('pg_')) problems.push(`user "${u.name}": role names beginning with pg_ are reserved by PostgreSQL; choose another name`);
  }
  await withClient('postgres', async (c) => {
    for (const db of spec.databases) {
      if (db.charset && (await c.query('SELECT pg_char_to_encoding($1) AS e', [db.charset])).rows[0]?.e < 0) {
        problems.push(`database "${db.name}": unknown encoding "${db.charset}"`);
      }
    }
    const declared = new Set(spec.databases.map((d) => d.name));
    const wanted = [...new Set(spec.users.flatMap((u) => u.databases ?? []))].filter((d) => !declared.has(d));
    const found = new Set(wanted.length ? (await c.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [wanted])).rows.map((r) => String(r.datname)) : []);
    for (const u of spec.users) {
      for (const d of u.databases ?? []) if (!declared.has(d) && !found.has(d)) problems.push(`user "${u.name}" is granted database "${d}", which neither exists nor is declared`);
    }
  });
  return problems;
}

interface RoleRow { name: string; password: string | null; login: boolean }

export async function pgSnapshotUsers(withClient: WithClient, users: UserRef[]): Promise<UserSnapshot> {
  if (!users.length) return { rows: [] };
  const rows = await withClient('postgres', async (c) =>
    (await c.query('SELECT rolname, rolpassword, rolcanlogin FROM pg_authid WHERE rolname = ANY($1)', [users.map((u) => u.name)])).rows);
  return { rows: rows.map((r): RoleRow => ({ name: String(r.rolname), password: r.rolpassword === null ? null : String(r.rolpassword), login: Boolean(r.rolcanlogin) })) };
}

export async function pgRestoreUsers(withClient: WithClient, snapshot: UserSnapshot): Promise<void> {
  const rows = snapshot.rows as RoleRow[];
  if (!rows.length) return;
  await withClient('postgres', async (c: pg.Client) => {
    for (const r of rows) {
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [r.name]);
      if (!exists.rowCount) continue;
      await c.query(`ALTER ROLE ${c.escapeIdentifier(r.name)} WITH ${r.login ? 'LOGIN' : 'NOLOGIN'} PASSWORD ${r.password === null ? 'NULL' : c.escapeLiteral(r.password)}`);
    }
  });
}
