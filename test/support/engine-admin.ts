/**
 * Admin access to an engine the guest agent runs, for tests that change things behind
 * dbstack's back (drop a database, change a setting) — the way an operator with a shell on the
 * instance could.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { MARIADB_ADMIN } from '../../guest/datastores/mariadb.js';

/** Runs SQL as the `postgres` superuser over the instance's private socket. */
export async function postgresAdmin(dataDir: string, sql: string): Promise<void> {
  const pid = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  const client = new pg.Client({ host: pid[4]!, port: Number(pid[3]), user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs SQL as the agent's MariaDB admin account over the instance's private socket. */
export async function mariadbAdmin(dataDir: string, sql: string): Promise<void> {
  let socketPath: string | undefined;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try { args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (args.includes(`--datadir=${dataDir}`)) socketPath = args.find((a) => a.startsWith('--socket='))?.slice('--socket='.length);
  }
  if (!socketPath) throw new Error(`no MariaDB server runs on ${dataDir}`);
  const c = await mysql.createConnection({ socketPath, user: MARIADB_ADMIN.user, password: readFileSync(join(dataDir, MARIADB_ADMIN.passwordFile), 'utf8').trim() });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Runs one command as Redis's `default` user. */
export async function redisAdmin(dataDir: string, port: number, ...command: string[]): Promise<unknown> {
  const r = new Redis({ host: '127.0.0.1', port, username: 'default', password: readFileSync(join(dataDir, 'dbstack-default.pw'), 'utf8').trim(), lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    return await r.call(command[0]!, ...command.slice(1));
  } finally {
    r.disconnect();
  }
}
