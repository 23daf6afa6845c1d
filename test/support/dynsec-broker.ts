/**
 * A private Mosquitto 2 with the dynamic-security plugin, as a production broker would run:
 * no password_file/acl_file, all identities and ACLs live in the plugin's JSON file, which
 * `mosquitto_ctrl dynsec init` seeds with one admin client.
 *
 * Run as root, mosquitto switches to user `mosquitto` before loading the plugin, and the
 * plugin rewrites its JSON (via a temp file + rename) on every change: the directory and
 * file are chowned to that user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startMosquitto, type MosquittoFiles } from '../../messaging/mosquitto.js';
import { freePort } from './guest-protocol-harness.js';

export const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
export const MOSQUITTO_CTRL = '/usr/bin/mosquitto_ctrl';

export interface DynsecBroker {
  url: string;
  admin: { username: string; password: string };
  configFile: string;
  log(): string;
  stop(): Promise<void>;
}

/** uid/gid of `mosquitto` when we are root (mosquitto switches to it), else undefined. */
function mosquittoUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('mosquitto:'));
  const f = line?.split(':');
  return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
}

export async function startDynsecBroker(): Promise<DynsecBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-dynsec-'));
  const admin = { username: 'admin', password: randomBytes(18).toString('base64url') };
  const configFile = join(dir, 'dynamic-security.json');
  await promisify(execFile)(MOSQUITTO_CTRL, ['dynsec', 'init', configFile, admin.username, admin.password]);
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(logFile, '');
  const owner = mosquittoUser();
  let lastErr: unknown;
  // The free port is released before mosquitto binds it; retry on the rare collision.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const files: MosquittoFiles = {
      conf: join(dir, 'mosquitto.conf'), passwordFile: '', aclFile: '', logFile, port, host: '127.0.0.1',
    };
    writeFileSync(files.conf, [
      '# dbstack test: Mosquitto 2 with dynamic security',
      ...(process.getuid?.() === 0 ? [`user ${owner ? 'mosquitto' : 'root'}`] : []),
      'per_listener_settings false',
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `plugin ${DYNSEC_PLUGIN}`,
      `plugin_opt_config_file ${configFile}`,
      'persistence false',
      'set_tcp_nodelay true',
      `log_dest file ${logFile}`,
      'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
      'connection_messages true',
      '',
    ].join('\n'), { mode: 0o600 });
    if (owner) for (const f of [dir, configFile, logFile, files.conf]) chownSync(f, owner.uid, owner.gid);
    try {
      const m = await startMosquitto(files);
      return {
        url: m.url, admin, configFile, log: m.log,
        stop: async () => { await m.stop(); rmSync(dir, { recursive: true, force: true }); },
      };
    } catch (e) {
      lastErr = e;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr;
}
