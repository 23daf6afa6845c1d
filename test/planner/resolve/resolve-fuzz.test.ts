import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadStackText } from '../../../planner/load/index.js';
import { resolveStack } from '../../../planner/resolve/resolve.js';
import { makePlan } from '../../../planner/plan/make-plan.js';
import { conformanceDir, filesUnder, projectRoot } from '../../support/paths.js';

// The CLI resolves (and plans) a document even when its loader reported errors, so that one
// run reports every error. This proves resolve and plan never throw on whatever a loader makes
// of broken input, and that every diagnostic they add is located or names a resource.
const files = [
  ...filesUnder(`${conformanceDir}/terraform`, ['.tf']),
  ...filesUnder(`${conformanceDir}/heat`, ['.yaml', '.json']),
  ...filesUnder(`${projectRoot}/examples`, ['.hcl', '.yaml']),
];
const tokens = ['{', '}', '[', ']', '${', '%{', '"', '<<EOT\n', '\n', ':', '- ', '=', 'var.x', 'database_instance.a.b', 'count.index', '{get_attr: [x, y]}', 'null', '...', '*', 'for x in', '?', 'count = 2\n', 'for_each = {a = 1}\n'];

test('resolve and plan never throw on mutated real stack files (2,000 cases)', (t) => {
  let seed = 20261122;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  for (let i = 0; i < 2000; i++) {
    const k = rnd(files.length);
    let text = texts[k]!;
    for (let m = 0; m < 1 + rnd(3); m++) {
      const a = rnd(text.length + 1);
      const b = Math.min(text.length, a + rnd(20));
      const op = rnd(3);
      text = op === 0 ? text.slice(0, a) + text.slice(b) : op === 1 ? text.slice(0, a) + tokens[rnd(tokens.length)] + text.slice(a) : text.slice(0, a) + text.slice(b, b + rnd(30)) + text.slice(a);
    }
    const { document } = loadStackText(text, files[k]!);
    const config = resolveStack(document, { allowUndeclared: true });
    for (const d of config.diagnostics) {
      if (!d.range && !d.address) t.fail(`case ${i} (${files[k]}): unlocated diagnostic: ${d.summary}`);
    }
    if (i % 10 === 0) makePlan(document, undefined, { stack: 'fuzz' });
  }
  t.pass();
});
