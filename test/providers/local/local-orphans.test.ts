/**
 * Issue 9, item 8: a supervisor killed with SIGKILL leaves its agents and engines running;
 * `local status` lists them as orphans and `local down` stops them (by the recorded process
 * groups, verified to still be those instances' agents).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { processesMentioning } from '../../../guest/datastores/process.js';
import { LocalStack, portIsFree } from '../../support/local-stack.js';
import { waitUntil } from '../../support/local-cloud.js';

test('local down after the supervisor was killed stops its orphaned agents and engines; local status shows them', async (t) => {
  const s = new LocalStack('redis.hcl');
  t.teardown(() => s.dispose());
  const applied = await s.run('apply', s.file, '-auto-approve');
  t.is(applied.code, 0, applied.stdout + applied.stderr);
  const port = Number(await s.output('cache_port'));
  const cloud = join(s.dir, '.dbstack/local');
  const supervisorPid = Number(JSON.parse(readFileSync(join(cloud, 'supervisor.json'), 'utf8')).pid);
  process.kill(supervisorPid, 'SIGKILL');
  await waitUntil(() => processesMentioning(`${cloud}/`).length > 0 && !processesMentioning('supervisor/main.js').includes(supervisorPid), 10_000, 'the supervisor gone, its agents still running');
  t.false(await portIsFree(port), 'the engine still runs without its supervisor');

  const status = await s.run('local', 'status');
  t.is(status.code, 0, status.stderr);
  t.regex(status.stdout, /supervisor is not running, but 1 instance\(s\) still run without it: \S+ \(process group \d+\)/);
  const json = JSON.parse((await s.run('local', 'status', '--json')).stdout) as { running: boolean; orphans: unknown[] };
  t.false(json.running);
  t.is(json.orphans.length, 1);

  const down = await s.run('local', 'down');
  t.is(down.code, 0, down.stderr);
  t.regex(down.stdout, /supervisor was not running; stopped 1 instance\(s\) it had left running/);
  await waitUntil(async () => processesMentioning(join(cloud, 'instances')).length === 0 && (await portIsFree(port)), 30_000, 'agents and engines stopped');
  t.regex((await s.run('local', 'status')).stdout, /The local cloud is not running/);

  // the instance comes back with the cloud and is destroyed cleanly
  const destroyed = await s.run('destroy', s.file, '-auto-approve');
  t.is(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
});
