import { createServer, createConnection } from 'node:net';

/** A TCP port on `host` that was free a moment ago (bind port 0, read it, release it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not allocate a port'))));
    });
  });
}

/** True when nothing accepts connections on host:port. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host });
    const done = (free: boolean) => { sock.destroy(); resolve(free); };
    sock.once('connect', () => done(false));
    sock.once('error', () => done(true));
    sock.setTimeout(1000, () => done(true));
  });
}

/** Waits until host:port no longer accepts connections; throws after timeoutMs. */
export async function waitPortFree(port: number, host = '127.0.0.1', timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await portIsFree(port, host))) {
    if (Date.now() > until) throw new Error(`port ${host}:${port} still in use after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
