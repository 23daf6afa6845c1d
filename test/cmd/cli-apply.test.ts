/**
 * `apply` as a user drives it, on a stack that needs no cloud (random_password only): no
 * prompting without a terminal, the --json event stream, a saved plan applied exactly, a saved
 * plan refused once the state has moved on, and -detailed-exitcode after apply.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbstackAsync } from '../support/cli.js';
import { writeTemp } from '../support/tmp.js';

const STACK = (length: number) => `
resource "random_password" "p" {
  length  = ${length}
  special = false
}
output "p" {
  value     = random_password.p.result
  sensitive = true
}
`;

function stackDir(length = 16) {
  const { dir } = writeTemp({ 'stack.hcl': STACK(length) });
  const run = (...args: string[]) => dbstackAsync(args, { cwd: dir });
  return { dir, run };
}

test('without a terminal, apply refuses to ask and changes nothing', async (t) => {
  const { run } = stackDir();
  const r = await run('apply', 'stack.hcl');
  t.is(r.code, 1);
  t.regex(r.stderr, /apply needs a confirmation, and there is no terminal to ask on/);
  t.regex(r.stderr, /-auto-approve/);
  t.is((await run('state', 'list')).stdout.trim(), '');
});

test('--json is a stream of one JSON object per line, in Terraform\'s event vocabulary', async (t) => {
  const { run } = stackDir();
  const r = await run('apply', 'stack.hcl', '-auto-approve', '--json');
  t.is(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; address?: string; outputs?: Record<string, { sensitive: boolean; value: unknown }> });
  t.deepEqual(events.map((e) => e.type), ['planned_changes', 'apply_start', 'apply_complete', 'apply_summary']);
  t.is(events[1]!.address, 'random_password.p');
  t.deepEqual(events.at(-1)!.outputs, { p: { sensitive: true, value: null } }, 'sensitive outputs are not in the stream');
  const raw = (await run('output', '-raw', 'p')).stdout;
  t.regex(raw, /^[A-Za-z0-9]{16}$/);
  t.false(r.stdout.includes(raw), 'the password never appears in the event stream');
  t.is((await run('plan', 'stack.hcl', '-detailed-exitcode')).code, 0, 'nothing left to do');
});

test('a saved plan is applied exactly, and refused once the state has moved on', async (t) => {
  const { dir, run } = stackDir();
  t.is((await run('plan', 'stack.hcl', '-out', 'first.plan')).code, 0);
  t.is((await run('plan', 'stack.hcl', '-out', 'second.plan')).code, 0);
  // The files change after planning: the saved plan still applies what was planned.
  writeFileSync(join(dir, 'stack.hcl'), STACK(40));
  const applied = await run('apply', 'first.plan');
  t.is(applied.code, 0, applied.stderr);
  t.regex((await run('output', '-raw', 'p')).stdout, /^[A-Za-z0-9]{16}$/);
  const stale = await run('apply', 'second.plan');
  t.is(stale.code, 1);
  t.regex(stale.stderr, /changed since the plan was made/);
});
