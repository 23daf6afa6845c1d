import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { chownSync, readdirSync, lstatSync, readFileSync, existsSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The OS identity an engine runs as: its system user when dbstack is root, else the current user. */
export interface Identity { user: string; uid: number; gid: number; switched: boolean }

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Looks `name` up in /etc/passwd (when root); otherwise returns the current user. */
export function engineIdentity(name: 'postgres' | 'mysql' | 'redis', debPackage: string): Identity {
  if (!isRoot()) {
    return { user: process.env.USER ?? 'current', uid: process.getuid!(), gid: process.getgid!(), switched: false };
  }
  const lines = readFileSync('/etc/passwd', 'utf8').split('\n');
  // Without the engine's package (PostgreSQL from npm's embedded binaries) its user does not
  // exist: the engine still must not run as root, so it runs as `nobody`.
  const line = lines.find((l) => l.split(':')[0] === name) ?? lines.find((l) => l.split(':')[0] === 'nobody');
  if (!line) {
    throw new Error(`system user '${name}' does not exist; install the Debian package ${debPackage} (it creates the user)`);
  }
  const f = line.split(':');
  return { user: f[0]!, uid: Number(f[2]), gid: Number(f[3]), switched: true };
}

/** chown -R dir to the identity (only when switching users). */
export function chownTree(dir: string, id: Identity): void {
  if (!id.switched) return;
  const walk = (p: string) => {
    chownSync(p, id.uid, id.gid);
    const st = lstatSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
}

/** Throws a message naming the Debian package when a binary is missing. */
export function requireBinary(path: string, debPackage: string): string {
  if (!existsSync(path)) throw new Error(`${path} not found: install the Debian package ${debPackage}`);
  try { accessSync(path, constants.X_OK); } catch { throw new Error(`${path} is not executable (Debian package ${debPackage})`); }
  return path;
}

export function spawnAs(id: Identity, cmd: string, args: string[], opts: { cwd?: string; stdio?: StdioOptions; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const env = { ...(opts.env ?? process.env) };
  if (id.switched) { env.HOME = '/tmp'; env.USER = id.user; env.LOGNAME = id.user; }
  return spawn(cmd, args, {
    cwd: opts.cwd ?? '/',
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
    env,
    ...(id.switched ? { uid: id.uid, gid: id.gid } : {}),
  });
}

/** Runs a command to completion as the identity; rejects with its output when it fails. */
export function runAs(id: Identity, cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(id, cmd, args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}):\n${(stderr || stdout).trim().slice(-2000)}`));
    });
  });
}
