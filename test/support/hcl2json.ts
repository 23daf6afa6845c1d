import type { Expr, ObjectItem, TemplateExpr } from '../../planner/expr/ast.js';
import type { Block, Body } from '../../planner/model/body.js';
import type { Range } from '../../core/source.js';

/**
 * Renders our parse of an HCL file in the JSON shape of `hcl2-parser` (tmccombs/hcl2json
 * 0.3.x over hashicorp/hcl 2.10, compiled with GopherJS), so the two can be compared:
 *
 * - a block becomes `{type: {label1: {label2: [body, …]}}}`, a repeated block appends to the list;
 *   blocks are converted first, so an attribute of the same name overwrites them;
 * - a literal becomes its value, a unary operator on a literal its evaluated value;
 * - a string template concatenates its parts: literal text as itself, `%{if}`/`%{for}`
 *   directives re-printed, any other expression as `${<source text>}`;
 * - `"${x}"` renders as `x` does; tuples and objects recursively; anything else `${<source>}`.
 *
 * Where hcl2-parser is lossy we are lossy the same way, never the other way round: `$${` is
 * printed decoded (as `${`, indistinguishable from an interpolation — hcl2json's own flaw), and
 * numbers pass through a JS double as its JSON.parse does (integers > 2^53 lose digits).
 * Throws `Hcl2JsonError` where hcl2json itself fails (a block label path colliding with a list).
 */
export class Hcl2JsonError extends Error {}

export function toHcl2Json(body: Body, text: string): Record<string, unknown> {
  return new Renderer(text).body(body);
}

type Json = Record<string, unknown>;

class Renderer {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  body(b: Body): Json {
    const out: Json = {};
    for (const block of b.blocks) this.block(block, out);
    for (const a of b.attributes) out[a.name] = this.expr(a.value);
    return out;
  }

  private block(block: Block, into: Json): void {
    let out = into;
    let key = block.type;
    for (const label of block.labels) {
      if (Object.hasOwn(out, key)) {
        const next = out[key];
        if (typeof next !== 'object' || next === null || Array.isArray(next)) {
          throw new Hcl2JsonError(`Unable to convert Block to JSON: ${block.type}.${block.labels.join('.')}`);
        }
        out = next as Json;
      } else {
        const next: Json = {};
        out[key] = next;
        out = next;
      }
      key = label;
    }
    const value = this.body(block.body);
    if (!Object.hasOwn(out, key)) out[key] = [value];
    else if (Array.isArray(out[key])) (out[key] as unknown[]).push(value);
    else throw new Hcl2JsonError(`block ${block.type} collides with a labelled block of the same type`);
  }

  expr(e: Expr): unknown {
    switch (e.kind) {
      case 'literal':
        return typeof e.value === 'number' && e.raw !== undefined ? Number(decimalText(e.raw)) : e.value;
      case 'unary':
        if (e.operand.kind !== 'literal') return this.wrap(e);
        if (e.op === '-') return -(this.expr(e.operand) as number);
        return !e.operand.value;
      case 'template':
        return e.single ? this.expr(e.parts[0]!) : this.template(e);
      case 'tuple':
        return e.items.map((i) => this.expr(i));
      case 'object': {
        const out: Json = {};
        for (const item of e.items) out[this.key(item)] = this.expr(item.value);
        return out;
      }
      default:
        return this.wrap(e);
    }
  }

  private template(t: TemplateExpr): string {
    return t.parts.map((p) => this.stringPart(p)).join('');
  }

  private stringPart(e: Expr): string {
    switch (e.kind) {
      case 'literal':
        if (e.value === null) throw new Hcl2JsonError('null cannot be converted to a string');
        if (typeof e.value === 'number') return e.raw !== undefined ? decimalText(e.raw) : String(e.value);
        return String(e.value);
      case 'template':
        return e.single ? this.stringPart(e.parts[0]!) : this.template(e);
      case 'conditional': {
        const then = this.stringPart(e.then);
        const els = this.stringPart(e.else);
        return `%{if ${this.source(e.cond.range)}}${then}${els ? `%{else}${els}` : ''}%{endif}`;
      }
      case 'for':
        if (e.result !== 'string') return this.wrap(e);
        return `%{for ${e.keyVar !== undefined ? `${e.keyVar}, ` : ''}${e.valueVar} in ${this.source(e.collection.range)}}${this.stringPart(e.value)}%{endfor}`;
      default:
        return this.wrap(e);
    }
  }

  private key(item: ObjectItem): string {
    if (item.bareKey) return String((item.key as { value: unknown }).value);
    if (item.key.kind === 'ref') return this.source(item.key.range);
    return this.stringPart(item.key);
  }

  private wrap(e: Expr): string {
    return '${' + this.source(e.range, true) + '}';
  }

  private offset(line: number, col: number): number {
    return this.starts[line - 1]! + col - 1;
  }

  /** Source text of a range; `closeParen` copies hcl2json's habit of adding a following `)`. */
  private source(r: Range, closeParen = false): string {
    let end = this.offset(r.endLine, r.endCol);
    if (closeParen && this.text.charCodeAt(end) === 41) end++;
    return this.text.slice(this.offset(r.line, r.col), end);
  }
}

/**
 * A number literal as cty prints it (`big.Float.Text('f', -1)`): plain decimal, no exponent,
 * no trailing fractional zeros — `1.50` → `1.5`, `1e3` → `1000`.
 */
export function decimalText(raw: string): string {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return raw;
  const all = m[1]! + (m[2] ?? '');
  const digits = all.replace(/^0+/, '');
  if (digits === '') return '0';
  const point = m[1]!.length - (all.length - digits.length) + Number(m[3] ?? 0);
  let intPart: string;
  let frac: string;
  if (point <= 0) {
    intPart = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    intPart = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    intPart = digits.slice(0, point);
    frac = digits.slice(point);
  }
  frac = frac.replace(/0+$/, '');
  return frac ? `${intPart}.${frac}` : intPart;
}

/**
 * A compact one-line rendering of an expression tree, for tests to compare shapes:
 * `@a.b[0]` a reference, `tpl!(…)` a single-interpolation template, `~k` a non-bare object key.
 */
export function showExpr(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return e.raw ?? JSON.stringify(e.value);
    case 'tuple':
      return `[${e.items.map(showExpr).join(', ')}]`;
    case 'object':
      return `{${e.items.map((i) => `${i.bareKey ? String((i.key as { value: unknown }).value) : `~${showExpr(i.key)}`}: ${showExpr(i.value)}`).join(', ')}}`;
    case 'template':
      return `tpl${e.single ? '!' : ''}${e.heredoc ? 'H' : ''}(${e.parts.map(showExpr).join(' + ')})`;
    case 'ref':
      return `@${e.root}${e.steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : `[${showExpr(s.key)}]`)).join('')}`;
    case 'index':
      return `${showExpr(e.target)}{${showExpr(e.key)}}`;
    case 'getattr':
      return `${showExpr(e.target)}:${e.name}`;
    case 'splat':
      return `splat-${e.style}(${showExpr(e.source)} => ${showExpr(e.each)})`;
    case 'splatItem':
      return 'ITEM';
    case 'call':
      return `${e.name}(${e.args.map(showExpr).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'unary':
      return `(${e.op}${showExpr(e.operand)})`;
    case 'binary':
      return `(${showExpr(e.left)} ${e.op} ${showExpr(e.right)})`;
    case 'conditional':
      return `(${showExpr(e.cond)} ? ${showExpr(e.then)} : ${showExpr(e.else)})`;
    case 'for': {
      const vars = `${e.keyVar ? `${e.keyVar}, ` : ''}${e.valueVar}`;
      const body = `${e.key ? `${showExpr(e.key)} => ` : ''}${showExpr(e.value)}${e.grouping ? '...' : ''}${e.cond ? ` if ${showExpr(e.cond)}` : ''}`;
      return `for-${e.result}(${vars} in ${showExpr(e.collection)}: ${body})`;
    }
    case 'paren':
      return `(${showExpr(e.expr)})`;
  }
}
