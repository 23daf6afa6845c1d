import { spawn, spawnSync } from 'node:child_process';
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

/** The CLI as a child process without blocking the test's event loop (for long applies). */
export function dbstackAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; /** Runs the CLI under this command, e.g. `setpriv --reuid=…`. */ prefix?: string[] } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [cmd, ...pre] = options.prefix?.length ? [...options.prefix, process.execPath] : [process.execPath];
    const child = spawn(cmd!, [...pre, cliPath, ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
