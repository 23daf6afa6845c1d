/** Agent config parsing, spec shape checks and the CLI's handling of a bad config. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { AgentConfigError, loadAgentConfig, parseAgentConfig } from '../../../guest/agent/config.js';
import { parseSpec, SpecError, versionMatches } from '../../../guest/agent/reconcile.js';
import { newInstanceKey } from '../../../guest/protocol/seal.js';

const MAIN_JS = fileURLToPath(new URL('../../../guest/agent/main.js', import.meta.url));
const good = {
  instanceId: 'db-1', brokerUrl: 'mqtt://10.0.0.1:1883', password: 'pw', key: newInstanceKey(),
  datastore: 'postgresql', dataDir: '/var/lib/dbstack/data', port: 5432,
};

test('a valid config gets defaults for stateFile, heartbeat and fast', (t) => {
  const c = parseAgentConfig(good);
  t.is(c.stateFile, '/var/lib/dbstack/data/dbstack-agent-state.json');
  t.is(c.heartbeatMs, 30_000);
  t.false(c.fast);
});

test('every problem is reported at once', (t) => {
  const err = t.throws(() => parseAgentConfig({ ...good, brokerUrl: 'http://x', key: 'c2hvcnQ=', datastore: 'oracle', dataDir: 'rel', port: 70000, extra: 1 }),
    { instanceOf: AgentConfigError });
  for (const p of [/unknown field 'extra'/, /brokerUrl/, /key must be a base64-encoded 32-byte key/, /datastore 'oracle' is not one of/, /dataDir 'rel' must be an absolute path/, /port must be an integer 1\.\.65535/]) {
    t.regex(err!.message, p);
  }
  t.regex(t.throws(() => parseAgentConfig({}))!.message, /instanceId is required.*port is required/);
});

test('loadAgentConfig names the file for unreadable or invalid JSON', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-agent-cfg-'));
  try {
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    t.regex(t.throws(() => loadAgentConfig(join(dir, 'bad.json')))!.message, /bad\.json: not valid JSON/);
    t.regex(t.throws(() => loadAgentConfig(join(dir, 'missing.json')))!.message, /missing\.json: cannot read: ENOENT/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('main.js exits 2 with one line on a bad config', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-agent-cfg-'));
  try {
    const file = join(dir, 'agent.json');
    writeFileSync(file, JSON.stringify({ ...good, port: -1 }));
    const r = spawnSync(process.execPath, [MAIN_JS, '--config', file], { encoding: 'utf8', timeout: 20_000 });
    t.is(r.status, 2);
    t.is(r.stderr.trim().split('\n').length, 1);
    t.regex(r.stderr, /^dbstack-agent: .*agent\.json: port must be an integer/);
    const u = spawnSync(process.execPath, [MAIN_JS], { encoding: 'utf8', timeout: 20_000 });
    t.is(u.status, 2);
    t.regex(u.stderr, /usage/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('desired spec shape checks and version matching', (t) => {
  t.notThrows(() => parseSpec({ datastore: 'redis', databases: [{ name: '0' }], users: [{ name: 'a', password: 'p' }], config: { hz: 10 } }));
  const err = t.throws(() => parseSpec({ databases: [{}], users: [{ name: 'a' }], config: { x: [1] } }), { instanceOf: SpecError });
  t.regex(err!.message, /datastore is required.*config\.x must be.*databases\[0\]\.name is required.*users\[0\]\.password is required/);
  t.true(versionMatches('15', '15.20'));
  t.true(versionMatches('15.20', '15.20'));
  t.false(versionMatches('1', '15.2'));
  t.false(versionMatches('16', '15.20'));
});
