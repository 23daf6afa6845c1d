/**
 * cloud-init user data that turns a booted guest image into a dbstack guest: it writes the
 * agent config to /etc/dbstack/agent.json (0600, root) plus a systemd unit, and starts the
 * agent with `systemctl enable --now dbstack-agent` (restart on failure, survives reboots;
 * cloud-init runs `runcmd` once per instance, systemd takes over from there).
 *
 * SECRETS — the agent config holds the guest's broker password and its AES instance key.
 * It therefore travels ONLY in user data, which Nova returns to the instance itself and to
 * admins (`OS-EXT-SRV-ATTR:user_data`, microversion >= 2.3). It must NEVER go into server
 * metadata, tags or the server name: every member of the project can read those.
 */
import { parse, stringify } from 'yaml';
import { parseAgentConfig, type AgentConfig } from '../../guest/agent/config.js';

export const AGENT_CONFIG_PATH = '/etc/dbstack/agent.json';
export const AGENT_UNIT_PATH = '/etc/systemd/system/dbstack-agent.service';
/** What the guest image is expected to contain (see messaging/README.md, "OpenStack guests"). */
export const DEFAULT_AGENT_COMMAND = `/usr/bin/node /opt/dbstack/dist/guest/agent/main.js --config ${AGENT_CONFIG_PATH}`;
/** Nova refuses user_data longer than this, counted AFTER base64 encoding. */
export const NOVA_USER_DATA_MAX = 65535;

/** The agent config as JSON (what config.ts parses; defaults may be left out). */
export type AgentConfigJson = Omit<AgentConfig, 'stateFile' | 'heartbeatMs' | 'fast'> &
  Partial<Pick<AgentConfig, 'stateFile' | 'heartbeatMs' | 'fast'>>;

export interface UserDataOptions {
  /** The agent's command line (ExecStart), default DEFAULT_AGENT_COMMAND. */
  agentCommand?: string;
}

export class UserDataTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`user data is ${size} bytes after base64 encoding; Nova accepts at most ${NOVA_USER_DATA_MAX}`);
    this.name = 'UserDataTooLargeError';
  }
}

function unit(command: string): string {
  if (/[\r\n]/.test(command)) throw new Error('agentCommand must be one line');
  return [
    '[Unit]',
    'Description=dbstack guest agent',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    `ExecStart=${command}`,
    'Restart=on-failure',
    'RestartSec=2',
    // The agent stops the engine and publishes `offline` on SIGTERM; give it time.
    'TimeoutStopSec=90',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Returns the `#cloud-config` document (text); throws if the config is invalid or too large. */
export function buildUserData(agentConfig: AgentConfigJson, opts: UserDataOptions = {}): string {
  parseAgentConfig(agentConfig, 'agent config for user data'); // fail at create, not inside the VM
  if (agentConfig.fast === true) throw new Error('agent config for user data: fast: true is for tests only and must not be sent to a VM');
  const doc = {
    write_files: [
      {
        path: AGENT_CONFIG_PATH,
        owner: 'root:root',
        permissions: '0600',
        // base64: the JSON is written byte for byte, no YAML quoting questions.
        encoding: 'b64',
        content: Buffer.from(JSON.stringify(agentConfig)).toString('base64'),
      },
      { path: AGENT_UNIT_PATH, owner: 'root:root', permissions: '0644', content: unit(opts.agentCommand ?? DEFAULT_AGENT_COMMAND) },
    ],
    runcmd: [
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'dbstack-agent.service'],
    ],
  };
  const text = `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
  userDataBase64(text); // size check
  return text;
}

/** base64 for Nova's `user_data` field; throws UserDataTooLargeError past NOVA_USER_DATA_MAX. */
export function userDataBase64(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  if (b64.length > NOVA_USER_DATA_MAX) throw new UserDataTooLargeError(b64.length);
  return b64;
}

/**
 * The agent config carried by user data (the text, or its base64 as Nova returns it).
 * Returned as JSON, not defaulted, so a caller may rewrite fields (dataDir, port) before
 * the agent applies its defaults; it is validated all the same.
 */
export function parseUserData(textOrBase64: string): AgentConfigJson {
  const text = textOrBase64.startsWith('#cloud-config') ? textOrBase64 : Buffer.from(textOrBase64, 'base64').toString('utf8');
  if (!text.startsWith('#cloud-config')) throw new Error('user data is not a #cloud-config document');
  const doc = parse(text) as { write_files?: { path?: unknown; content?: unknown; encoding?: unknown }[] } | null;
  const file = doc?.write_files?.find((f) => f.path === AGENT_CONFIG_PATH);
  if (!file || typeof file.content !== 'string') throw new Error(`user data writes no ${AGENT_CONFIG_PATH}`);
  const enc = file.encoding;
  const json = enc === 'b64' || enc === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
  let raw: unknown;
  try { raw = JSON.parse(json); } catch (e) { throw new Error(`${AGENT_CONFIG_PATH} in user data is not JSON: ${(e as Error).message}`); }
  parseAgentConfig(raw, `${AGENT_CONFIG_PATH} in user data`);
  return raw as AgentConfigJson;
}
