import test from 'ava';
import { parse } from 'yaml';
import { newInstanceKey } from '../../../guest/protocol/seal.js';
import {
  AGENT_CONFIG_PATH, AGENT_UNIT_PATH, buildUserData, NOVA_USER_DATA_MAX, parseUserData, userDataBase64,
  UserDataTooLargeError, type AgentConfigJson,
} from '../../../providers/openstack/user-data.js';

const config = (over: Partial<AgentConfigJson> = {}): AgentConfigJson => ({
  instanceId: 'orders-1', brokerUrl: 'mqtts://mqtt.example.net:8883', password: 'p@ss: "quoted"\nline',
  key: newInstanceKey(), datastore: 'postgresql', dataDir: '/var/lib/dbstack/data', port: 5432, ...over,
});

test('round trip: text and base64 give back the same config', (t) => {
  const c = config();
  const text = buildUserData(c);
  t.true(text.startsWith('#cloud-config\n'));
  t.deepEqual(parseUserData(text), c);
  t.deepEqual(parseUserData(userDataBase64(text)), c);
});

test('the config file is root-owned 0600, the agent starts through systemd', (t) => {
  const doc = parse(buildUserData(config(), { agentCommand: '/opt/node/bin/node /opt/agent/main.js --config /etc/dbstack/agent.json' }));
  const file = doc.write_files.find((f: { path: string }) => f.path === AGENT_CONFIG_PATH);
  t.is(file.permissions, '0600');
  t.is(file.owner, 'root:root');
  t.is(file.encoding, 'b64');
  const unit = doc.write_files.find((f: { path: string }) => f.path === AGENT_UNIT_PATH);
  t.regex(unit.content, /^ExecStart=\/opt\/node\/bin\/node \/opt\/agent\/main\.js --config \/etc\/dbstack\/agent\.json$/m);
  t.deepEqual(doc.runcmd.at(-1), ['systemctl', 'enable', '--now', 'dbstack-agent.service']);
  // The secrets are not readable in the document itself (only inside the base64 file).
  t.false(buildUserData(config({ password: 'visible-secret' })).includes('visible-secret'));
});

test('user data over Nova\'s 65535-byte limit (after base64) is refused', (t) => {
  t.notThrows(() => buildUserData(config({ password: 'x'.repeat(30_000) })));
  const e = t.throws(() => buildUserData(config({ password: 'x'.repeat(60_000) })), { instanceOf: UserDataTooLargeError });
  t.regex(e!.message, /user data is \d+ bytes after base64 encoding; Nova accepts at most 65535/);
  t.true(e!.size > NOVA_USER_DATA_MAX);
});

test('invalid configs, test-only flags and foreign documents are refused', (t) => {
  t.throws(() => buildUserData(config({ port: 0 })), { message: /port must be an integer/ });
  t.throws(() => buildUserData(config({ fast: true })), { message: /fast: true is for tests only/ });
  t.throws(() => buildUserData(config(), { agentCommand: 'a\nb' }), { message: /one line/ });
  t.throws(() => parseUserData('#!/bin/sh\necho hi\n'), { message: /not a #cloud-config/ });
  t.throws(() => parseUserData('#cloud-config\nruncmd: [ls]\n'), { message: /writes no \/etc\/dbstack\/agent.json/ });
});
