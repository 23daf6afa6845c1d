import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackText } from '../../planner/load/index.js';
import { makePlan } from '../../planner/plan/make-plan.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { capabilitiesOf } from '../../providers/capabilities.js';
import type { ProviderCapabilities } from '../../planner/plan/capabilities.js';
import { createLocalProvider } from '../../providers/local/provider.js';
import { createOpenStackProvider } from '../../providers/openstack/provider.js';
import { OPENSTACK_NETWORK_TYPES } from '../../providers/openstack/resources/network-types.js';
import * as catalog from '../../schemas/catalog.js';
import { LINEAGE } from '../support/plan-fixture.js';
import { dbstackAsync } from '../support/cli.js';

// Each provider declares what it implements (providers/*/capabilities.ts); plan and validate
// refuse anything else where it is written, in every input language.

const local = capabilitiesOf('local')!;
const openstack = capabilitiesOf('openstack')!;

/** The errors of planning `text` (as file `file`) for a provider, as "line:col summary". */
function planErrors(text: string, file: string, caps: ProviderCapabilities | undefined, prior?: Parameters<typeof makePlan>[1]): string[] {
  const { document, diagnostics } = loadStackText(text, file);
  const { plan } = makePlan(document, prior, { stack: 'test', ...(caps ? { capabilities: caps } : {}) });
  const errors = [...diagnostics, ...plan.diagnostics].filter((d) => d.severity === 'error');
  return errors.sort((a, b) => (a.range?.line ?? 0) - (b.range?.line ?? 0) || (a.range?.col ?? 0) - (b.range?.col ?? 0)).map(where);
}

const where = (d: Diagnostic) => `${d.range ? `${d.range.line}:${d.range.col} ` : ''}${d.summary}`;

const OPENSTACK_HCL = `
resource "database_instance" "replica" {
  datastore     = { type = "postgresql", version = "15" }
  volume        = { size = 1 }
  replica_of    = "3f1c0f9e-primary"
  replica_count = 2
}
resource "database_instance" "restored" {
  datastore    = { type = "postgresql", version = "15" }
  volume       = { size = 1 }
  restore_from = "backup-1"
  backup       = { schedule = "0 2 * * *" }
  access       = { is_public = true }
}
`;

test('openstack: replica_of, replica_count, restore_from, backup and access are refused at their file:line', (t) => {
  t.deepEqual(planErrors(OPENSTACK_HCL, 'main.hcl', openstack), [
    '5:3 `replica_of` is not supported by the openstack provider yet',
    '6:3 `replica_count` is not supported by the openstack provider yet',
    '11:3 `restore_from` is not supported by the openstack provider yet',
    '12:3 `backup` is not supported by the openstack provider yet',
    '13:3 `access` is not supported by the openstack provider yet',
  ]);
});

test('the same stack plans cleanly without a provider table (the check is the only thing refusing it)', (t) => {
  t.deepEqual(planErrors(OPENSTACK_HCL, 'main.hcl', undefined), []);
});

test('the refusal says why and what to do', (t) => {
  const { document } = loadStackText(OPENSTACK_HCL, 'main.hcl');
  const d = makePlan(document, undefined, { stack: 'test', capabilities: openstack }).plan.diagnostics.find((x) => x.summary.startsWith('`restore_from`'))!;
  t.is(d.address, 'database_instance.restored');
  t.regex(d.detail!, /would start empty.*Remove it from database_instance\.restored\./);
});

test('heat: OS::Trove::Instance restore_point, replica_of and replica_count are refused under the names the template uses', (t) => {
  const hot = `heat_template_version: 2016-10-14
resources:
  restored:
    type: OS::Trove::Instance
    properties:
      flavor: m1.small
      size: 1
      datastore_type: postgresql
      datastore_version: "15"
      restore_point: 7d1ebb1e-backup
  replica:
    type: OS::Trove::Instance
    properties:
      flavor: m1.small
      size: 1
      replica_of: { get_resource: restored }
      replica_count: 2
      networks:
        - network: private
          fixed_ip: 10.0.0.7
`;
  t.deepEqual(planErrors(hot, 'stack.yaml', openstack), [
    '10:7 `restore_point` (restore_from) is not supported by the openstack provider yet',
    '16:7 `replica_of` is not supported by the openstack provider yet',
    '17:7 `replica_count` is not supported by the openstack provider yet',
    '20:11 `networks[0].fixed_ip` is not supported by the openstack provider yet',
  ]);
});

test('openstack: a second NIC is refused (the instance gets one port); the local cloud accepts it without effect', (t) => {
  const hcl = `resource "database_instance" "db" {
  volume = { size = 1 }
  nic { network = "front" }
  nic { network = "back" }
}
`;
  t.deepEqual(planErrors(hcl, 'main.hcl', openstack), ['4:3 more than 1 of `networks` is not supported by the openstack provider yet']);
  t.deepEqual(planErrors(hcl, 'main.hcl', local), []);
});

test('heat: OS::Trove::Cluster is refused at its type', (t) => {
  const hot = `heat_template_version: 2016-10-14
resources:
  cluster:
    type: OS::Trove::Cluster
    properties:
      datastore_type: mongodb
      datastore_version: 2.6.1
      instances:
        - flavor: m1.heat
          volume_size: 1
`;
  t.deepEqual(planErrors(hot, 'cluster.yaml', openstack), ['4:11 `OS::Trove::Cluster` (database_cluster) is not supported by the openstack provider yet']);
});

test('heat: deletion_policy Snapshot is refused (nothing would take the snapshot); Retain and Delete are honoured', (t) => {
  const hot = (policy: string) => `heat_template_version: 2016-10-14
resources:
  db:
    type: OS::Trove::Instance
    deletion_policy: ${policy}
    properties:
      flavor: m1.small
      size: 1
`;
  t.deepEqual(planErrors(hot('Snapshot'), 'stack.yaml', openstack), ['5:22 deletion_policy Snapshot is not supported by the openstack provider yet']);
  t.deepEqual(planErrors(hot('Retain'), 'stack.yaml', openstack), []);
  t.deepEqual(planErrors(hot('Delete'), 'stack.yaml', local), []);
});

test('terraform: openstack_db_* attributes and types are refused under their Terraform names', (t) => {
  const tf = `resource "openstack_db_instance_v1" "db" {
  region           = "RegionOne"
  name             = "db"
  flavor_id        = "m1.small"
  size             = 1
  configuration_id = openstack_db_configuration_v1.tuned.id
  datastore {
    type    = "postgresql"
    version = "15"
  }
  network {
    uuid        = "private"
    fixed_ip_v4 = "10.0.0.5"
  }
}
resource "openstack_db_configuration_v1" "tuned" {
  name = "tuned"
  datastore {
    type    = "postgresql"
    version = "15"
  }
  configuration {
    name  = "max_connections"
    value = "100"
  }
}
`;
  t.deepEqual(planErrors(tf, 'main.tf', openstack), [
    '6:3 `configuration_id` (configuration) is not supported by the openstack provider yet',
    '13:5 `network[0].fixed_ip_v4` (networks[0].fixed_ip) is not supported by the openstack provider yet',
    '16:10 `openstack_db_configuration_v1` (database_configuration) is not supported by the openstack provider yet',
  ]);
});

test('native yaml: database_backup and database_cluster are refused on the local cloud at their type', (t) => {
  const yaml = `resources:
  db:
    type: database_instance
    properties:
      volume: { size: 1 }
  nightly:
    type: database_backup
    properties:
      instance: \${database_instance.db.id}
  cluster:
    type: database_cluster
    properties:
      datastore: { type: mariadb }
      instances:
        - flavor: db.small
          volume: { size: 1 }
`;
  t.deepEqual(planErrors(yaml, 'stack.yaml', local), [
    '7:11 `database_backup` is not supported by the local provider yet',
    '11:11 `database_cluster` is not supported by the local provider yet',
  ]);
});

test('local: replica and restore attributes are refused; placement attributes are accepted without effect', (t) => {
  t.deepEqual(planErrors(OPENSTACK_HCL, 'main.hcl', local).map((e) => e.replace('local', 'X')), [
    '5:3 `replica_of` is not supported by the X provider yet',
    '6:3 `replica_count` is not supported by the X provider yet',
    '11:3 `restore_from` is not supported by the X provider yet',
    '12:3 `backup` is not supported by the X provider yet',
    '13:3 `access` is not supported by the X provider yet',
  ]);
  const placed = `
resource "database_instance" "db" {
  flavor            = "db.large"
  availability_zone = "nova-2"
  allowed_cidrs     = ["10.0.0.0/24"]
  volume = {
    size = 1
    type = "ssd"
  }
  nic { network = "private" }
  deletion_protection = true
}
`;
  t.deepEqual(planErrors(placed, 'main.hcl', local), []);
  t.deepEqual(planErrors(placed, 'main.hcl', openstack), []);
});

test('engines: attributes a datastore has no use for are refused; the engines that use them accept them', (t) => {
  const stack = (type: string) => `
resource "database_instance" "db" {
  datastore = { type = "${type}" }
  volume    = { size = 1 }
  database "app" {
    charset   = "utf8mb4"
    collation = "utf8mb4_general_ci"
  }
  user "app" {
    password  = "secret-password"
    host      = "%"
    databases = ["app"]
  }
}
`;
  t.deepEqual(planErrors(stack('redis'), 'main.hcl', local), [
    '6:5 `databases[0].charset` has no effect on redis',
    '7:5 `databases[0].collation` has no effect on redis',
    '11:5 `users[0].host` has no effect on redis',
    '12:5 `users[0].databases` has no effect on redis',
  ]);
  t.deepEqual(planErrors(stack('postgresql'), 'main.hcl', openstack), ['11:5 `users[0].host` has no effect on postgresql']);
  t.deepEqual(planErrors(stack('mariadb'), 'main.hcl', local), []);
  // The local cloud's default engine is PostgreSQL: its rules hold when the datastore is not named.
  t.deepEqual(planErrors(stack('postgresql').replace(/ *datastore = .*\n/, ''), 'main.hcl', local), ['10:5 `users[0].host` has no effect on postgresql']);
  // An engine known only after apply is not guessed at.
  t.deepEqual(planErrors(stack('redis').replace('"redis"', 'random_password.pick.result') + 'resource "random_password" "pick" {\n  length = 8\n}\n', 'main.hcl', local), []);
});

test('engines: standalone databases and users are judged by the engine of the instance they reference', (t) => {
  const tf = `resource "openstack_db_instance_v1" "cache" {
  name = "cache"
  size = 1
  datastore {
    type    = "redis"
    version = "7"
  }
}
resource "openstack_db_database_v1" "db" {
  name        = "0"
  instance_id = openstack_db_instance_v1.cache.id
  collate     = "C"
}
resource "openstack_db_user_v1" "app" {
  name        = "app"
  password    = "secret-password"
  instance_id = openstack_db_instance_v1.cache.id
  host        = "%"
}
`;
  t.deepEqual(planErrors(tf, 'main.tf', openstack), [
    '12:3 `collate` (collation) has no effect on redis',
    '18:3 `host` has no effect on redis',
  ]);
  // On the local cloud an instance that names no datastore runs PostgreSQL.
  const hcl = `resource "database_instance" "db" {
  volume = { size = 1 }
}
resource "database_user" "app" {
  instance = database_instance.db.id
  name     = "app"
  password = "secret-password"
  host     = "%"
}
`;
  t.deepEqual(planErrors(hcl, 'main.hcl', local), ['8:3 `host` has no effect on postgresql']);
  t.deepEqual(planErrors(hcl.replace('volume = { size = 1 }', 'volume = { size = 1 }\n  datastore = { type = "mariadb" }'), 'main.hcl', local), []);
  // An instance id from elsewhere: the engine is not known before apply, so nothing is judged.
  t.deepEqual(planErrors(hcl.replace('database_instance.db.id', '"3f1c-elsewhere"'), 'main.hcl', local), []);
});

test('openstack: a change the provider cannot make in place is refused, not silently skipped', (t) => {
  const hcl = (cidr: string, name: string) => `
resource "database_instance" "db" {
  name          = "${name}"
  datastore     = { type = "postgresql", version = "15" }
  volume        = { size = 1 }
  allowed_cidrs = ["${cidr}"]
}
`;
  const inputs = { name: 'db', datastore: { type: 'postgresql', version: '15' }, volume: { size: 1 }, allowed_cidrs: ['10.0.0.0/24'] };
  const prior = {
    lineage: LINEAGE, serial: 1, outputs: [],
    resources: [{ address: 'database_instance.db', mode: 'managed' as const, type: 'database_instance', name: 'db', inputs, attributes: { ...inputs, id: 'i-1' }, dependencies: [], status: 'ready' as const }],
  };
  t.deepEqual(planErrors(hcl('10.0.0.0/24', 'db'), 'main.hcl', openstack, prior), []);
  t.deepEqual(planErrors(hcl('10.9.0.0/16', 'db2'), 'main.hcl', openstack, prior), [
    '3:19 changing `name` of database_instance.db is not supported by the openstack provider yet',
    '6:19 changing `allowed_cidrs` of database_instance.db is not supported by the openstack provider yet',
  ]);
  // The local cloud renames in place and has no firewall to change: the same change is an update.
  t.deepEqual(planErrors(hcl('10.9.0.0/16', 'db2'), 'main.hcl', local, prior), []);
});

test('a create-only attribute declared `replace` makes its change a replacement', (t) => {
  const caps: ProviderCapabilities = {
    ...local,
    resources: { ...local.resources, database_instance: { ...local.resources.database_instance!, attributes: { ...(local.resources.database_instance!.attributes as object), flavor: { update: 'replace', reason: 'test' } } } },
  };
  const inputs = { datastore: { type: 'postgresql' }, volume: { size: 1 }, flavor: 'small' };
  const prior = {
    lineage: LINEAGE, serial: 1, outputs: [],
    resources: [{ address: 'database_instance.db', mode: 'managed' as const, type: 'database_instance', name: 'db', inputs, attributes: { ...inputs, id: 'i-1' }, dependencies: [], status: 'ready' as const }],
  };
  const { document } = loadStackText('resource "database_instance" "db" {\n  datastore = { type = "postgresql" }\n  volume = { size = 1 }\n  flavor = "large"\n}\n', 'main.hcl');
  const change = (c?: ProviderCapabilities) => makePlan(document, prior, { stack: 'test', ...(c ? { capabilities: c } : {}) }).plan.resourceChanges[0]!;
  t.deepEqual(change(local).actions, ['update']);
  t.deepEqual(change(caps).actions, ['delete', 'create']);
  t.deepEqual(change(caps).replacePaths, [['flavor']]);
});

test('the tables are the truth: every declared type and attribute exists in the schemas', (t) => {
  for (const caps of [local, openstack]) {
    for (const [type, support] of Object.entries(caps.resources)) {
      t.truthy(catalog.resourceSchema('managed', type), `${caps.name}: ${type}`);
      const paths = [
        ...(support.attributes === '*' ? [] : Object.keys(support.attributes)),
        ...Object.keys(support.notYet ?? {}),
        ...Object.values(support.engines ?? {}).flatMap((e) => Object.keys(e)),
      ];
      for (const p of paths) {
        const steps = p.split('.').map((s) => (s === '*' ? 0 : s));
        const info = catalog.attributeInfo('managed', type, steps);
        t.truthy(info && (!info.computed || info.optional), `${caps.name}: ${type}.${p} is a settable attribute of the schema`);
      }
    }
    for (const type of caps.dataSources) t.truthy(catalog.resourceSchema('data', type), `${caps.name}: data ${type}`);
  }
});

test('the tables match the providers: a declared type is implemented, an implemented type is declared', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-caps-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const providers = [
    createLocalProvider({ stateDir: dir, startCloud: false }),
    createOpenStackProvider({}, {}, OPENSTACK_NETWORK_TYPES),
  ];
  for (const p of providers) {
    const caps = capabilitiesOf(p.name)!;
    for (const type of catalog.resourceTypes('managed')) {
      t.is(p.resourceType(type) !== undefined, type in caps.resources, `${p.name}: resource ${type}`);
    }
    for (const type of catalog.resourceTypes('data')) {
      t.is(p.dataSource?.(type) !== undefined, caps.dataSources.includes(type), `${p.name}: data source ${type}`);
    }
    await p.close();
  }
});

/** A directory with `files`, removed after the test. */
function stackDir(t: { teardown(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-support-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('cli: validate and plan refuse what the stack\'s provider lacks, at file:line, with no stack trace', async (t) => {
  const dir = stackDir(t, {
    'main.hcl': `provider "openstack" {
  datastore "postgresql" {
    version "15" { image = "guest-pg15" }
  }
}
${OPENSTACK_HCL}`,
  });
  for (const cmd of ['validate', 'plan']) {
    const r = await dbstackAsync([cmd, 'main.hcl'], { cwd: dir });
    t.is(r.code, 1, `${cmd}: ${r.stderr}`);
    t.regex(r.stderr, /error: `replica_of` is not supported by the openstack provider yet\n\s+--> main\.hcl:10:3/);
    t.regex(r.stderr, /error: `restore_from` is not supported by the openstack provider yet\n\s+--> main\.hcl:16:3/);
    t.notRegex(r.stderr, /\n\s+at /);
  }
});

test('cli: validate uses the local table when the stack names no provider', async (t) => {
  const dir = stackDir(t, {
    'ok.hcl': 'resource "database_instance" "db" {\n  volume = { size = 1 }\n  availability_zone = "nova"\n}\n',
    'backup.hcl': 'resource "database_instance" "db" {\n  volume = { size = 1 }\n}\nresource "database_backup" "b" {\n  instance = database_instance.db.id\n}\n',
  });
  const ok = await dbstackAsync(['validate', 'ok.hcl'], { cwd: dir, env: { DBSTACK_PROVIDER: '' } });
  t.is(ok.code, 0, ok.stderr);
  const bad = await dbstackAsync(['validate', 'backup.hcl'], { cwd: dir, env: { DBSTACK_PROVIDER: '' } });
  t.is(bad.code, 1);
  t.regex(bad.stderr, /error: `database_backup` is not supported by the local provider yet\n\s+--> backup\.hcl:4:10/);
  t.regex(bad.stderr, /Backups are not implemented yet\. Remove database_backup\.b from the stack/);
  // DBSTACK_PROVIDER=openstack picks the OpenStack table without a provider block.
  const os = await dbstackAsync(['validate', 'ok.hcl'], { cwd: dir, env: { DBSTACK_PROVIDER: 'openstack' } });
  t.is(os.code, 0, os.stderr);
});
