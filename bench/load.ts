/**
 * bench/load: load + validate + graph for generated stacks of 1k and 10k resources in HCL and
 * HOT. Each measurement runs in its own process so peak RSS is that run's alone.
 * Target (issue 2): 10k resources in ≤ 0.5 s and ≤ 200 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackFiles } from '../planner/load/index.js';
import { resolveStack } from '../planner/resolve/resolve.js';
import { generateHcl, generateHot } from './generate.js';

type Lang = 'hcl' | 'hot';

function child(file: string): void {
  const t0 = process.hrtime.bigint();
  const loaded = loadStackFiles([file]);
  const t1 = process.hrtime.bigint();
  const config = resolveStack(loaded.document);
  const t2 = process.hrtime.bigint();
  const order = config.graph.topologicalOrder();
  const errors = [...loaded.diagnostics, ...config.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`generated stack has errors: ${errors[0]!.summary}`);
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  process.stdout.write(
    JSON.stringify({
      loadMs: ms(t0, t1),
      resolveMs: ms(t1, t2),
      totalMs: ms(t0, t2),
      nodes: order.length,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-'));
  const self = fileURLToPath(import.meta.url);
  console.log('bench/load: load + validate + graph (each run in a fresh process)');
  console.log('lang  resources  size(KB)  load(ms)  resolve(ms)  total(ms)  peakRSS(MB)');
  for (const lang of ['hcl', 'hot'] as Lang[]) {
    for (const n of [1000, 10000]) {
      const text = lang === 'hcl' ? generateHcl(n) : generateHot(n);
      const file = join(dir, `stack-${n}.${lang === 'hcl' ? 'hcl' : 'yaml'}`);
      writeFileSync(file, text);
      const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [self, '--child', file], { encoding: 'utf8' })));
      const best = runs.sort((a, b) => a.totalMs - b.totalMs)[0];
      console.log(
        `${lang.padEnd(5)} ${String(n).padStart(9)}  ${String(Math.round(text.length / 1024)).padStart(8)}  ${best.loadMs.toFixed(0).padStart(8)}  ${best.resolveMs.toFixed(0).padStart(11)}  ${best.totalMs.toFixed(0).padStart(9)}  ${best.peakRssMb.toFixed(0).padStart(11)}`,
      );
    }
  }
  console.log('target: 10k resources ≤ 500 ms and ≤ 200 MB (best of 3 runs)');
}

if (process.argv[2] === '--child') child(process.argv[3]!);
else main();
