import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dbstack } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { writeTemp } from '../support/tmp.js';
import { StateStore } from '../../state/index.js';

const example = (name: string) => join(projectRoot, 'examples', name);

test('validate: every example is valid', (t) => {
  for (const f of ['quickstart.hcl', 'mariadb.hcl', 'redis.hcl', 'heat-trove.yaml']) {
    const r = dbstack(['validate', example(f)]);
    t.is(r.code, 0, `${f}: ${r.stderr}`);
    t.regex(r.stdout, /Success! The stack is valid/);
  }
});

test('validate: errors show file:line:col, the source line and a caret, exit 1, no stack trace', (t) => {
  const { paths } = writeTemp({
    'bad.hcl': 'resource "database_instance" "db" {\n  flavour = "db.small"\n  volume  = { size = "twenty" }\n}\n',
  });
  const r = dbstack(['validate', paths[0]!]);
  t.is(r.code, 1);
  t.regex(r.stderr, /error: unknown attribute `flavour` in database_instance\.db — did you mean `flavor`\?/);
  t.regex(r.stderr, /--> .*bad\.hcl:2:3/);
  t.regex(r.stderr, /2 \|   flavour = "db\.small"\n\s+\|   \^{7}/);
  t.regex(r.stderr, /`volume\.size` must be a whole number/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('validate --json has the shape of terraform validate -json', (t) => {
  const { paths } = writeTemp({ 'bad.hcl': 'resource "database_instance" "db" {\n  volume = {}\n' });
  const r = dbstack(['validate', '-json', paths[0]!]);
  t.is(r.code, 1);
  const out = JSON.parse(r.stdout);
  t.false(out.valid);
  t.true(out.error_count >= 1);
  t.truthy(out.diagnostics[0].range.line);
});

test('validate: garbage input is a located error, never a crash', (t) => {
  const { paths } = writeTemp({ 'x.hcl': '\u0000\u0001{{{"${', 'y.yaml': 'resources: [\n  - {a: }}}\n' });
  for (const p of paths) {
    const r = dbstack(['validate', p]);
    t.is(r.code, 1);
    t.regex(r.stderr, /error: /);
    t.notRegex(r.stderr, /internal error|\n\s+at /);
  }
  const missing = dbstack(['validate', '/nonexistent/stack.hcl']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /no such file or directory: \/nonexistent\/stack\.hcl/);
});

test('graph prints mermaid and dot', (t) => {
  const m = dbstack(['graph', example('mariadb.hcl')]);
  t.is(m.code, 0, m.stderr);
  t.regex(m.stdout, /^flowchart LR/);
  const d = dbstack(['graph', '--format', 'dot', example('mariadb.hcl')]);
  t.regex(d.stdout, /"database_instance\.shop" -> "database_configuration\.tuned"/);
  t.regex(d.stdout, /"database_instance\.shop" -> "random_password\.shop"/);
});

test('plan: detailed exit codes, saved plan, show as JSON and Markdown, state commands', (t) => {
  const { dir } = writeTemp({});
  const plan = dbstack(['plan', example('quickstart.hcl'), '-detailed-exitcode', '-out', 'q.plan'], { cwd: dir });
  t.is(plan.code, 2, plan.stderr);
  t.regex(plan.stdout, /Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy\./);
  t.regex(plan.stdout, /password += \(sensitive value\)/);
  const json = dbstack(['show', '--json', 'q.plan'], { cwd: dir });
  t.is(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  t.is(parsed.format_version, '1.2');
  t.deepEqual(parsed.resource_changes[0].change.actions, ['create']);
  t.is(parsed.dbstack.stack, 'quickstart');
  const md = dbstack(['show', '--markdown', 'q.plan'], { cwd: dir });
  t.regex(md.stdout, /\| ➕ add \| 1 \|/);
  t.notRegex(md.stdout + json.stdout, /change-me-please/);
  const list = dbstack(['state', 'list'], { cwd: dir });
  t.is(list.code, 1);
  t.regex(list.stderr, /holds no stack yet/);
  const bad = dbstack(['plan', example('quickstart.hcl'), '--var', 'nope=1'], { cwd: dir });
  t.is(bad.code, 1);
  t.regex(bad.stderr, /no such variable/);
});

test('state commands work on a real state and never print a secret unless asked', (t) => {
  const { dir } = writeTemp({});
  const key = 'a'.repeat(64);
  const env = { DBSTACK_STATE_KEY: key };
  const store = StateStore.open(join(dir, '.dbstack/state.db'), { key: Buffer.from(key, 'hex') });
  const run = store.beginRun('quickstart', { command: 'apply', lineage: '0b0c6a2e-6a51-4f4e-9d59-5d3a8f6f7c11', expectedSerial: 0 });
  run.commitResource({
    address: 'database_instance.orders',
    provider: 'local',
    providerId: 'i-1',
    inputs: { flavor: 'db.small', volume: { size: 1 }, users: [{ name: 'app', password: 'pw-SECRET-9' }] },
    attributes: { id: 'i-1', flavor: 'db.small', volume: { size: 1 }, users: [{ name: 'app', password: 'pw-SECRET-9' }], connection_uri: 'postgresql://app:pw-SECRET-9@h/orders' },
    sensitive: { inputs: [['users', '*', 'password']], attributes: [['users', '*', 'password'], ['connection_uri']] },
  });
  run.setOutputs([{ name: 'uri', value: 'postgresql://app:pw-SECRET-9@h/orders', sensitive: true }]);
  run.finish('applied');
  store.close();

  const list = dbstack(['state', 'list'], { cwd: dir, env });
  t.is(list.stdout.trim(), 'database_instance.orders', list.stderr);
  const show = dbstack(['state', 'show', 'database_instance.orders'], { cwd: dir, env });
  t.regex(show.stdout, /flavor += "db\.small"/);
  const whole = dbstack(['show', '--json'], { cwd: dir, env });
  const outputs = dbstack(['output'], { cwd: dir, env });
  t.regex(outputs.stdout, /uri = \(sensitive value\)/);
  for (const text of [show.stdout, whole.stdout, outputs.stdout]) t.notRegex(text, /pw-SECRET-9/);
  t.is(dbstack(['output', 'uri', '-raw'], { cwd: dir, env }).stdout.trim(), 'postgresql://app:pw-SECRET-9@h/orders');

  t.regex(dbstack(['taint', 'database_instance.orders'], { cwd: dir, env }).stdout, /is tainted/);
  t.regex(dbstack(['state', 'history'], { cwd: dir, env }).stdout, /taint database_instance\.orders/);
  const mv = dbstack(['state', 'mv', 'database_instance.orders', 'database_instance.sales'], { cwd: dir, env });
  t.is(mv.code, 0, mv.stderr);
  const rm = dbstack(['state', 'rm', 'database_instance.nope'], { cwd: dir, env });
  t.is(rm.code, 1);
  t.regex(rm.stderr, /database_instance\.nope/);
  t.is(dbstack(['state', 'rollback', '1'], { cwd: dir, env }).code, 0);
  t.is(dbstack(['state', 'list'], { cwd: dir, env }).stdout.trim(), 'database_instance.orders');
  const wrongKey = dbstack(['state', 'list'], { cwd: dir, env: { DBSTACK_STATE_KEY: 'b'.repeat(64) } });
  t.is(wrongKey.code, 1);
  t.regex(wrongKey.stderr, /different key|key/);
  t.notRegex(wrongKey.stderr, /\n\s+at /);
});

test('plan without a state file and without -out creates nothing', (t) => {
  const { dir } = writeTemp({});
  const r = dbstack(['plan', example('redis.hcl')], { cwd: dir });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Plan: 2 to add/);
  t.false(existsSync(join(dir, '.dbstack')));
});

test('a state path that cannot be created is a clear error, not a crash', (t) => {
  const { dir } = writeTemp({ 'file.db': 'x' });
  const r = dbstack(['plan', example('redis.hcl'), '--state', 'file.db/state.db', '--out', 'p'], { cwd: dir });
  t.is(r.code, 1);
  t.regex(r.stderr, /cannot create the directory for the state at .*file\.db is not a directory/);
  t.notRegex(r.stderr, /internal error|\n\s+at /);
  const notState = dbstack(['state', 'list', '--state', 'file.db'], { cwd: dir });
  t.is(notState.code, 1);
  t.regex(notState.stderr, /is not a dbstack state file/);
});
