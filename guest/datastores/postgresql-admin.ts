/**
 * PostgreSQL removals for declarative specs: drop databases, drop roles (their objects are kept,
 * reassigned to the admin role), revoke a role's rights on databases. Kept apart from
 * postgresql.ts so that file stays about the server process.
 */
import type pg from 'pg';

/** Runs `fn` with an admin connection to `database` (the driver's private socket). */
export type WithClient = <T>(database: string, fn: (c: pg.Client) => Promise<T>) => Promise<T>;

const SYSTEM_DBS = new Set(['postgres', 'template0', 'template1']);
const isSystemRole = (r: string) => r === 'postgres' || r.startsWith('pg_');

async function existing(c: pg.Client, sql: string, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const r = await c.query(sql, [names]);
  return r.rows.map((row) => String(Object.values(row)[0]));
}

export async function pgDropDatabases(withClient: WithClient, names: string[]): Promise<void> {
  const wanted = names.filter((n) => !SYSTEM_DBS.has(n));
  await withClient('postgres', async (c) => {
    const present = await existing(c, 'SELECT datname FROM pg_database WHERE datname = ANY($1)', wanted);
    const version = Number((await c.query('SHOW server_version_num')).rows[0].server_version_num);
    for (const name of present) {
      const id = c.escapeIdentifier(name);
      if (version >= 130000) {
        await c.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`); // ends its sessions first
      } else {
        // no FORCE before 13: refuse new sessions, end the others (DROP waits ~5 s for them to go)
        await c.query(`ALTER DATABASE ${id} ALLOW_CONNECTIONS false`);
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${id}`);
      }
    }
  });
}

/**
 * DROP ROLE fails while a role owns objects or holds privileges in any database, so in each
 * connectable database its objects are reassigned to the admin role (data is kept) and its
 * remaining privileges dropped (DROP OWNED also revokes rights on shared objects).
 */
export async function pgDropUsers(withClient: WithClient, names: string[]): Promise<void> {
  const wanted = names.filter((n) => !isSystemRole(n));
  const { roles, dbs } = await withClient('postgres', async (c) => {
    const roles = await existing(c, 'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', wanted);
    if (roles.length) await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY($1)', [roles]);
    const dbs = (await c.query('SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1')).rows.map((r) => r.datname as string);
    return { roles, dbs };
  });
  if (!roles.length) return;
  for (const db of dbs) {
    await withClient(db, async (c) => {
      for (const role of roles) {
        await c.query(`REASSIGN OWNED BY ${c.escapeIdentifier(role)} TO CURRENT_USER`);
        await c.query(`DROP OWNED BY ${c.escapeIdentifier(role)}`);
      }
    });
  }
  await withClient('postgres', async (c) => {
    for (const role of roles) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
  });
}

/** Database-level rights and those on schema public; objects the role owns stay its own. */
export async function pgRevokeGrants(withClient: WithClient, user: string, databases: string[]): Promise<void> {
  if (isSystemRole(user)) return;
  const dbs = await withClient('postgres', async (c) => {
    if (!(await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).rowCount) return [];
    const present = await existing(c, 'SELECT datname FROM pg_database WHERE datname = ANY($1) AND datallowconn', databases);
    for (const db of present) await c.query(`REVOKE ALL PRIVILEGES ON DATABASE ${c.escapeIdentifier(db)} FROM ${c.escapeIdentifier(user)}`);
    return present;
  });
  for (const db of dbs) {
    await withClient(db, (c) => c.query(`REVOKE ALL ON SCHEMA public FROM ${c.escapeIdentifier(user)}`).catch((e: { code?: string }) => {
      if (e.code !== '3F000') throw e; // schema public was dropped: nothing to revoke
    }));
  }
}
