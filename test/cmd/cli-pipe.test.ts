import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cliPath } from '../support/cli.js';
import { writeTemp } from '../support/tmp.js';

/** A stack whose `graph` output (about 1 MB) is far more than a pipe holds (64 KiB). */
function bigStack(): string {
  const pad = 'x'.repeat(400);
  const out: string[] = [];
  for (let i = 0; i < 1000; i++) {
    out.push(`resource "database_instance" "db_${pad}_${i}" {\n  name = "db${i}"\n  datastore = { type = "redis", version = "7" }\n  flavor = "db.small"\n  volume = { size = 1 }\n}\n`);
  }
  return out.join('');
}

/**
 * Runs the CLI with stdout on a real pipe and closes the reading end after the first chunk,
 * as `dbstack graph | head -1` does.
 */
function runAndCloseEarly(args: string[], cwd: string): Promise<{ code: number | null; signal: string | null; stderr: string; firstChunk: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let firstChunk = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      firstChunk = d.toString();
      child.stdout.destroy();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, firstChunk });
    });
  });
}

test('output into a pipe closed early (`dbstack graph | head -1`) ends quietly: exit 0, nothing on stderr', async (t) => {
  const { dir } = writeTemp({ 'big.hcl': bigStack() });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runAndCloseEarly(['graph', 'big.hcl'], dir);
  t.regex(r.firstChunk, /^flowchart/);
  t.is(r.signal, null);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
});

test('dot output into a pipe closed early ends quietly too', async (t) => {
  const { dir } = writeTemp({ 'big.hcl': bigStack() });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runAndCloseEarly(['graph', '--format', 'dot', 'big.hcl'], dir);
  t.regex(r.firstChunk, /digraph/);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
});
