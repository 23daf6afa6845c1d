import type { DatastoreDriver, DatastoreType, DriverOptions } from './types.js';

/**
 * Like createDriver, but imports only the chosen engine's module and its client library: the
 * agent runs one engine, and pg + mysql2 + ioredis together cost it ~12 MB of RSS.
 */
export async function loadDriver(type: DatastoreType, opts: DriverOptions = {}): Promise<DatastoreDriver> {
  switch (type) {
    case 'postgresql': return new (await import('./postgresql.js')).PostgresDriver(opts);
    case 'mariadb':
    case 'mysql': return new (await import('./mariadb.js')).MariaDbDriver(opts);
    case 'redis': return new (await import('./redis.js')).RedisDriver(opts);
    default: throw new Error(`unknown datastore type '${String(type)}' (postgresql, mariadb, mysql, redis)`);
  }
}
