import type { ExecutionContext } from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbstackAsync } from './cli.js';

/**
 * One wrong input given to the real CLI. The runner asserts what every such case must give:
 * exit code 1, a readable `error:` sentence, no stack trace, no hang, and the state directory
 * byte-for-byte as it was.
 */
export interface BadInputCase {
  name: string;
  /** Files written into the case's fresh directory before `setup` (relative names). */
  files?: Record<string, string | Buffer>;
  /** Prepares the directory further (a state to damage, a FIFO, …). */
  setup?: (dir: string) => void | Promise<void>;
  /** The CLI arguments; the case runs with the directory as its working directory. */
  args: string[] | ((dir: string) => string[]);
  /** What the error must say (matched against stderr, or stdout for --json cases). */
  says: RegExp;
  env?: Record<string, string>;
  /** The stream that carries the error: stderr by default; `-json` commands report on stdout. */
  stream?: 'stderr' | 'stdout';
  /** Runs the CLI under this command (e.g. `setpriv` to run as another user). */
  prefix?: string[];
}

/** Everything under `.dbstack/` (the state, its key, WAL and backup) by name and bytes; `-shm` is an index, not data. */
export function snapshotState(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) visit(p);
      else if (st.isFile() && !name.endsWith('-shm')) out.set(p, readFileSync(p).toString('base64'));
    }
  };
  visit(join(dir, '.dbstack'));
  return out;
}

export function caseDir(): string {
  return mkdtempSync(join(tmpdir(), 'dbstack-bad-'));
}

const STACK_TRACE = /\n\s+at [^\n]*[(:]\d+|internal error|Maximum call stack|RangeError|TypeError|ReferenceError|SyntaxError: Unexpected/;

export async function runBadInput(t: ExecutionContext, c: BadInputCase): Promise<void> {
  const dir = caseDir();
  for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
  await c.setup?.(dir);
  const before = snapshotState(dir);
  const args = typeof c.args === 'function' ? c.args(dir) : c.args;
  const r = await dbstackAsync(args, { cwd: dir, env: c.env, timeoutMs: 30_000, prefix: c.prefix });
  const text = c.stream === 'stdout' ? r.stdout : r.stderr;
  const all = `${r.stdout}\n${r.stderr}`;
  t.is(r.code, 1, `${c.name}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  t.regex(text, c.stream === 'stdout' ? /"error"|error:/ : /(^|\n)(error|Error): \S/, `${c.name}: no error sentence\n${all}`);
  t.regex(text, c.says, `${c.name}: wrong error\n${all}`);
  t.notRegex(all, STACK_TRACE, `${c.name}: stack trace or crash\n${all}`);
  t.deepEqual([...snapshotState(dir)], [...before], `${c.name}: the state changed`);
}

/** Registers one ava test per case, named `<group>: <case>`. */
export function badInputTests(test: (name: string, fn: (t: ExecutionContext) => Promise<void>) => void, group: string, cases: BadInputCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate bad-input case name: ${c.name}`);
    seen.add(c.name);
    test(`${group}: ${c.name}`, (t) => runBadInput(t, c));
  }
}
