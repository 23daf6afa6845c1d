/**
 * A Terraform configuration written for the OpenStack provider (openstack_db_instance_v1 +
 * _database_v1 + _user_v1 + _configuration_v1) applied on the local cloud: separately declared
 * databases and users share the instance's guest with its inline ones, and leave them alone.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { LocalStack } from '../../support/local-stack.js';

const TF = (withUser: boolean) => `
resource "openstack_db_configuration_v1" "tuned" {
  name = "tuned"
  datastore {
    type    = "postgresql"
    version = "15"
  }
  configuration {
    name  = "work_mem"
    value = "8MB"
  }
}

resource "openstack_db_instance_v1" "db" {
  name             = "tfdb"
  flavor_id        = "db.small"
  size             = 1
  configuration_id = openstack_db_configuration_v1.tuned.id
  datastore {
    type    = "postgresql"
    version = "15"
  }
  database {
    name = "inline"
  }
}

resource "openstack_db_database_v1" "extra" {
  name        = "extra"
  instance_id = openstack_db_instance_v1.db.id
}
${withUser ? `
resource "openstack_db_user_v1" "reader" {
  name        = "reader"
  instance_id = openstack_db_instance_v1.db.id
  password    = "reader-secret-1"
  databases   = [openstack_db_database_v1.extra.name]
}` : ''}
output "port" { value = openstack_db_instance_v1.db.port }
`;

test('openstack_db_* resources on the local cloud', async (t) => {
  const s = new LocalStack('quickstart.hcl');
  t.teardown(() => s.dispose());
  const file = join(s.dir, 'main.tf');
  writeFileSync(file, TF(true));
  const applied = await s.run('apply', file, '-auto-approve');
  t.is(applied.code, 0, applied.stdout + applied.stderr);
  t.regex(applied.stdout, /Resources: 4 added/);
  const port = Number(await s.run('output', '-raw', 'port').then((r) => r.stdout));
  const reader = new pg.Client({ host: '127.0.0.1', port, user: 'reader', password: 'reader-secret-1', database: 'extra' });
  await reader.connect();
  t.is((await reader.query('SHOW work_mem')).rows[0].work_mem, '8MB');
  await reader.end();

  // The separately declared user goes; the instance's inline database and `extra` stay.
  writeFileSync(file, TF(false));
  const removed = await s.run('apply', file, '-auto-approve');
  t.regex(removed.stdout, /Resources: 0 added, 0 changed, 1 destroyed/, removed.stderr);
  const gone = new pg.Client({ host: '127.0.0.1', port, user: 'reader', password: 'reader-secret-1', database: 'extra' });
  await t.throwsAsync(gone.connect(), { message: /reader/ });
  const plan = await s.run('plan', file, '-detailed-exitcode');
  t.is(plan.code, 0, `no drift: inline and extra databases are both still there\n${plan.stdout}${plan.stderr}`);
  t.is((await s.run('destroy', file, '-auto-approve')).code, 0);
});
