import type { Expr, ForExpr, ObjectItem } from '../../expr/ast.js';
import { parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { Tok } from './tokens.js';

/** `[a, b, c]` or `[for …]`. Newlines inside the brackets are ignored. */
export function parseTuple(p: Parser): Expr {
  const open = p.read();
  p.pushNewlines(false);
  if (p.isWord(p.peek(), 'for')) {
    const e = parseFor(p, open);
    p.popNewlines();
    return e;
  }
  const items: Expr[] = [];
  let close: number;
  for (;;) {
    if (p.peekType() === Tok.CBrack) {
      close = p.read();
      break;
    }
    items.push(parseExpression(p));
    if (p.recovery) {
      close = p.recover(Tok.CBrack);
      break;
    }
    const n = p.peek();
    if (p.ty[n] === Tok.CBrack) {
      close = p.read();
      break;
    }
    if (p.ty[n] !== Tok.Comma) {
      p.fail(`expected \`,\` or \`]\` after a list element (the list opened at ${p.at(open)}), found ${p.describe(n)}`, n);
      close = p.recover(Tok.CBrack);
      break;
    }
    p.read();
  }
  p.popNewlines();
  return { kind: 'tuple', items, range: p.range(p.st[open]!, p.en[close]!) };
}

/**
 * `{ a = 1, "b" = 2, (k) = 3 }` or `{for …}`. Items end with a comma or a newline; a bare
 * name key is a literal string (`bareKey`), a parenthesised key an expression.
 */
export function parseObject(p: Parser): Expr {
  const open = p.read();
  p.pushNewlines(false);
  const isFor = p.isWord(p.peek(), 'for');
  p.popNewlines();
  if (isFor) return parseFor(p, open);
  p.pushNewlines(true);
  const items: ObjectItem[] = [];
  let close: number;
  for (;;) {
    const k = p.peek();
    const t = p.ty[k];
    if (t === Tok.Newline) {
      p.read();
      continue;
    }
    if (t === Tok.CBrace) {
      close = p.read();
      break;
    }
    let key: Expr;
    let bareKey = false;
    const after = p.ty[k + 1];
    if (t === Tok.Ident && (after === Tok.Equal || after === Tok.Colon) && !isKeyword(p, k)) {
      // Fast path for the usual `name = value`: no reference node to build and throw away.
      p.read();
      key = { kind: 'literal', value: p.name(k), range: p.tokRange(k) };
      bareKey = true;
    } else {
      key = parseExpression(p);
      if (p.recovery) {
        close = p.recover(Tok.CBrace);
        break;
      }
      if (t !== Tok.OParen && key.kind === 'ref' && key.steps.length === 0) {
        key = { kind: 'literal', value: key.root, range: key.range };
        bareKey = true;
      }
    }
    const sep = p.peek();
    if (p.ty[sep] !== Tok.Equal && p.ty[sep] !== Tok.Colon) {
      const hint =
        p.ty[sep] === Tok.Ident ? 'A key that contains dots or spaces must be quoted: `"a.b" = 1`.' : 'Each item is written `key = value`, separated by commas or newlines.';
      p.fail(`expected \`=\` and a value after the object key, found ${p.describe(sep)}`, sep, hint);
      close = p.recover(Tok.CBrace);
      break;
    }
    p.read();
    const value = parseExpression(p);
    if (p.recovery) {
      close = p.recover(Tok.CBrace);
      break;
    }
    items.push(bareKey ? { key, value, bareKey } : { key, value });
    const n = p.peek();
    if (p.ty[n] === Tok.CBrace) {
      close = p.read();
      break;
    }
    if (p.ty[n] !== Tok.Comma && p.ty[n] !== Tok.Newline) {
      p.fail(`expected a newline, \`,\` or \`}\` after an object item (the object opened at ${p.at(open)}), found ${p.describe(n)}`, n);
      close = p.recover(Tok.CBrace);
      break;
    }
    p.read();
  }
  p.popNewlines();
  return { kind: 'object', items, range: p.range(p.st[open]!, p.en[close]!) };
}

/**
 * `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`, with
 * the peeker just before `for`. Newlines are ignored throughout.
 */
export function parseFor(p: Parser, open: number): Expr {
  p.pushNewlines(false);
  const isObject = p.ty[open] === Tok.OBrace;
  const closeType = isObject ? Tok.CBrace : Tok.CBrack;
  const closeText = isObject ? '}' : ']';
  const bad = (message: string, k: number, detail?: string): Expr => {
    if (message) p.fail(message, k, detail);
    const close = p.recover(closeType);
    p.popNewlines();
    return { kind: 'literal', value: null, range: p.range(p.st[open]!, p.en[close]!) };
  };
  p.read(); // `for`
  const vars = readForVariables(p, 'for');
  if ('message' in vars) return bad(vars.message, vars.at, vars.missingIn ? 'A for expression is written `[for v in collection : result]`.' : undefined);
  const { valueVar, keyVar } = vars;
  const collection = parseExpression(p);
  if (p.recovery) return bad('', vars.at);
  let k = p.peek();
  if (p.ty[k] !== Tok.Colon) return bad(`expected \`:\` after the collection of \`for\`, found ${p.describe(k)}`, k, 'A for expression is written `[for v in collection : result]`.');
  p.read();
  let value = parseExpression(p);
  let key: Expr | undefined;
  if (!p.recovery && p.peekType() === Tok.FatArrow) {
    p.read();
    key = value;
    value = parseExpression(p);
  }
  if (p.recovery) return bad('', k);
  let ellipsis = -1;
  if (p.peekType() === Tok.Ellipsis) ellipsis = p.read();
  let cond: Expr | undefined;
  if (p.isWord(p.peek(), 'if')) {
    p.read();
    cond = parseExpression(p);
    if (p.recovery) return bad('', k);
  }
  let close = p.peek();
  if (p.ty[close] === closeType) p.read();
  else {
    p.fail(`expected \`${closeText}\` to end the \`for\` expression opened at ${p.at(open)}, found ${p.describe(close)}`, close);
    close = p.recover(closeType);
  }
  p.popNewlines();
  const range = p.range(p.st[open]!, p.en[close]!);
  if (!isObject && key) p.errAt('a list `for` expression has no key', key.range, 'Remove `key =>`, or build an object with `{for …}`.');
  if (!isObject && ellipsis >= 0) p.err('grouping with `...` works only in an object `for` expression', p.st[ellipsis]!, p.en[ellipsis]!);
  if (isObject && !key) p.errAt('an object `for` expression needs `key => value` after the colon', value.range);
  const e: ForExpr = { kind: 'for', valueVar, collection, value, result: isObject ? 'object' : 'tuple', range };
  if (keyVar !== undefined) e.keyVar = keyVar;
  if (key) e.key = key;
  if (cond) e.cond = cond;
  if (ellipsis >= 0 && isObject) e.grouping = true;
  return e;
}

function isKeyword(p: Parser, k: number): boolean {
  return p.isWord(k, 'true') || p.isWord(k, 'false') || p.isWord(k, 'null');
}

/**
 * The variables of a `for` (expression or `%{ for }` directive) up to and including `in`:
 * `v in`, `k, v in`. `keyword` names the construct in messages (`for`, `%{ for`).
 */
export function readForVariables(p: Parser, keyword: string): { valueVar: string; keyVar?: string; at: number } | { message: string; at: number; missingIn?: true } {
  let k = p.peek();
  if (p.ty[k] !== Tok.Ident) return { message: `expected a variable name after \`${keyword}\`, found ${p.describe(k)}`, at: k };
  p.read();
  let valueVar = p.name(k);
  let keyVar: string | undefined;
  if (p.peekType() === Tok.Comma) {
    p.read();
    k = p.peek();
    if (p.ty[k] !== Tok.Ident) return { message: `expected a second variable name after \`${keyword} ${valueVar},\`, found ${p.describe(k)}`, at: k };
    p.read();
    keyVar = valueVar;
    valueVar = p.name(k);
  }
  k = p.peek();
  if (!p.isWord(k, 'in')) return { message: `expected \`in\` after the variable names of \`${keyword}\`, found ${p.describe(k)}`, at: k, missingIn: true };
  p.read();
  return { valueVar, ...(keyVar !== undefined ? { keyVar } : {}), at: k };
}
