/**
 * Keeps every instance's retained `desired` message on disk, so the local cloud's broker
 * (aedes keeps retained messages in memory only) has them again after `local down` / `local up`
 * or a crash. The control plane reads the current desired spec back from the broker to change
 * it, so losing it would strand the instance. Payloads are sealed with the instance key: the
 * files (0600, in the instance's directory) hold nothing readable.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { BrokerCredential } from '../../../messaging/credentials.js';
import { connectMqtt, endMqtt } from '../../../guest/protocol/mqtt-connect.js';
import { INSTANCES_ROOT, instanceTopic, parseInstanceTopic } from '../../../guest/protocol/topics.js';

const FILE = 'desired.retained';

export class RetainedMirror {
  private constructor(private readonly client: MqttClient, private readonly instanceDir: (id: string) => string, private readonly log: (l: string) => void) {}

  /** Publishes the saved messages of `instanceIds` again (retained), then mirrors every later change. */
  static async start(url: string, conductor: BrokerCredential, instanceIds: string[], instanceDir: (id: string) => string, log: (l: string) => void): Promise<RetainedMirror> {
    const client = await connectMqtt({ url, ...conductor, clientId: `dbstack-supervisor-${process.pid}` });
    const m = new RetainedMirror(client, instanceDir, log);
    for (const id of instanceIds) {
      const f = join(instanceDir(id), FILE);
      if (existsSync(f)) await client.publishAsync(instanceTopic(id, 'desired'), readFileSync(f), { qos: 1, retain: true });
    }
    // A live publish reaches a subscriber without the retain flag: every desired message is the latest.
    client.on('message', (topic, payload) => m.save(topic, payload));
    await client.subscribeAsync(`${INSTANCES_ROOT}/+/desired`, { qos: 1 });
    return m;
  }

  private save(topic: string, payload: Buffer): void {
    const t = parseInstanceTopic(topic);
    const dir = t && this.instanceDir(t.instanceId);
    if (!t || t.kind !== 'desired' || !dir || !existsSync(dir)) return;
    const f = join(dir, FILE);
    try {
      if (payload.length === 0) rmSync(f, { force: true });
      else {
        writeFileSync(`${f}.tmp`, payload, { mode: 0o600 });
        renameSync(`${f}.tmp`, f);
      }
    } catch (e) {
      this.log(`cannot save the desired state of ${t.instanceId}: ${(e as Error).message}`);
    }
  }

  close(): Promise<void> {
    return endMqtt(this.client);
  }
}
