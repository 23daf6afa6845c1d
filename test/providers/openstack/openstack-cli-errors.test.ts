/** What a user sees when the OpenStack provider cannot start: one clear message, never a stack trace. */
import test from 'ava';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbstackAsync } from '../../support/cli.js';
import { CLOUD_ENV } from '../../support/loopback-cloud.js';

const STACK = (auth: string) => `
provider "openstack" {
  ${auth}
  broker          = "mqtt://127.0.0.1:1"
  broker_username = "admin"
  broker_password = "x"
  datastore "redis" {
    version "7" { image = "none" }
  }
}
resource "network" "n" { name = "never-created" }
`;

async function apply(auth: string, ...flags: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-os-err-'));
  chmodSync(dir, 0o711);
  writeFileSync(join(dir, 'stack.hcl'), STACK(auth));
  return dbstackAsync(['apply', 'stack.hcl', '-auto-approve', ...flags], { cwd: dir, env: CLOUD_ENV });
}

test('wrong credentials: the cloud, the auth URL and Keystone\'s own words', async (t) => {
  const r = await apply('cloud = "loopback-demo"\n  password = "not-the-password"');
  t.is(r.code, 1);
  t.regex(r.stderr, /loopback-demo/);
  t.regex(r.stderr, /http:\/\/127\.0\.0\.1:5000\/v3/);
  t.regex(r.stderr, /requires authentication/);
  t.notRegex(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
});

test('a cloud that is not in clouds.yaml is named, with where dbstack looked', async (t) => {
  const r = await apply('cloud = "no-such-cloud"');
  t.is(r.code, 1);
  t.regex(r.stderr, /no-such-cloud/);
  t.regex(r.stderr, /clouds\.yaml/);
  t.notRegex(r.stderr, /\n\s+at .+:\d+:\d+/);
});

test('--os-cloud names the cloud as in the OpenStack CLI', async (t) => {
  const r = await apply('', '--os-cloud', 'another-missing-cloud');
  t.is(r.code, 1);
  t.regex(r.stderr, /another-missing-cloud/);
});
