import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

export const cliPath = join(projectRoot, 'dist/cmd/dbstack.js');

/** Runs the real CLI in a child process, as a user would. */
export function dbstack(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
