/**
 * Embedded MQTT 3.1.1 broker (aedes) for one machine: TCP on 127.0.0.1, username/password
 * checked against a scrypt-hashed PasswordStore, topic ACL from credentials.ts.
 *
 * Denials: aedes closes the connection of a client whose PUBLISH is refused (MQTT-3.3.5-2
 * gives no negative ack in 3.1.1); a refused SUBSCRIBE is negated (SUBACK 0x80) and the
 * client stays connected.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import { mayPublish, maySubscribe } from './credentials.js';
import { PasswordStore } from './password-store.js';

export interface EmbeddedBrokerOptions {
  store: PasswordStore;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Called for every refused connect/publish/subscribe (for logging). */
  onDenied?: (what: 'connect' | 'publish' | 'subscribe', username: string | undefined, detail: string) => void;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly aedes: Aedes;
  close(): Promise<void>;
}

const usernames = new WeakMap<object, string>();

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1';
  const denied = opts.onDenied ?? (() => {});
  const aedes = await Aedes.createBroker({
    drainTimeout: 30_000,
    authenticate(client, username, password, done) {
      opts.store.verify(username, password).then(
        (ok) => {
          if (ok) {
            usernames.set(client, username!);
            done(null, true);
          } else {
            denied('connect', username, 'bad username or password');
            const err = new Error('bad username or password') as AuthenticateError;
            (err as { returnCode: number }).returnCode = 4; // BAD_USERNAME_OR_PASSWORD
            done(err, false);
          }
        },
        (e: unknown) => done(Object.assign(e instanceof Error ? e : new Error(String(e)), { returnCode: 3 }) as AuthenticateError, false),
      );
    },
    authorizePublish(client, packet, callback) {
      const username = client ? usernames.get(client) : undefined;
      if (client && mayPublish(username, packet.topic)) return callback(null);
      if (!client) return callback(null); // broker-internal publish
      denied('publish', username, packet.topic);
      callback(new Error(`publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe(client, sub, callback) {
      const username = usernames.get(client);
      if (maySubscribe(username, sub.topic)) return callback(null, sub);
      denied('subscribe', username, sub.topic);
      callback(null, null);
    },
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  // Clients misbehaving or being refused are normal; keep them out of the process error path.
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  const port = address.port;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `mqtt://${host}:${port}`,
    aedes,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await serverClosed;
      })();
      return closing;
    },
  };
}
