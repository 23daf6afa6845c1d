import { nodeBeyondDepth, type BinaryOp, type CallExpr, type Expr, type SplatItemExpr } from '../../expr/ast.js';
import { rangeBetween, type Range } from '../../../core/source.js';
import { parseObject, parseTuple } from './collections.js';
import { MAX_DEPTH, type Parser } from './parser.js';
import { parseHeredoc, parseQuoted } from './templates.js';
import { Tok } from './tokens.js';

/**
 * The expression grammar of HCL native syntax, after hclsyntax's parser: conditional, binary
 * operators by precedence (`||` < `&&` < `== !=` < `< > <= >=` < `+ -` < `* / %`), unary
 * operators binding tightest, then terms with their traversals (`.a`, `[i]`, `.0`, splats).
 *
 * References keep every traversal step, constant or not (`x.y[count.index].id` is one `ref`
 * with an index step), so the dependency graph reads whole references; `index`/`getattr` nodes
 * appear only where the target is not a reference (`f(x)[0]`, `(a).b`, inside splats).
 */
export function parseExpression(p: Parser): Expr {
  const outermost = p.exprDepth++ === 0;
  p.enter(p.peek());
  const e = parseConditional(p);
  p.leave();
  p.exprDepth--;
  // Operator chains and `[0][0]…` nest the tree without nesting the parse: measure the tree.
  if (outermost) {
    const deep = nodeBeyondDepth(e, MAX_DEPTH);
    if (deep) p.tooDeep(deep.range);
  }
  return e;
}

const PREC = new Uint8Array(64);
const OPS: BinaryOp[] = [];
const defOp = (t: Tok, op: BinaryOp, prec: number): void => {
  PREC[t] = prec;
  OPS[t] = op;
};
defOp(Tok.Or, '||', 1);
defOp(Tok.And, '&&', 2);
defOp(Tok.EqualOp, '==', 3);
defOp(Tok.NotEqual, '!=', 3);
defOp(Tok.Lt, '<', 4);
defOp(Tok.Gt, '>', 4);
defOp(Tok.LtEq, '<=', 4);
defOp(Tok.GtEq, '>=', 4);
defOp(Tok.Plus, '+', 5);
defOp(Tok.Minus, '-', 5);
defOp(Tok.Star, '*', 6);
defOp(Tok.Slash, '/', 6);
defOp(Tok.Percent, '%', 6);

function parseConditional(p: Parser): Expr {
  const cond = parseBinary(p, 1);
  if (p.recovery || p.peekType() !== Tok.Question) return cond;
  p.read();
  const then = parseExpression(p);
  if (p.recovery) return cond;
  const k = p.peek();
  if (p.ty[k] !== Tok.Colon) {
    p.fail(`expected \`:\` and the false result of the conditional, found ${p.describe(k)}`, k, 'A conditional is written `condition ? true_result : false_result`.');
    return cond;
  }
  p.read();
  const els = parseExpression(p);
  return { kind: 'conditional', cond, then, else: els, range: rangeBetween(cond.range, els.range) };
}

/** Precedence climbing: operators of one level associate to the left. */
function parseBinary(p: Parser, minPrec: number): Expr {
  let lhs = parseTermWithTraversals(p);
  for (;;) {
    if (p.recovery) return lhs;
    const t = p.peekType();
    const prec = PREC[t]!;
    if (prec === 0 || prec < minPrec) return lhs;
    p.read();
    const rhs = parseBinary(p, prec + 1);
    lhs = { kind: 'binary', op: OPS[t]!, left: lhs, right: rhs, range: rangeBetween(lhs.range, rhs.range) };
  }
}

export function parseTermWithTraversals(p: Parser): Expr {
  return parseTraversals(p, parseTerm(p));
}

function parseTerm(p: Parser): Expr {
  const k = p.peek();
  switch (p.ty[k] as Tok) {
    case Tok.OParen:
      return parseParen(p);
    case Tok.Number: {
      p.read();
      const raw = p.name(k);
      const value = Number(raw);
      if (Number.isNaN(value)) p.err(`\`${raw}\` is not a valid number`, p.st[k]!, p.en[k]!, 'A number is digits with an optional fraction and exponent, like 10, 2.5 or 1e6.');
      // Beyond ±1.8e308 a double is Infinity, which no state, plan or JSON can hold.
      else if (!Number.isFinite(value)) p.err(`\`${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw}\` is too large a number`, p.st[k]!, p.en[k]!, 'Numbers must lie within ±1.8e308.');
      return { kind: 'literal', value: Number.isFinite(value) ? value : 0, raw, range: p.tokRange(k) };
    }
    case Tok.Ident:
      return parseIdentTerm(p);
    case Tok.OQuote:
      return parseQuoted(p);
    case Tok.OHeredoc:
      return parseHeredoc(p);
    case Tok.Minus:
    case Tok.Bang: {
      p.read();
      p.enter(k);
      const operand = parseTermWithTraversals(p);
      p.leave();
      const op = p.ty[k] === Tok.Minus ? '-' : '!';
      return { kind: 'unary', op, operand, range: rangeBetween(p.tokRange(k), operand.range) };
    }
    case Tok.OBrack:
      return parseTuple(p);
    case Tok.OBrace:
      return parseObject(p);
    case Tok.BadHeredoc:
      p.fail('a heredoc marker must end its line', k, 'Write `<<EOT` (or `<<-EOT`) with nothing after it on the line, the text on the following lines, and `EOT` alone on the last line.');
      return p.nullAt(k);
    default:
      p.fail(`expected an expression, found ${p.describe(k)}`, k);
      return p.nullAt(k);
  }
}

function parseParen(p: Parser): Expr {
  const open = p.read();
  p.pushNewlines(false);
  const inner = parseExpression(p);
  if (p.recovery) {
    p.recover(Tok.CParen);
    p.popNewlines();
    return inner;
  }
  let close = p.peek();
  if (p.ty[close] === Tok.CParen) p.read();
  else {
    p.fail(`expected \`)\` to close the \`(\` at ${p.at(open)}, found ${p.describe(close)}`, close);
    close = p.recover(Tok.CParen);
  }
  p.popNewlines();
  return { kind: 'paren', expr: inner, range: p.range(p.st[open]!, p.en[close]!) };
}

function parseIdentTerm(p: Parser): Expr {
  const k = p.read();
  let name = p.name(k);
  let last = k;
  // `provider::ns::fn(...)`: the lexer emits `::` only glued between two names.
  while (p.ty[p.i] === Tok.DoubleColon && p.ty[p.i + 1] === Tok.Ident) {
    last = p.i + 1;
    p.i += 2;
    name += '::' + p.src(last);
  }
  if (p.peekType() === Tok.OParen) return finishCall(p, k, last, name);
  if (last !== k) {
    p.fail(`expected \`(\` after the function name \`${name}\`, found ${p.describe(p.peek())}`, p.peek());
    return p.nullAt(k);
  }
  const range = p.tokRange(k);
  if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', range };
  if (name === 'null') return { kind: 'literal', value: null, range };
  return { kind: 'ref', root: name, steps: [], range };
}

function finishCall(p: Parser, first: number, last: number, name: string): CallExpr {
  const open = p.read();
  p.pushNewlines(false);
  const args: Expr[] = [];
  let expandFinal = false;
  let close: number;
  for (;;) {
    if (p.peekType() === Tok.CParen) {
      close = p.read();
      break;
    }
    args.push(parseExpression(p));
    if (p.recovery) {
      close = p.recover(Tok.CParen);
      break;
    }
    const sep = p.peek();
    const t = p.ty[sep];
    if (t === Tok.CParen) {
      close = p.read();
      break;
    }
    if (t === Tok.Ellipsis) {
      p.read();
      expandFinal = true;
      if (p.peekType() === Tok.CParen) close = p.read();
      else {
        p.fail(`expected \`)\` right after \`...\`, found ${p.describe(p.peek())}`, p.peek(), 'Only the last argument of a call can be expanded with `...`.');
        close = p.recover(Tok.CParen);
      }
      break;
    }
    if (t !== Tok.Comma) {
      p.fail(`expected \`,\` or \`)\` after an argument of \`${name}(\`, found ${p.describe(sep)}`, sep);
      close = p.recover(Tok.CParen);
      break;
    }
    p.read();
    if (p.peekType() === Tok.CParen) {
      close = p.read();
      break;
    }
  }
  p.popNewlines();
  const call: CallExpr = { kind: 'call', name, args, nameRange: p.range(p.st[first]!, p.en[last]!), range: p.range(p.st[first]!, p.en[close]!) };
  if (expandFinal) call.expandFinal = true;
  return call;
}

function parseTraversals(p: Parser, from: Expr): Expr {
  let ret = from;
  for (;;) {
    const k = p.peek();
    const t = p.ty[k];
    if (t === Tok.Dot) {
      p.read();
      const a = p.peek();
      const at = p.ty[a];
      if (at === Tok.Ident) {
        p.read();
        ret = addAttr(ret, p.name(a), p.range(p.st[k]!, p.en[a]!));
      } else if (at === Tok.Number) {
        p.read();
        ret = addIndex(ret, legacyIndex(p, a), p.range(p.st[k]!, p.en[a]!));
      } else if (at === Tok.Star) {
        p.read();
        ret = attrSplat(p, ret, k, a);
      } else {
        p.fail(`expected an attribute name after \`.\`, found ${p.describe(a)}`, a);
        return ret;
      }
    } else if (t === Tok.OBrack) {
      p.read();
      ret = p.peekType() === Tok.Star ? fullSplat(p, ret, k) : index(p, ret, k);
      if (p.recovery) return ret;
    } else return ret;
  }
}

function index(p: Parser, target: Expr, open: number): Expr {
  p.pushNewlines(false);
  const key = parseExpression(p);
  let close: number;
  if (p.recovery) close = p.recover(Tok.CBrack);
  else {
    close = p.peek();
    if (p.ty[close] === Tok.CBrack) p.read();
    else {
      p.fail(`expected \`]\` to close the index opened at ${p.at(open)}, found ${p.describe(close)}`, close);
      close = p.recover(Tok.CBrack);
    }
  }
  p.popNewlines();
  return addIndex(target, key, p.range(p.st[open]!, p.en[close]!));
}

/** `.0`: the legacy index syntax HIL allowed; `.0.1` lexes as one number and is refused. */
function legacyIndex(p: Parser, k: number): Expr {
  const raw = p.name(k);
  if (raw.includes('.') || /[eE]/.test(raw)) {
    const parts = raw.split('.');
    p.err(`\`.${raw}\` is not a valid index`, p.st[k]!, p.en[k]!, `Two legacy indexes cannot be chained; write \`[${parts[0]}][${parts[1] ?? 0}]\` instead.`);
  }
  return { kind: 'literal', value: Number(raw) || 0, raw, range: p.tokRange(k) };
}

/** `source.*.a.b`: attribute-only splat; only `.name` and `.0` steps apply to each element. */
function attrSplat(p: Parser, source: Expr, dot: number, star: number): Expr {
  const item: SplatItemExpr = { kind: 'splatItem', range: p.range(p.st[dot]!, p.en[star]!) };
  let each: Expr = item;
  let lastEnd = p.en[star]!;
  while (p.peekType() === Tok.Dot) {
    const d = p.read();
    const a = p.peek();
    if (p.ty[a] === Tok.Ident) {
      p.read();
      each = { kind: 'getattr', target: each, name: p.name(a), range: p.range(p.st[dot]!, p.en[a]!) };
    } else if (p.ty[a] === Tok.Number) {
      p.read();
      each = { kind: 'index', target: each, key: legacyIndex(p, a), range: p.range(p.st[dot]!, p.en[a]!) };
    } else {
      const nested = p.ty[a] === Tok.Star;
      p.fail(nested ? 'a splat `.*` cannot be nested inside another `.*`' : `expected an attribute name after \`.\`, found ${p.describe(a)}`, nested ? a : d);
      break;
    }
    lastEnd = p.en[a]!;
  }
  return { kind: 'splat', source, each, style: 'attr', range: rangeBetween(source.range, p.range(lastEnd, lastEnd)) };
}

/** `source[*]…`: full splat; every following traversal step applies to each element. */
function fullSplat(p: Parser, source: Expr, open: number): Expr {
  p.read(); // `*`
  let close = p.peek();
  if (p.ty[close] === Tok.CBrack) p.read();
  else {
    p.fail(`expected \`]\` right after \`[*\`, found ${p.describe(close)}`, close);
    close = p.recover(Tok.CBrack);
  }
  const item: SplatItemExpr = { kind: 'splatItem', range: p.range(p.st[open]!, p.en[close]!) };
  p.enter(open);
  const each = parseTraversals(p, item);
  p.leave();
  return { kind: 'splat', source, each, style: 'full', range: rangeBetween(source.range, each.range) };
}

function addAttr(target: Expr, name: string, step: Range): Expr {
  if (target.kind === 'ref') {
    target.steps.push({ kind: 'attr', name, range: step });
    extend(target.range, step);
    return target;
  }
  return { kind: 'getattr', target, name, range: rangeBetween(target.range, step) };
}

function addIndex(target: Expr, key: Expr, step: Range): Expr {
  if (target.kind === 'ref') {
    target.steps.push({ kind: 'index', key, range: step });
    extend(target.range, step);
    return target;
  }
  return { kind: 'index', target, key, range: rangeBetween(target.range, step) };
}

function extend(r: Range, to: Range): void {
  r.endLine = to.endLine;
  r.endCol = to.endCol;
}
