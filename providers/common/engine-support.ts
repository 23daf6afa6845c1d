/**
 * Attributes of a `database_instance` that a datastore engine has no use for: the guest's
 * driver would accept and drop them (guest/datastores/*), so the plan refuses them instead.
 * Shared by every provider, since the guest is the same everywhere.
 */
export const ENGINE_IGNORES: Record<string, Record<string, string>> = {
  redis: {
    'databases.*.charset': 'Redis databases are numbered key spaces with no character set',
    'databases.*.collation': 'Redis databases are numbered key spaces with no collation',
    'users.*.host': 'Redis ACL users are not tied to a client host; limit clients with allowed_cidrs',
    'users.*.databases': 'Redis ACLs have no per-database rights: a user reaches every numbered database',
  },
  postgresql: {
    'users.*.host': 'PostgreSQL roles are not tied to a client host; limit clients with allowed_cidrs',
  },
};
