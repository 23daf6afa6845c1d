/** Connects an MQTT 3.1.1 client, failing fast on refusal (bad credentials) or timeout. */
import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

export interface MqttConnectOptions {
  url: string;
  username: string;
  password: string;
  clientId?: string;
  will?: IClientOptions['will'];
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Reconnect delay after a lost connection; 0 disables reconnecting. Default 1000 ms. */
  reconnectPeriodMs?: number;
  keepaliveSec?: number;
}

export function connectMqtt(opts: MqttConnectOptions): Promise<MqttClient> {
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const client = connect(opts.url, {
    protocolVersion: 4,
    clean: true,
    clientId: opts.clientId ?? `${opts.username}-${randomBytes(6).toString('hex')}`,
    username: opts.username,
    password: opts.password,
    connectTimeout: timeoutMs,
    reconnectPeriod: opts.reconnectPeriodMs ?? 1000,
    keepalive: opts.keepaliveSec ?? 30,
    ...(opts.will ? { will: opts.will } : {}),
  });
  // Small request/response messages: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms.
  const noDelay = () => (client.stream as { setNoDelay?: (v: boolean) => void } | undefined)?.setNoDelay?.(true);
  noDelay();
  client.on('connect', noDelay);
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
    };
    const fail = (err: Error) => {
      cleanup();
      client.end(true);
      reject(err);
    };
    const onConnect = () => {
      cleanup();
      // Errors after connecting (e.g. a refused reconnect) are reported via 'error'
      // listeners the caller may add; never let them crash the process.
      client.on('error', () => {});
      resolve(client);
    };
    const onError = (err: Error) => fail(new Error(`MQTT connect to ${opts.url} as ${opts.username} failed: ${err.message}`));
    const timer = setTimeout(() => fail(new Error(`MQTT connect to ${opts.url} as ${opts.username} timed out after ${timeoutMs} ms`)), timeoutMs);
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

export function endMqtt(client: MqttClient, force = false): Promise<void> {
  return new Promise((resolve) => client.end(force, {}, () => resolve()));
}
