import type { DatastoreDriver, DatastoreType, DriverOptions } from './types.js';
import { PostgresDriver } from './postgresql.js';
import { MariaDbDriver } from './mariadb.js';
import { RedisDriver } from './redis.js';

export * from './types.js';
export { freePort } from './ports.js';

/** A driver for a datastore type; `mysql` is served by MariaDB. */
export function createDriver(type: DatastoreType, opts: DriverOptions = {}): DatastoreDriver {
  switch (type) {
    case 'postgresql': return new PostgresDriver(opts);
    case 'mariadb':
    case 'mysql': return new MariaDbDriver(opts);
    case 'redis': return new RedisDriver(opts);
    default: throw new Error(`unknown datastore type '${String(type)}' (postgresql, mariadb, mysql, redis)`);
  }
}
