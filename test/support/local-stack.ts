/**
 * A stack applied on its own local cloud in a temp directory, driven through the real CLI, and
 * admin access to its engines for tests that change things behind dbstack's back.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createConnection } from 'node:net';
import { dbstackAsync } from './cli.js';
import { projectRoot } from './paths.js';
import { removeLocalCloudDir } from './remove-local-cloud.js';

export const FAST_ENV = { DBSTACK_TEST_FAST: '1' };

export class LocalStack {
  readonly dir: string;
  readonly file: string;

  constructor(example: string, private readonly env: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'dbstack-e2e-'));
    // Engines run as their own system users (postgres, mysql, redis): they must reach the volumes.
    chmodSync(this.dir, 0o711);
    this.file = join(this.dir, basename(example));
    copyFileSync(join(projectRoot, 'examples', example), this.file);
  }

  run(...args: string[]) {
    return dbstackAsync(args, { cwd: this.dir, env: { ...FAST_ENV, ...this.env } });
  }

  async output(name: string): Promise<string> {
    const r = await this.run('output', '-raw', name);
    if (r.code !== 0) throw new Error(`dbstack output ${name} failed: ${r.stderr}`);
    return r.stdout;
  }

  edit(fn: (text: string) => string): void {
    writeFileSync(this.file, fn(readFileSync(this.file, 'utf8')));
  }

  /** The data directories of this stack's instances (the local cloud's volumes; as root, where their links lead). */
  dataDirs(): string[] {
    const vols = join(this.dir, '.dbstack/local/volumes');
    return existsSync(vols) ? readdirSync(vols).map((id) => join(realpathSync(join(vols, id)), 'data')) : [];
  }

  /** Stops the local cloud and removes the directory (also after a failed test). */
  async dispose(): Promise<void> {
    await this.run('local', 'down');
    removeLocalCloudDir(this.dir);
  }
}

/** True when nothing accepts connections on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
}

export { processesMentioning } from '../../guest/datastores/process.js';
