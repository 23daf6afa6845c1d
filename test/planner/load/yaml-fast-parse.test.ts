import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as yaml from 'yaml';
import { fastParse } from '../../../planner/load/yaml/fast-parse.js';
import { fromYamlDocument } from '../../../planner/load/yaml/from-yaml.js';
import type { YNode } from '../../../planner/load/yaml/tree.js';
import { conformanceDir, filesUnder } from '../../support/paths.js';

// The fast parser must give exactly what the `yaml` package gives (values, node kinds, start
// offsets, scalar ends) whenever it does not bail out; and it must handle real templates.

/** A node tree flattened for comparison; block collection/scalar ends are not compared. */
function flat(n: YNode | null, out: unknown[] = []): unknown[] {
  if (!n) return out;
  const absent = n.kind === 'scalar' && n.start === n.end;
  const blockEnd = (n.kind === 'scalar' && (n.style === 'literal' || n.style === 'folded')) || (n.kind !== 'scalar' && !n.flow);
  out.push([n.kind, absent ? -1 : n.start, n.kind === 'scalar' ? n.value : null, blockEnd || absent ? -1 : n.end]);
  if (n.kind === 'map') for (const p of n.pairs) flat(p.value, flat(p.key, out));
  if (n.kind === 'seq') for (const i of n.items) flat(i, out);
  return out;
}

/** 'bail', or 'same' when both parsers agree; throws on a disagreement. */
function compare(text: string): 'bail' | 'same' {
  const fast = fastParse(text);
  if (!fast) return 'bail';
  const doc = yaml.parseDocument(text, { version: '1.2', uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) throw new Error(`fast parser accepted what yaml rejects (${doc.errors[0]!.message}): ${JSON.stringify(text)}`);
  const slow = fromYamlDocument(doc, text, 1e7, yaml).tree;
  const a = flat(fast.root);
  const b = flat(slow.root);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`trees differ for ${JSON.stringify(text)}:\nfast ${JSON.stringify(a)}\nyaml ${JSON.stringify(b)}`);
  if (fast.duplicates.length !== slow.duplicates.length) throw new Error(`duplicate keys differ for ${JSON.stringify(text)}`);
  return 'same';
}

const corpus = filesUnder(`${conformanceDir}/heat`, ['.yaml', '.yml', '.json', '.template']);

test('fast parser: the Heat corpus parses fast and equal to yaml', (t) => {
  const bailed = corpus.filter((f) => compare(readFileSync(f, 'utf8')) === 'bail').map((f) => relative(conformanceDir, f));
  // This template uses implicit single-pair mappings inside a flow sequence ([get_attr: …]).
  t.deepEqual(bailed, ['heat/heat-tempest-plugin/test_server_signal.yaml']);
  const json = filesUnder(`${conformanceDir}/api-samples`, ['.json']);
  t.true(json.length > 50);
  for (const f of json) t.not(compare(readFileSync(f, 'utf8')), 'bail', f);
});

const words = ['a', 'foo', 'x y', '12', '-7', '3.0', '1e3', 'true', 'False', 'null', '~', 'a-b', 'a:b', 'a#b', 'http://x/y', '-x', '?x', '0o7', '0x1F', '.5', '+3', '$x', 'é', 'x,y', 'x[0]', '.inf', '-.NaN', '007'];
const word = fc.constantFrom(...words);
const keyWord = word.map((w) => w.replace(/[:#]/g, '') || 'k');
const quoted = fc.oneof(word.map((w) => `"${w}"`), word.map((w) => `'${w}'`), fc.constantFrom('"a\\tb\\u00e9\\"c"', "'it''s'", '"\\x41\\U0001F600"', '""', "''"));
const flowValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    word,
    quoted,
    fc.array(tie('v'), { maxLength: 3 }).chain((xs) => fc.constantFrom(`[${xs.join(', ')}]`, `[${xs.join(',')}${xs.length ? ',' : ''}]`)),
    fc.array(fc.tuple(keyWord, tie('v')), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  ),
})).v;

const blockScalar = fc.tuple(fc.constantFrom('|', '>', '|-', '>-'), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof(word, fc.constant(''))), { minLength: 1, maxLength: 4 }));

/** Renders a block structure at indentation `ind` (lines appended to `out`). */
type Block = { kind: 'map'; entries: [string, Block][] } | { kind: 'seq'; items: Block[] } | { kind: 'flow'; text: string } | { kind: 'block'; header: string; lines: [number, string][] } | { kind: 'plain2'; a: string; b: string };
const block: fc.Arbitrary<Block> = fc.letrec<{ b: Block }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small' },
    flowValue.map((text) => ({ kind: 'flow' as const, text })),
    blockScalar.map(([header, lines]) => ({ kind: 'block' as const, header, lines })),
    fc.tuple(word, word).map(([a, b]) => ({ kind: 'plain2' as const, a: a.replace(/[:#]/g, 'w'), b: b.replace(/[:#\-?]/g, 'w') })),
    fc.array(fc.tuple(keyWord, tie('b')), { minLength: 1, maxLength: 3 }).map((entries) => ({ kind: 'map' as const, entries })),
    fc.array(tie('b'), { minLength: 1, maxLength: 3 }).map((items) => ({ kind: 'seq' as const, items })),
  ),
})).b;

function render(b: Block, ind: number, prefix: string, out: string[], step: number): void {
  const pad = ' '.repeat(ind);
  switch (b.kind) {
    case 'flow':
      out.push(`${prefix} ${b.text}`);
      return;
    case 'plain2':
      out.push(`${prefix} ${b.a}`, `${pad}${' '.repeat(step)}${b.b}`);
      return;
    case 'block':
      out.push(`${prefix} ${b.header}`);
      for (const [extra, text] of b.lines) out.push(text ? `${pad}${' '.repeat(step + extra)}${text}` : '');
      return;
    case 'map':
      out.push(prefix);
      for (const [k, v] of b.entries) render(v, ind + step, `${pad}${' '.repeat(step)}${k}:`, out, step);
      return;
    case 'seq':
      out.push(prefix);
      for (const v of b.items) render(v, ind + step, `${pad}${' '.repeat(step)}-`, out, step);
  }
}

test('fast parser: generated documents give the same tree as yaml', (t) => {
  let same = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(keyWord, block), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (entries, step, finalNewline) => {
      const out: string[] = [];
      const seen = new Set<string>();
      for (const [k, b] of entries) {
        if (seen.has(k)) continue;
        seen.add(k);
        render(b, 0, `${k}:`, out, step);
      }
      if (compare(out.join('\n') + (finalNewline ? '\n' : '')) === 'same') same++;
    }),
    { seed: 4242, numRuns: 3000 },
  );
  t.true(same > 1500, `the fast parser handled ${same} of 3000`);
});

test('fast parser: mutated corpus documents give the same tree as yaml (or bail out)', (t) => {
  const texts = corpus.map((f) => readFileSync(f, 'utf8'));
  const snippets = ['{', '}', '[', ']', ':', ': ', '- ', '-', '#', ' #x', '"', "'", '|', '>', '|-', '\n', ' ', '  ', 'a: b', '? ', '&a ', '*a', ',', '"\\n"', "'it''s'", '0x1F', '~', ':x', '{}', '[]', '---\n', '\t'];
  let same = 0;
  fc.assert(
    fc.property(fc.nat(), fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.nat(), fc.nat(), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 3 }), (pick, ops) => {
      const lines = texts[pick % texts.length]!.split('\n');
      for (const [op, a, b, snip] of ops) {
        const i = a % lines.length;
        const j = b % lines.length;
        if (op === 0) lines.splice(i, 1);
        else if (op === 1) lines.splice(i, 0, lines[j]!);
        else if (op === 2) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        else if (op === 3) lines[i] = ` ${lines[i]}`;
        else if (op === 4) lines[i] = lines[i]!.replace(/^ {1,2}/, '');
        else lines[i] = lines[i]!.slice(0, b % (lines[i]!.length + 1)) + snip + lines[i]!.slice(b % (lines[i]!.length + 1));
        if (!lines.length) lines.push('');
      }
      if (compare(lines.join('\n')) === 'same') same++;
    }),
    { seed: 777, numRuns: 2000 },
  );
  t.true(same > 500);
});
