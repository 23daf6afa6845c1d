/**
 * The local cloud's MQTT broker: embedded aedes, or a private Mosquitto 2 process in
 * `DIR/mosquitto/`. Both take the conductor plus one credential per instance; guests are
 * added and removed while running.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerCredential } from '../../../messaging/credentials.js';
import { startEmbeddedBroker } from '../../../messaging/embedded.js';
import { startMosquitto, writeMosquittoConfig, type MosquittoProcess } from '../../../messaging/mosquitto.js';
import { PasswordStore } from '../../../messaging/password-store.js';
import { freePort, portIsFree } from '../../../guest/datastores/ports.js';
import { pidAlive } from '../../../guest/datastores/process.js';
import { connectMqtt, endMqtt } from '../../../guest/protocol/mqtt-connect.js';
import type { LocalBrokerKind } from '../supervisor-api.js';

export interface LocalBroker {
  readonly kind: LocalBrokerKind;
  readonly port: number;
  readonly url: string;
  addGuest(cred: BrokerCredential): Promise<void>;
  removeGuest(username: string): Promise<void>;
  close(): Promise<void>;
}

export interface LocalBrokerOptions {
  kind: LocalBrokerKind;
  conductor: BrokerCredential;
  guests: BrokerCredential[];
  /** The port used last time; taken again when free. */
  preferredPort?: number;
  /** Directory for Mosquitto's config, password file, ACL and log. */
  mosquittoDir: string;
  log: (line: string) => void;
}

async function pickPort(preferred: number | undefined): Promise<number> {
  if (preferred !== undefined && (await portIsFree(preferred))) return preferred;
  return freePort();
}

async function startEmbedded(o: LocalBrokerOptions): Promise<LocalBroker> {
  const store = new PasswordStore();
  await store.addAll([o.conductor, ...o.guests]);
  const onDenied = (what: string, user: string | undefined, detail: string) => o.log(`broker: denied ${what} by ${user ?? '(anonymous)'}: ${detail}`);
  let broker;
  try {
    broker = await startEmbeddedBroker({ store, port: await pickPort(o.preferredPort), onDenied });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    broker = await startEmbeddedBroker({ store, port: 0, onDenied }); // lost a race for the port
  }
  const b = broker;
  return {
    kind: 'embedded', port: b.port, url: b.url,
    addGuest: (cred) => store.add(cred),
    removeGuest: async (username) => store.remove(username),
    close: () => b.close(),
  };
}

/** Mosquitto reloads on SIGHUP asynchronously: retry until the new credential is accepted. */
async function verifyLogin(url: string, cred: BrokerCredential, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await connectMqtt({ url, ...cred, connectTimeoutMs: 2000, reconnectPeriodMs: 0 });
      await endMqtt(c, true);
      return;
    } catch (e) {
      if (Date.now() > until) throw new Error(`mosquitto did not accept ${cred.username} after reloading its password file: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A Mosquitto left running by a crashed supervisor (pid recorded next to its dir) is stopped first. */
async function stopLeftoverMosquitto(pidFile: string, conf: string, log: (l: string) => void): Promise<void> {
  let pid = 0;
  try { pid = Number(readFileSync(pidFile, 'utf8').trim()); } catch { return; }
  let cmdline = '';
  try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* not running */ }
  if (!(pid > 1) || !cmdline.includes(conf)) return;
  log(`broker: stopping leftover mosquitto ${pid}`);
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (const until = Date.now() + 5000; pidAlive(pid) && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
  if (pidAlive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

async function startMosquittoBroker(o: LocalBrokerOptions): Promise<LocalBroker> {
  const pidFile = `${o.mosquittoDir}.pid`;
  await stopLeftoverMosquitto(pidFile, join(o.mosquittoDir, 'mosquitto.conf'), o.log);
  const creds = new Map<string, BrokerCredential>([o.conductor, ...o.guests].map((c) => [c.username, c]));
  const port = await pickPort(o.preferredPort);
  const write = () => writeMosquittoConfig(o.mosquittoDir, { port, credentials: [...creds.values()] });
  let proc: MosquittoProcess = await startMosquitto(await write());
  let closing = false;
  // Mosquitto is a separate process: restart it (same port, same files) if it dies under us.
  const watch = (p: MosquittoProcess) => {
    writeFileSync(pidFile, `${p.child.pid}\n`, { mode: 0o600 });
    p.child.once('exit', (code, sig) => onExit(code, sig));
  };
  const onExit = (code: number | null, sig: NodeJS.Signals | null) => {
    if (closing) return;
    o.log(`broker: mosquitto exited (${code ?? sig}); restarting`);
    setTimeout(() => {
      if (closing) return;
      write().then(startMosquitto).then((np) => { proc = np; watch(np); }, (e: Error) => o.log(`broker: mosquitto restart failed: ${e.message}`));
    }, 500);
  };
  watch(proc);
  // Rewrites of the password/ACL files are serialised so reloads never interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => {});
    return next;
  };
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    kind: 'mosquitto', port, url,
    addGuest: (cred) => serial(async () => {
      creds.set(cred.username, cred);
      await write();
      proc.reload();
      await verifyLogin(url, cred);
    }),
    removeGuest: (username) => serial(async () => {
      if (!creds.delete(username)) return;
      await write();
      proc.reload();
    }),
    close: async () => {
      closing = true;
      await chain;
      await proc.stop();
      rmSync(pidFile, { force: true });
    },
  };
}

export function startLocalBroker(o: LocalBrokerOptions): Promise<LocalBroker> {
  return o.kind === 'mosquitto' ? startMosquittoBroker(o) : startEmbedded(o);
}
