/** The control plane: HTTP/JSON over a unix socket (0600), routes as in SUPERVISOR_ROUTES. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import { HttpError, type LocalSupervisor } from './supervisor.js';

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new HttpError(413, 'request body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve(undefined);
      try { resolve(JSON.parse(text)); } catch { reject(new HttpError(400, 'request body is not valid JSON')); }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface ControlServer {
  close(): Promise<void>;
}

export async function startControlServer(sup: LocalSupervisor, socket: string, onShutdown: () => void): Promise<ControlServer> {
  const route = async (req: IncomingMessage): Promise<[number, unknown]> => {
    const url = new URL(req.url ?? '/', 'http://supervisor');
    const parts = url.pathname.split('/').filter(Boolean); // ['v1', 'instances', id?]
    const m = req.method ?? 'GET';
    if (parts[0] !== 'v1') throw new HttpError(404, `no route ${m} ${url.pathname}`);
    if (parts.length === 2 && parts[1] === 'info' && m === 'GET') return [200, sup.info()];
    if (parts.length === 2 && parts[1] === 'shutdown' && m === 'POST') {
      setImmediate(onShutdown);
      return [202, { stopping: true, pid: process.pid }];
    }
    if (parts[1] === 'instances' && parts.length === 2) {
      if (m === 'GET') return [200, sup.list()];
      if (m === 'POST') return [201, await sup.create(await readBody(req))];
    }
    if (parts[1] === 'instances' && parts.length === 3) {
      const id = decodeURIComponent(parts[2]!);
      if (m === 'GET') return [200, sup.get(id)];
      if (m === 'PATCH') return [200, sup.update(id, await readBody(req))];
      if (m === 'DELETE') { await sup.delete(id); return [200, { deleted: id }]; }
    }
    throw new HttpError(404, `no route ${m} ${url.pathname}`);
  };

  const server: Server = createServer((req, res) => {
    route(req).then(
      ([status, body]) => send(res, status, body),
      (e: unknown) => {
        if (e instanceof HttpError) send(res, e.status, { error: e.message });
        else send(res, 500, { error: `local cloud supervisor failed: ${e instanceof Error ? e.message : String(e)}` });
      },
    );
  });
  rmSync(socket, { force: true }); // stale from a crashed supervisor; we hold the pid lock
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => { server.off('error', reject); resolve(); });
  });
  chmodSync(socket, 0o600);
  return {
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      rmSync(socket, { force: true });
    }),
  };
}
