import test from 'ava';
import { join } from 'node:path';
import { StateStore } from '../../state/index.js';
import { KEY_ENV } from '../../state/keys.js';
import { badInputTests } from '../support/bad-input.js';
import { KEY_HEX, LINEAGE } from '../support/state.js';

// What the stack's provider does not implement, refused by validate and plan at its place
// (providers/*/capabilities.ts); and deletion_protection refusing a destroy.

const OPENSTACK = 'provider "openstack" {\n  datastore "postgresql" {\n    version "15" { image = "guest-pg15" }\n  }\n}\n';
const INSTANCE = 'resource "database_instance" "db" {\n  volume = { size = 1 }\n}\n';
const PROTECTED = { datastore: { type: 'postgresql' }, volume: { size: 1 }, deletion_protection: true };

badInputTests(test, 'provider support', [
  {
    name: 'database_backup on the local cloud',
    files: { 's.hcl': `${INSTANCE}resource "database_backup" "nightly" {\n  instance = database_instance.db.id\n}\n` },
    args: ['plan', 's.hcl'],
    says: /error: `database_backup` is not supported by the local provider yet\n\s+--> s\.hcl:4:10/,
  },
  {
    name: 'database_cluster in native YAML',
    files: { 's.yaml': 'resources:\n  c:\n    type: database_cluster\n    properties:\n      datastore: { type: mariadb }\n      instances:\n        - flavor: db.small\n          volume: { size: 1 }\n' },
    args: ['validate', 's.yaml'],
    says: /error: `database_cluster` is not supported by the local provider yet\n\s+--> s\.yaml:3:11/,
  },
  {
    name: 'replica_of on OpenStack',
    files: { 's.hcl': `${OPENSTACK}resource "database_instance" "db" {\n  volume = { size = 1 }\n  replica_of = "primary-id"\n}\n` },
    args: ['plan', 's.hcl'],
    says: /error: `replica_of` is not supported by the openstack provider yet\n\s+--> s\.hcl:8:3/,
  },
  {
    name: 'Heat restore_point on OpenStack',
    files: {
      'stack.yaml': 'heat_template_version: 2016-10-14\nresources:\n  db:\n    type: OS::Trove::Instance\n    properties:\n      flavor: m1.small\n      size: 1\n      restore_point: backup-1\n',
      'cloud.hcl': OPENSTACK,
    },
    args: ['plan', 'stack.yaml', 'cloud.hcl'],
    says: /error: `restore_point` \(restore_from\) is not supported by the openstack provider yet\n\s+--> stack\.yaml:8:7/,
  },
  {
    name: 'Terraform configuration_id on OpenStack (DBSTACK_PROVIDER)',
    files: { 'main.tf': 'resource "openstack_db_instance_v1" "db" {\n  name = "db"\n  size = 1\n  configuration_id = "cfg-1"\n  datastore {\n    type    = "postgresql"\n    version = "15"\n  }\n}\n' },
    args: ['validate', 'main.tf'],
    env: { DBSTACK_PROVIDER: 'openstack' },
    says: /error: `configuration_id` \(configuration\) is not supported by the openstack provider yet\n\s+--> main\.tf:4:3/,
  },
  {
    name: 'a data source OpenStack lacks, reported once',
    files: { 's.hcl': `${OPENSTACK}data "subnet" "s" {\n  name = "x"\n}\n` },
    args: ['plan', 's.hcl'],
    says: /^error: data source `subnet` is not supported by the openstack provider yet\n\s+--> s\.hcl:6:6[^]*offers the data sources flavor, image, network[^]*$(?<!no data source[^]*)/,
  },
  {
    name: 'a collation on Redis',
    files: { 's.hcl': 'resource "database_instance" "cache" {\n  datastore = { type = "redis" }\n  volume = { size = 1 }\n  database "0" {\n    collation = "C"\n  }\n}\n' },
    args: ['validate', 's.hcl'],
    says: /error: `databases\[0\]\.collation` has no effect on redis\n\s+--> s\.hcl:5:5/,
  },
  {
    name: 'plan --destroy of a protected instance',
    files: { 's.hcl': 'resource "database_instance" "db" {\n  datastore = { type = "postgresql" }\n  volume = { size = 1 }\n  deletion_protection = true\n}\n' },
    setup: (dir) => {
      const store = StateStore.open(join(dir, '.dbstack', 'state.db'), { key: Buffer.from(KEY_HEX, 'hex') });
      const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
      run.commitResource({ address: 'database_instance.db', provider: 'local', providerId: 'i-1', inputs: PROTECTED, attributes: { ...PROTECTED, id: 'i-1' }, dependencies: [], status: 'ready' });
      run.finish('applied');
      store.close();
    },
    args: ['plan', '--destroy', '--refresh', 'false', '--stack', 'default', 's.hcl'],
    env: { [KEY_ENV]: KEY_HEX },
    says: /error: database_instance\.db has deletion_protection = true, but the plan would destroy it\n\s+--> s\.hcl:4:3[^]*set deletion_protection = false and apply that change on its own first/,
  },
]);
