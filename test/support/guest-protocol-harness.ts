/** Test harness for the guest protocol: real brokers (aedes in-process, Mosquitto process). */
export { freePort } from '../../guest/datastores/ports.js';
import { freePort } from '../../guest/datastores/ports.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { newConductorCredential, newGuestCredential, type BrokerCredential } from '../../messaging/credentials.js';
import { startEmbeddedBroker } from '../../messaging/embedded.js';
import { startMosquitto, writeMosquittoConfig } from '../../messaging/mosquitto.js';
import { PasswordStore } from '../../messaging/password-store.js';
import { newInstanceKey } from '../../guest/protocol/seal.js';

export type BrokerKind = 'aedes' | 'mosquitto';
export const BROKER_KINDS: BrokerKind[] = ['aedes', 'mosquitto'];

export interface TestBroker {
  kind: BrokerKind;
  url: string;
  stop(): Promise<void>;
  log(): string;
}

export interface Instance {
  id: string;
  key: string;
  cred: BrokerCredential;
}


export function makeInstance(prefix: string): Instance {
  const id = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  return { id, key: newInstanceKey(), cred: newGuestCredential(id) };
}

export async function startBroker(kind: BrokerKind, credentials: BrokerCredential[]): Promise<TestBroker> {
  if (kind === 'aedes') {
    const store = new PasswordStore();
    await store.addAll(credentials);
    const b = await startEmbeddedBroker({ store });
    return { kind, url: b.url, stop: () => b.close(), log: () => '' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-mosq-'));
  let lastErr: unknown;
  // The free port is released before mosquitto binds it; retry on the rare collision.
  for (let attempt = 0; attempt < 3; attempt++) {
    const files = await writeMosquittoConfig(dir, { port: await freePort(), credentials });
    try {
      const m = await startMosquitto(files);
      return {
        kind,
        url: m.url,
        log: m.log,
        stop: async () => {
          await m.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      lastErr = e;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr;
}

/** Starts a broker with a conductor and `n` guest instances provisioned. */
export async function brokerWithInstances(kind: BrokerKind, n: number, prefix = 'inst') {
  const conductor = newConductorCredential();
  const instances = Array.from({ length: n }, () => makeInstance(prefix));
  const broker = await startBroker(kind, [conductor, ...instances.map((i) => i.cred)]);
  return { broker, conductor, instances };
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `pred` until true or throws after `timeoutMs`. */
export async function waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(10);
  }
}

export function record(client: MqttClient): { topic: string; payload: Buffer }[] {
  const got: { topic: string; payload: Buffer }[] = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: Buffer.from(payload) }));
  return got;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
