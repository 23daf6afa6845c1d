/**
 * Attributes of a `database_instance` that a datastore engine has no use for: the guest's
 * driver would accept and drop them (guest/datastores/*), so the plan refuses them instead.
 * Shared by every provider, since the guest is the same everywhere.
 */
const REDIS_DB = 'Redis databases are numbered key spaces with no';
const REDIS_USER_HOST = 'Redis ACL users are not tied to a client host; limit clients with allowed_cidrs';
const REDIS_USER_DBS = 'Redis ACLs have no per-database rights: a user reaches every numbered database';
const PG_USER_HOST = 'PostgreSQL roles are not tied to a client host; limit clients with allowed_cidrs';

export const ENGINE_IGNORES: Record<string, Record<string, string>> = {
  redis: {
    'databases.*.charset': `${REDIS_DB} character set`,
    'databases.*.collation': `${REDIS_DB} collation`,
    'users.*.host': REDIS_USER_HOST,
    'users.*.databases': REDIS_USER_DBS,
  },
  postgresql: {
    'users.*.host': PG_USER_HOST,
  },
};

/** The same for the standalone `database` resource (its engine is its instance's). */
export const DATABASE_ENGINE_IGNORES: Record<string, Record<string, string>> = {
  redis: { charset: `${REDIS_DB} character set`, collation: `${REDIS_DB} collation` },
};

/** The same for the standalone `database_user` resource. */
export const USER_ENGINE_IGNORES: Record<string, Record<string, string>> = {
  redis: { host: REDIS_USER_HOST, databases: REDIS_USER_DBS },
  postgresql: { host: PG_USER_HOST },
};
