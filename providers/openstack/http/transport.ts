/**
 * The one place HTTP requests leave dbstack for an OpenStack cloud: got with keep-alive
 * agents, the cloud's TLS settings, retries with backoff, and a count of every request sent
 * (Keystone's included).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import got, { RequestError, type Got, type Method } from 'got';
import { connectionError, type RawResponse, type RequestContext } from './errors.js';
import { backoffMs, MAX_TRIES, retryableError, retryableStatus, sleep } from './retry.js';

export interface TlsOptions {
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  insecure?: boolean | undefined;
}

export interface SendOptions {
  headers?: Record<string, string>;
  json?: unknown;
  body?: Buffer | string;
}

export class Transport {
  /** Every HTTP request sent, retries included. */
  requestCount = 0;
  private readonly client: Got;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(tls: TlsOptions = {}, private readonly maxTries = MAX_TRIES) {
    // One pool of sockets per session: the applier runs many requests at once.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    };
    this.client = got.extend({
      agent: this.agents,
      https: {
        rejectUnauthorized: !tls.insecure,
        ...(tls.cacert ? { certificateAuthority: readFileSync(tls.cacert) } : {}),
        ...(tls.cert ? { certificate: readFileSync(tls.cert) } : {}),
        ...(tls.key ? { key: readFileSync(tls.key) } : {}),
      },
      // Our own loop below does retries and status handling, so got does neither.
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      decompress: true,
      responseType: 'buffer',
      timeout: { connect: 15_000, response: 180_000 },
      headers: { 'user-agent': 'dbstack (got)' },
    });
  }

  async send(ctx: RequestContext, opts: SendOptions = {}): Promise<RawResponse> {
    const method = ctx.method.toUpperCase();
    for (let attempt = 0; ; attempt++) {
      this.requestCount++;
      let res: RawResponse;
      try {
        const r = await this.client(ctx.url, {
          method: method as Method,
          headers: { accept: 'application/json', ...opts.headers },
          ...(opts.json !== undefined ? { json: opts.json } : {}),
          ...(opts.body !== undefined ? { body: opts.body } : {}),
        });
        res = { status: r.statusCode, headers: r.headers, body: r.rawBody };
      } catch (e) {
        const code = e instanceof RequestError ? e.code : (e as NodeJS.ErrnoException).code;
        if (attempt + 1 < this.maxTries && retryableError(method, code)) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw connectionError(ctx, code, (e as Error).message, attempt + 1);
      }
      if (attempt + 1 < this.maxTries && retryableStatus(method, res.status)) {
        const ra = res.headers['retry-after'];
        await sleep(backoffMs(attempt, typeof ra === 'string' ? ra : undefined));
        continue;
      }
      return res;
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
