/**
 * MariaDB's part of an all-or-nothing generation (guest/agent/generation.ts): charsets,
 * collations and granted databases checked before the engine is touched, and a snapshot of
 * accounts' authentication (plugin + stored hash) that puts a changed password back.
 */
import type mysql from 'mysql2/promise';
import type { DatabaseSpec, UserRef, UserSnapshot, UserSpec } from './types.js';

export async function mariaPreflight(c: mysql.Connection, spec: { databases: DatabaseSpec[]; users: UserSpec[] }): Promise<string[]> {
  const problems: string[] = [];
  const one = async (sql: string, args: unknown[]) => ((await c.query<mysql.RowDataPacket[]>(sql, args))[0])[0];
  for (const db of spec.databases) {
    if (db.charset && !(await one('SELECT 1 FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME = ?', [db.charset]))) {
      problems.push(`database "${db.name}": unknown character set "${db.charset}"`);
    }
    if (db.collation) {
      const row = await one('SELECT CHARACTER_SET_NAME AS cs FROM information_schema.COLLATIONS WHERE COLLATION_NAME = ?', [db.collation]);
      if (!row) problems.push(`database "${db.name}": unknown collation "${db.collation}"`);
      else if (db.charset && String(row.cs).toLowerCase() !== db.charset.toLowerCase()) {
        problems.push(`database "${db.name}": collation "${db.collation}" belongs to character set ${String(row.cs)}, not ${db.charset}`);
      }
    }
  }
  const declared = new Set(spec.databases.map((d) => d.name));
  for (const u of spec.users) {
    for (const d of u.databases ?? []) {
      if (!declared.has(d) && !(await one('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [d]))) {
        problems.push(`user "${u.name}" is granted database "${d}", which neither exists nor is declared`);
      }
    }
  }
  return problems;
}

interface AccountRow { name: string; host: string; plugin: string; auth: string }

export async function mariaSnapshotUsers(c: mysql.Connection, users: UserRef[]): Promise<UserSnapshot> {
  const rows: AccountRow[] = [];
  for (const u of users) {
    const [found] = await c.query<mysql.RowDataPacket[]>('SELECT plugin, authentication_string FROM mysql.user WHERE User = ? AND Host = ?', [u.name, u.host ?? '%']);
    const r = found[0];
    if (r) rows.push({ name: u.name, host: u.host ?? '%', plugin: String(r.plugin ?? ''), auth: String(r.authentication_string ?? '') });
  }
  return { rows };
}

export async function mariaRestoreUsers(c: mysql.Connection, snapshot: UserSnapshot): Promise<void> {
  for (const r of snapshot.rows as AccountRow[]) {
    const [found] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?', [r.name, r.host]);
    if (!found.length) continue;
    if (!/^\w+$/.test(r.plugin)) throw new Error(`cannot restore ${r.name}@${r.host}: unexpected authentication plugin '${r.plugin}'`);
    if (r.auth) await c.query(`ALTER USER ?@? IDENTIFIED VIA ${r.plugin} USING ?`, [r.name, r.host, r.auth]);
    else await c.query(`ALTER USER ?@? IDENTIFIED VIA ${r.plugin}`, [r.name, r.host]);
  }
}
