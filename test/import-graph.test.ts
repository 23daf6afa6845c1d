import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { filesUnder, projectRoot } from './support/paths.js';

/**
 * The layers, bottom to top, as the top-level folders each folder may import (besides itself).
 * `core/` holds the types every layer shares; `state/` sits below `planner/` (a plan is made
 * against a state snapshot, planner/plan/prior.ts), and never imports it; `guest/` runs
 * inside the database VM, so it stands on `core/` alone; `messaging/` (the control plane's MQTT
 * brokers, credentials and ACLs) speaks the guest protocol; the CLI is on top; tests and
 * benchmarks may use anything. A new top-level folder needs a row here.
 */
const LAYERS: Record<string, readonly string[]> = {
  core: [],
  schemas: ['core'],
  state: ['core', 'schemas'],
  planner: ['core', 'schemas', 'state'],
  guest: ['core'],
  messaging: ['guest'],
  providers: ['core', 'schemas', 'state', 'planner', 'guest', 'messaging'],
  applier: ['core', 'schemas', 'state', 'planner', 'guest', 'messaging', 'providers'],
  cmd: ['core', 'schemas', 'state', 'planner', 'guest', 'messaging', 'providers', 'applier'],
  bench: ['core', 'schemas', 'state', 'planner', 'guest', 'messaging', 'providers', 'applier', 'cmd', 'test'],
  test: ['core', 'schemas', 'state', 'planner', 'guest', 'messaging', 'providers', 'applier', 'cmd', 'bench'],
};

interface Edge {
  from: string;
  to: string;
}

/** Relative module specifiers of one source (static, `export … from`, `import type`, `import('…')`), as TypeScript reads them: comments and strings are not imports. */
function relativeSpecifiers(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** The file a specifier names: `x.js` is `x.ts` (or the generated `x.js` typed by `x.d.ts`). */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const candidates = spec.endsWith('.js') ? [base.slice(0, -3) + '.ts', base.slice(0, -3) + '.d.ts'] : [base];
  return candidates.find((c) => existsSync(c));
}

const folderOf = (path: string): string => path.split('/')[0]!;
const rel = (abs: string): string => relative(projectRoot, abs).split('\\').join('/');

function scan(): { folders: string[]; files: string[]; edges: Edge[]; unresolved: string[] } {
  const tsconfig = JSON.parse(readFileSync(join(projectRoot, 'tsconfig.json'), 'utf8')) as { include: string[] };
  const folders = tsconfig.include;
  const files = folders.flatMap((f) => filesUnder(join(projectRoot, f), ['.ts']));
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const file of files) {
    for (const spec of relativeSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, spec);
      if (target) edges.push({ from: rel(file), to: rel(target) });
      else unresolved.push(`${rel(file)} → ${spec}`);
    }
  }
  return { folders, files: files.map(rel), edges, unresolved };
}

const graph = scan();
const crossFolder = graph.edges.filter((e) => folderOf(e.from) !== folderOf(e.to));

test('the scan reads every source folder and finds their imports', (t) => {
  t.deepEqual([...graph.folders].sort(), Object.keys(LAYERS).sort(), 'tsconfig include and the layer table name the same folders');
  for (const folder of graph.folders) t.true(graph.files.some((f) => folderOf(f) === folder), `no .ts file found under ${folder}/`);
  // Tripwires: the project had 414 files, 1679 relative imports, 735 across folders when this was written.
  t.true(graph.files.length >= 300, `only ${graph.files.length} files scanned`);
  t.true(graph.edges.length >= 1200, `only ${graph.edges.length} imports found`);
  t.true(crossFolder.length >= 500, `only ${crossFolder.length} imports across folders found`);
  t.true(crossFolder.some((e) => e.from === 'planner/resolve/coerce.ts' && e.to === 'core/value.ts'), 'a known import (planner/resolve/coerce.ts → core/value.ts) was not found');
  t.deepEqual(graph.unresolved, [], 'every relative import names a file');
});

test('the extractor sees every import form and nothing in comments or strings', (t) => {
  const source = [
    "// import a from './commented.js';",
    "import x, { y } from './static.js';",
    "import type { T } from '../type-only.js';",
    "export { z } from './re-export.js';",
    "import {\n  a,\n} from './multi-line.js';",
    "const s = \"import q from './in-string.js'\";",
    "const m = await import('./dynamic.js');",
    "type U = import('./type-query.js').U;",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  t.deepEqual(relativeSpecifiers(source), ['./static.js', '../type-only.js', './re-export.js', './multi-line.js', './dynamic.js', './type-query.js']);
});

test('no import runs up the layers', (t) => {
  const violations = crossFolder
    .filter((e) => !(LAYERS[folderOf(e.from)] ?? []).includes(folderOf(e.to)))
    .map((e) => `${e.from} → ${e.to}`);
  t.deepEqual(violations, [], `imports against the layers (see LAYERS in test/import-graph.test.ts):\n${violations.join('\n')}`);
});

test('no import circle spans top-level folders', (t) => {
  // One example import per folder pair, and the folders each folder imports.
  const example = new Map<string, Edge>();
  for (const e of crossFolder) example.set(`${folderOf(e.from)}→${folderOf(e.to)}`, example.get(`${folderOf(e.from)}→${folderOf(e.to)}`) ?? e);
  const next = new Map<string, string[]>();
  for (const key of example.keys()) {
    const [a, b] = key.split('→') as [string, string];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  /** A shortest folder path from `start` to `goal`, or undefined. */
  const path = (start: string, goal: string): string[] | undefined => {
    const from = new Map<string, string>([[start, '']]);
    const queue = [start];
    while (queue.length) {
      const at = queue.shift()!;
      for (const n of next.get(at) ?? []) {
        if (from.has(n)) continue;
        from.set(n, at);
        if (n === goal) {
          const out = [n];
          for (let p = at; p !== ''; p = from.get(p)!) out.unshift(p);
          return out;
        }
        queue.push(n);
      }
    }
    return undefined;
  };
  const circles = new Map<string, string>();
  for (const key of example.keys()) {
    const [a, b] = key.split('→') as [string, string];
    const back = path(b, a);
    if (!back) continue;
    const folders = [a, ...back];
    // The same circle is found from each of its folders: report it once.
    const ring = folders.slice(0, -1);
    const first = ring.indexOf([...ring].sort()[0]!);
    const id = [...ring.slice(first), ...ring.slice(0, first)].join(' ');
    if (circles.has(id)) continue;
    const via = folders.slice(0, -1).map((f, i) => {
      const e = example.get(`${f}→${folders[i + 1]}`)!;
      return `${e.from} → ${e.to}`;
    });
    circles.set(id, `${folders.join(' → ')} (${via.join('; ')})`);
  }
  t.deepEqual([...circles.values()], [], `import circles across folders:\n${[...circles.values()].join('\n')}`);
});
