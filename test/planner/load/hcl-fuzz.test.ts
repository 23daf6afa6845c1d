import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHclStack } from '../../../planner/load/hcl/document.js';
import { lex } from '../../../planner/load/hcl/lexer.js';
import { parseHcl, parseHclExpression, parseHclTemplate } from '../../../planner/load/hcl/parse.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import { conformanceDir, filesUnder } from '../../support/paths.js';

/**
 * Robustness: broken input of every kind — mutated corpus files and generated token soup —
 * never makes the HCL parser or loader throw, and every diagnostic points inside the text.
 * Deterministic: a fixed seed for both the mutations and fast-check.
 */

const corpus = filesUnder(join(conformanceDir, 'terraform'), ['.tf', '.hcl']).map((f) => readFileSync(f, 'utf8'));
const extra = [
  'variable "x" {\n  type = list(object({ a = string }))\n  default = [{ a = "b" }]\n  validation {\n    condition = length(var.x) > 0\n    error_message = "x"\n  }\n}\n',
  'locals {\n  m = { for k, v in var.m : k => v... if v != null }\n  t = "%{ for x in var.l ~}${x}%{ endfor }"\n  h = <<-EOT\n    a ${b}\n  EOT\n}\n',
  'output "o" {\n  value = a[*].b.c[0] + x.*.y[1] * -z ? "${1}" : f(g...)\n}\n',
];
const seeds = [...corpus, ...extra];

const TOKENS = ['{', '}', '[', ']', '(', ')', '${', '%{', '~}', '"', '<<EOT\n', '<<-EOT\n', 'EOT\n', '\n', '\r\n', '=', ',', '.', '*', '...', '=>', '?', ':', '/*', '*/', '#', '//', '\\', '$${', '%%{', 'for ', ' in ', 'if ', '%{ endif }', '%{ endfor }', 'é', '\uD83D', '😀', '\u0000', '\t', '-', '!', '::', '0.1.2', '1e', '<<', '"${"'];

/** mulberry32: a small seeded PRNG, so every run mutates the same way. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, rand: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const pos = () => Math.floor(rand() * (s.length + 1));
    const a = pos();
    const b = Math.min(s.length, a + Math.floor(rand() * 40));
    switch (Math.floor(rand() * 4)) {
      case 0:
        s = s.slice(0, a) + s.slice(b);
        break;
      case 1:
        s = s.slice(0, b) + s.slice(a, b) + s.slice(b);
        break;
      case 2: {
        const c = pos();
        const d = Math.min(s.length, c + Math.floor(rand() * 40));
        if (b <= c) s = s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
        break;
      }
      default:
        s = s.slice(0, a) + TOKENS[Math.floor(rand() * TOKENS.length)]! + s.slice(a);
    }
  }
  return s;
}

/** Every diagnostic has a range in `file`, ordered, with lines and columns that exist in `text`. */
function checkRanges(t: ExecutionContext, text: string, file: string, diags: Diagnostic[], what: string): boolean {
  const lines = text.split('\n').map((l) => l.length);
  for (const d of diags) {
    const r = d.range;
    const ok =
      r !== undefined &&
      r.file === file &&
      r.line >= 1 &&
      r.endLine <= lines.length &&
      (r.line < r.endLine || (r.line === r.endLine && r.col <= r.endCol)) &&
      r.col >= 1 &&
      r.col <= lines[r.line - 1]! + 1 &&
      r.endCol >= 1 &&
      r.endCol <= lines[r.endLine - 1]! + 1;
    if (!ok) {
      t.fail(`${what}: diagnostic "${d.summary}" has range ${JSON.stringify(r)} outside the text ${JSON.stringify(text.slice(0, 300))}`);
      return false;
    }
  }
  return true;
}

/** The token stream ends with EOF at the end of the text, fits its arrays, and moves forward. */
function checkTokens(t: ExecutionContext, text: string): boolean {
  for (const mode of ['config', 'template'] as const) {
    const s = lex(text, mode);
    let ok = s.n <= s.type.length && s.type[s.n - 1] === 0 && s.start[s.n - 1] === text.length;
    for (let k = 0; ok && k < s.n; k++) ok = s.start[k]! <= s.end[k]! && (k === 0 || s.start[k]! >= s.start[k - 1]!);
    if (!ok) {
      t.fail(`broken ${mode} token stream for ${JSON.stringify(text.slice(0, 300))}`);
      return false;
    }
  }
  return true;
}

/** Runs every entry point on `text`; false (after failing the test) on a throw or a bad range. */
function exercise(t: ExecutionContext, text: string): boolean {
  const file = 'fuzz.tf';
  try {
    if (!checkTokens(t, text)) return false;
    const parsed = parseHcl(text, file);
    const loaded = loadHclStack(text, file);
    const tpl = parseHclTemplate(text, file, { line: 1, col: 1 });
    const ex = parseHclExpression(text, file, { line: 1, col: 1 });
    return (
      checkRanges(t, text, file, parsed.diagnostics, 'parseHcl') &&
      checkRanges(t, text, file, loaded.diagnostics, 'loadHclStack') &&
      checkRanges(t, text, file, tpl.diagnostics, 'parseHclTemplate') &&
      checkRanges(t, text, file, ex.diagnostics, 'parseHclExpression')
    );
  } catch (e) {
    t.fail(`threw on ${JSON.stringify(text.slice(0, 300))}: ${(e as Error).stack}`);
    return false;
  }
}

test('1,500 mutated corpus files: no throw, every diagnostic inside the file', (t) => {
  t.true(seeds.length > 3);
  const rand = rng(20240611);
  let broken = 0;
  for (let i = 0; i < 1500; i++) {
    const text = mutate(seeds[i % seeds.length]!, rand);
    if (!exercise(t, text)) return;
    if (parseHcl(text, 'fuzz.tf').diagnostics.length) broken++;
  }
  t.true(broken > 300, `only ${broken} of the mutants had errors: the mutations are too gentle`);
});

const piece = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.constantFrom('a', 'resource', '"x"', 'var.x', '1', '1.5', 'true', 'null', ' ', '  ', 'f(', 'x[0]', '-> ', '&&', '||', '==', '<=', '%', '+'),
  fc.string({ maxLength: 4 }),
);
const soup = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));

test('1,000 generated token soups: no throw, every diagnostic inside the text', (t) => {
  fc.assert(
    fc.property(soup, (text) => exercise(t, text)),
    { seed: 424242, numRuns: 1000 },
  );
  t.pass();
});

test('structured garbage: deep and long inputs stay diagnostics', (t) => {
  for (const text of ['"\n'.repeat(40) + '['.repeat(100), '"\r\n'.repeat(3000) + ','.repeat(5000), '{'.repeat(20000), '"${'.repeat(20000), '<<EOT\n'.repeat(2000), 'a = ' + '1 + '.repeat(20000) + '1\n', '#'.repeat(100000), '\n'.repeat(100000) + '}']) {
    if (!exercise(t, text)) return;
  }
  t.pass();
});
