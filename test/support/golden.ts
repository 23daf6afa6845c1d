import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { projectRoot } from './paths.js';

/**
 * Compares `actual` with the golden file `test/golden/<name>`. Set UPDATE_GOLDEN=1 to rewrite
 * the files (then review the diff before committing); a missing file fails the test.
 */
export function matchGolden(t: ExecutionContext, name: string, actual: string): void {
  const file = join(projectRoot, 'test/golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    t.pass();
    return;
  }
  if (!existsSync(file)) {
    t.fail(`golden file test/golden/${name} is missing; run with UPDATE_GOLDEN=1 and review it`);
    return;
  }
  t.is(actual, readFileSync(file, 'utf8'), `differs from test/golden/${name}`);
}
