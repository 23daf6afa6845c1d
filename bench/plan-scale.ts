/**
 * bench/plan-scale: a no-op plan and an all-create plan at 1k, 10k and 20k resources, the state
 * pre-filled through the store API (as an apply would leave it). Each measurement runs in a
 * fresh process: wall time (load + state read + plan) and peak RSS, and the 20k/10k ratio.
 * Target (issue 3): 10k no-op plan ≤ 1 s and ≤ 300 MB; 20k ≤ 2.2 × 10k.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObject, isUnknown, type Value } from '../core/value.js';
import { loadStackFiles } from '../planner/load/index.js';
import { makePlan } from '../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../planner/plan/prior.js';
import { summaryLine } from '../planner/plan/summary.js';
import { StateStore } from '../state/index.js';
import { generateHcl } from './generate.js';

const KEY = Buffer.alloc(32, 7);

/** Concrete stand-ins for values a provider would have filled in. */
function settle(v: Value, path: string): Value {
  if (isUnknown(v)) return `${path}-known`;
  if (Array.isArray(v)) return v.map((x, i) => settle(x, `${path}.${i}`));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, settle(x, k)]));
  return v;
}

/** Fills a state so that planning `file` again is a no-op. */
function prefill(file: string, statePath: string): void {
  const loaded = loadStackFiles([file]);
  const store = StateStore.open(statePath, { key: KEY });
  const { plan } = makePlan(loaded.document, undefined, { stack: 'bench' });
  const run = store.beginRun('bench', { command: 'bench prefill', lineage: plan.lineage, expectedSerial: 0 });
  const ids = new Map<string, string>();
  for (const c of plan.resourceChanges) ids.set(c.address, `id-${c.address}`);
  for (const c of plan.resourceChanges) {
    // References to other resources' ids become those ids, as after a real apply.
    const config = settle(c.config ?? null, 'x') as Record<string, Value>;
    if (typeof config.configuration === 'string') config.configuration = `id-${c.dependencies[0]}`;
    const attributes = { ...(settle(c.after, 'x') as Record<string, Value>), ...config, id: ids.get(c.address)! };
    run.commitResource({ address: c.address, provider: 'local', providerId: ids.get(c.address)!, inputs: config, attributes, dependencies: c.dependencies, sensitive: { inputs: [['users', '*', 'password']], attributes: [['users', '*', 'password']] } });
  }
  run.finish('applied');
  store.close();
}

function child(file: string, statePath: string): void {
  const t0 = process.hrtime.bigint();
  const loaded = loadStackFiles([file]);
  const store = StateStore.open(statePath, { key: KEY });
  const prior = priorFromSnapshot(store.readState('bench'));
  const { plan } = makePlan(loaded.document, prior, { stack: 'bench' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  store.close();
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, summary: summaryLine(plan) }));
}

function measure(self: string, file: string, state: string): { ms: number; rssMb: number; summary: string } {
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [self, '--child', file, state], { encoding: 'utf8', maxBuffer: 1 << 26 })));
  return runs.sort((a, b) => a.ms - b.ms)[0];
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-plan-bench-'));
  const self = fileURLToPath(import.meta.url);
  console.log('bench/plan-scale: load + read state + plan, best of 3 fresh processes');
  console.log('resources  kind      wall(ms)  peakRSS(MB)  plan');
  const noop = new Map<number, number>();
  for (const n of [1000, 10000, 20000]) {
    const file = join(dir, `stack-${n}.hcl`);
    writeFileSync(file, generateHcl(n));
    const empty = join(dir, `empty-${n}.db`);
    const full = join(dir, `full-${n}.db`);
    StateStore.open(empty, { key: KEY }).close();
    prefill(file, full);
    for (const [kind, state] of [['create', empty], ['no-op', full]] as const) {
      const m = measure(self, file, state);
      if (kind === 'no-op') noop.set(n, m.ms);
      console.log(`${String(n).padStart(9)}  ${kind.padEnd(8)} ${m.ms.toFixed(0).padStart(9)}  ${m.rssMb.toFixed(0).padStart(11)}  ${m.summary}`);
    }
  }
  console.log(`no-op 20k/10k ratio: ${(noop.get(20000)! / noop.get(10000)!).toFixed(2)} (target ≤ 2.2)`);
  console.log('target: 10k no-op plan ≤ 1000 ms and ≤ 300 MB');
}

if (process.argv[2] === '--child') child(process.argv[3]!, process.argv[4]!);
else main();
