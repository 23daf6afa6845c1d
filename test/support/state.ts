import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ResourceWrite } from '../../state/index.js';

/** A fresh temporary directory and a state path inside it (under a directory not yet created). */
export function tempState(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-state-'));
  return { dir, path: join(dir, '.dbstack', 'state.db') };
}

export const LINEAGE = '0b5e9c1a-6d1f-4c7e-9a3b-2f4d8e6a1c90';
export const OTHER_LINEAGE = '7f3a2b1c-0d9e-4f8a-b7c6-5d4e3f2a1b0c';
export const KEY_HEX = 'a3'.repeat(16) + '5c'.repeat(16);

/** JSON-shaped copy (null-prototype objects become plain ones) for deepEqual. */
export function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** A stored value as a plain object, for reading fields in assertions. */
export function obj(v: unknown): Record<string, unknown> {
  return plain(v) as Record<string, unknown>;
}

export function instance(address: string, secret: string, extra: Partial<ResourceWrite> = {}): ResourceWrite {
  return {
    address,
    provider: 'local',
    providerId: `id-${address}`,
    inputs: { name: address, flavor: 'db.small', users: [{ name: 'app', password: `${secret}-user` }], root_password: `${secret}-root` },
    attributes: { host: '127.0.0.1', port: 5432, connection_uri: `postgresql://app:${secret}-uri@127.0.0.1:5432/app` },
    dependencies: [],
    status: 'ready',
    schemaVersion: 1,
    sensitive: { inputs: [['users', '*', 'password'], ['root_password']], attributes: [['connection_uri']] },
    ...extra,
  };
}

/** The raw bytes of the state file and its WAL (when present). */
export function rawFiles(path: string): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      out.push({ name: p, bytes: readFileSync(p) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // absent, or removed by a closing connection
    }
  }
  return out;
}

/** Every encoding of `secret` a careless store might leave: raw, hex (both cases), base64 at each alignment. */
export function encodingsOf(secret: string): string[] {
  const s = Buffer.from(secret, 'utf8');
  const out = [secret, s.toString('hex'), s.toString('hex').toUpperCase(), Buffer.from(secret, 'utf16le').toString('latin1')];
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k, 0x20), s]).toString('base64');
    // Characters influenced by the prefix or the end padding vary with context; keep the stable middle.
    const start = Math.ceil((k * 4) / 3) + 1;
    const end = b64.length - 4;
    out.push(b64.slice(start, end));
    out.push(b64.slice(start, end).replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const supportDir = dirname(fileURLToPath(import.meta.url));

export interface Helper {
  child: ChildProcess;
  /** Resolves with the next JSON message the helper prints that satisfies `pred`. */
  next(pred?: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Messages seen so far. */
  messages: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Spawns `node dist/test/support/<script>.js args…`; it prints one JSON object per line. */
export function spawnHelper(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Helper {
  const child = spawn(process.execPath, [join(supportDir, `${script}.js`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const messages: Record<string, unknown>[] = [];
  let cursor = 0; // messages before it were consumed by next()
  let wake: (() => void) | undefined;
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('close', (code, signal) => {
    exitInfo = { code, signal }; // after stdout is drained, unlike 'exit'
    wake?.();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    wake?.();
  });
  return {
    child,
    messages,
    exited,
    stderr: () => err,
    async next(pred = () => true, timeoutMs = 20000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < messages.length) {
          const m = messages[cursor++]!;
          if (pred(m)) return m;
        }
        if (exitInfo) throw new Error(`helper ${script} exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before the expected message; stderr: ${err}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`helper ${script} sent no expected message in ${timeoutMs} ms; stderr: ${err}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
      }
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** SIGKILLs the helper and waits until it is reaped (a zombie still answers kill(pid, 0)). */
export async function killHard(h: Helper): Promise<void> {
  h.child.kill('SIGKILL');
  await h.exited;
}
