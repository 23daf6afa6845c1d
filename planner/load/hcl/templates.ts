import type { Expr, TemplateExpr } from '../../expr/ast.js';
import { didYouMean } from '../../../core/diagnostics.js';
import { parseExpression } from './expressions.js';
import { readForVariables } from './collections.js';
import type { Parser } from './parser.js';
import { flushHeredoc, trimEndSpace, trimStartSpace, type LiteralPiece } from './strings.js';
import { Tok } from './tokens.js';

/**
 * Templates: quoted strings, heredocs and bare templates. As in hclsyntax, the text is first
 * read into flat pieces (literals with strip markers applied, interpolations, directive
 * markers), `<<-` indentation is flushed, then the pieces become a tree. A template without
 * interpolations or directives is a `literal` string; exactly `"${x}"` is `single`.
 */
export function parseQuoted(p: Parser): Expr {
  const open = p.read();
  // Fast path for the common plain string: `""` or `"text"`.
  const k = p.i;
  if (p.ty[k] === Tok.CQuote) {
    p.i = k + 1;
    return { kind: 'literal', value: '', range: p.range(p.st[open]!, p.en[k]!) };
  }
  if (p.ty[k] === Tok.QuotedLit && p.ty[k + 1] === Tok.CQuote) {
    p.i = k + 2;
    return { kind: 'literal', value: p.decode(k, true), range: p.range(p.st[open]!, p.en[k + 1]!) };
  }
  return finish(p, open, p.st[open]!, Tok.CQuote, false);
}

export function parseHeredoc(p: Parser): Expr {
  const open = p.read();
  return finish(p, open, p.st[open]!, Tok.CHeredoc, p.text.charCodeAt(p.st[open]! + 2) === 45);
}

/** The whole token stream as one template (the lexer ran in template mode). */
export function parseBareTemplate(p: Parser): Expr {
  return finish(p, -1, 0, Tok.EOF, false);
}

type Piece =
  | LiteralPiece
  | { kind: 'interp'; expr: Expr; start: number; end: number }
  | { kind: 'if'; cond: Expr; start: number; end: number }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; start: number; end: number }
  | { kind: 'else' | 'endif' | 'endfor'; start: number; end: number };

const DIRECTIVES = ['if', 'else', 'endif', 'for', 'endfor'];

function finish(p: Parser, open: number, start: number, endType: Tok, flush: boolean): Expr {
  const heredoc = endType === Tok.CHeredoc;
  const pieces: Piece[] = [];
  const end = collect(p, endType, pieces);
  let endOff: number;
  if (p.ty[end] === endType) endOff = p.en[end]!;
  else {
    endOff = p.st[end]!;
    if (open < 0) {
      // A bare template ends only at EOF; something else here is left over from a broken `${…}`.
      p.err(`unexpected ${p.describe(end)} in the template`, p.st[end]!, p.en[end]!);
      p.i = p.last;
      endOff = p.text.length;
    } else if (heredoc) {
      const marker = p.src(open).replace(/^<<-?/, '');
      p.err(`expected a line holding only \`${marker}\` to end the heredoc opened at ${p.at(open)}, found ${p.describe(end)}`, start, p.en[open]!);
    } else if (p.ty[end] === Tok.UnclosedQuote) {
      p.err('expected `"` to close the string before the end of the line', start, endOff, 'A quoted string ends on the line it starts on; for text of several lines use a heredoc (<<EOT … EOT) or "\\n".');
    } else {
      p.err(`expected \`"\` to close the string opened at ${p.at(open)}, found ${p.describe(end)}`, start, Math.max(endOff, p.en[open]!));
    }
  }
  const range = p.range(start, endOff);
  const single = pieces.length === 1 && pieces[0]!.kind === 'interp';
  if (flush) flushHeredoc(pieces);
  const merged = mergeLiterals(pieces);
  if (single) {
    const t: TemplateExpr = { kind: 'template', parts: [(pieces[0] as { expr: Expr }).expr], single: true, range };
    if (heredoc) t.heredoc = true;
    return t;
  }
  if (merged.length === 0 || (merged.length === 1 && merged[0]!.kind === 'lit')) {
    return { kind: 'literal', value: merged.length ? (merged[0] as LiteralPiece).value : '', range };
  }
  const cursor = { pieces: merged, i: 0 };
  const parts: Expr[] = [];
  while (cursor.i < merged.length) {
    const q = merged[cursor.i]!;
    if (q.kind === 'else' || q.kind === 'endif' || q.kind === 'endfor') {
      cursor.i++;
      p.err(`unexpected \`%{ ${q.kind} }\`: there is no open \`%{ ${q.kind === 'endfor' ? 'for' : 'if'} }\``, q.start, q.end);
      continue;
    }
    parts.push(build(p, cursor));
  }
  const t: TemplateExpr = { kind: 'template', parts, range };
  if (heredoc) t.heredoc = true;
  return t;
}

/** Reads pieces up to the closing token; returns the index of the token that ended them. */
function collect(p: Parser, endType: Tok, pieces: Piece[]): number {
  let ltrimNext = false;
  let canTrimNext = false;
  for (;;) {
    const k = p.read();
    const t = p.ty[k] as Tok;
    if (t === endType) return k;
    const ltrim = ltrimNext;
    const canTrimPrev = canTrimNext;
    ltrimNext = canTrimNext = false;
    if (t === Tok.QuotedLit || t === Tok.StringLit) {
      let value = p.decode(k, t === Tok.QuotedLit);
      if (ltrim) value = trimStartSpace(value);
      pieces.push({ kind: 'lit', value, start: p.st[k]!, end: p.en[k]! });
      canTrimNext = true;
      continue;
    }
    if (t !== Tok.Interp && t !== Tok.Control) return k;
    if (canTrimPrev && p.en[k]! - p.st[k]! === 3) {
      const prev = pieces[pieces.length - 1];
      if (prev?.kind === 'lit') prev.value = trimEndSpace(prev.value);
    }
    p.pushNewlines(false);
    const piece = t === Tok.Interp ? interpolation(p) : directive(p);
    if (piece) {
      let close = p.peek();
      if (p.ty[close] === Tok.SeqEnd) {
        p.read();
        ltrimNext = p.en[close]! - p.st[close]! === 2;
      } else {
        const what = piece.kind === 'interp' ? 'the interpolation' : `the \`%{ ${piece.kind} }\` directive`;
        const detail =
          piece.kind === 'interp'
            ? 'If this `${` belongs to another language (a shell script, say), write it as `$${` so it is kept as text.'
            : undefined;
        p.fail(`expected \`}\` to end ${what} opened at ${p.at(k)}, found ${p.describe(close)}`, close, detail);
        close = p.recover(Tok.SeqEnd);
      }
      piece.start = p.st[k]!;
      piece.end = p.en[close]!;
      pieces.push(piece);
    }
    p.popNewlines();
  }
}

function interpolation(p: Parser): Piece {
  return { kind: 'interp', expr: parseExpression(p), start: 0, end: 0 };
}

/** After `%{`: the keyword and its operands, or undefined (reported) for a bad directive. */
function directive(p: Parser): Piece | undefined {
  const kw = p.peek();
  const skip = (message: string, k: number, detail?: string): undefined => {
    p.fail(message, k, detail);
    p.recover(Tok.SeqEnd);
    return undefined;
  };
  if (p.ty[kw] !== Tok.Ident) return skip(`expected a directive (if, else, endif, for or endfor) after \`%{\`, found ${p.describe(kw)}`, kw, 'To write `%{` as text, double the percent sign: `%%{`.');
  p.read();
  const word = p.src(kw);
  switch (word) {
    case 'if':
      return { kind: 'if', cond: parseExpression(p), start: 0, end: 0 };
    case 'else':
    case 'endif':
    case 'endfor':
      return { kind: word, start: 0, end: 0 };
    case 'for': {
      const vars = readForVariables(p, '%{ for');
      if ('message' in vars) return skip(vars.message, vars.at);
      const { valueVar, keyVar } = vars;
      const piece: Piece = { kind: 'for', valueVar, collection: parseExpression(p), start: 0, end: 0 };
      if (keyVar !== undefined) piece.keyVar = keyVar;
      return piece;
    }
    default: {
      const near = didYouMean(word, DIRECTIVES);
      return skip(`\`${word}\` is not a template directive${near ? ` — did you mean \`${near}\`?` : ''}`, kw, `Directives are %{ if … }, %{ else }, %{ endif }, %{ for … in … } and %{ endfor }; write \`%%{\` for a literal \`%{\`.`);
    }
  }
}

/** Joins neighbouring literal pieces (heredocs arrive line by line) and drops empty ones. */
function mergeLiterals(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const q of pieces) {
    const prev = out[out.length - 1];
    if (q.kind === 'lit') {
      if (q.value === '') continue;
      if (prev?.kind === 'lit') {
        out[out.length - 1] = { kind: 'lit', value: prev.value + q.value, start: prev.start, end: q.end };
        continue;
      }
    }
    out.push(q);
  }
  return out;
}

function build(p: Parser, c: { pieces: Piece[]; i: number }): Expr {
  const q = c.pieces[c.i++]!;
  switch (q.kind) {
    case 'lit':
      return { kind: 'literal', value: q.value, range: p.range(q.start, q.end) };
    case 'interp':
      return q.expr;
    case 'if':
    case 'for':
      return block(p, c, q);
    default:
      return { kind: 'literal', value: '', range: p.range(q.start, q.end) };
  }
}

/** The body of `%{ if }` (with its `%{ else }`) or `%{ for }`, up to the matching end. */
function block(p: Parser, c: { pieces: Piece[]; i: number }, open: Piece & { kind: 'if' | 'for' }): Expr {
  p.enterAt(open.start, open.end);
  const endWord = open.kind === 'if' ? 'endif' : 'endfor';
  const first: Expr[] = [];
  const second: Expr[] = [];
  let cur = first;
  let elseAt = -1;
  let endPiece: Piece | undefined;
  while (c.i < c.pieces.length) {
    const q = c.pieces[c.i]!;
    if (q.kind === 'else' || q.kind === 'endif' || q.kind === 'endfor') {
      c.i++;
      if (q.kind === endWord) {
        endPiece = q;
        break;
      }
      if (q.kind === 'else' && open.kind === 'if' && elseAt < 0) {
        elseAt = q.end;
        cur = second;
        continue;
      }
      const why = q.kind === 'else' ? (open.kind === 'for' ? '`%{ for }` has no `%{ else }`' : 'it already has one') : `\`%{ ${endWord} }\` was expected`;
      p.err(`unexpected \`%{ ${q.kind} }\` in the \`%{ ${open.kind} }\` at ${p.atOffset(open.start)}: ${why}`, q.start, q.end);
      continue;
    }
    cur.push(build(p, c));
  }
  if (!endPiece) p.err(`\`%{ ${open.kind} }\` has no matching \`%{ ${endWord} }\``, open.start, open.end);
  const endStart = endPiece ? endPiece.start : c.pieces.length ? c.pieces[c.pieces.length - 1]!.end : open.end;
  const endEnd = endPiece ? endPiece.end : endStart;
  p.leave();
  const branch = (parts: Expr[], at: number): TemplateExpr => ({
    kind: 'template',
    parts,
    range: parts.length ? { ...parts[0]!.range, endLine: parts[parts.length - 1]!.range.endLine, endCol: parts[parts.length - 1]!.range.endCol } : p.range(at, at),
  });
  const range = p.range(open.start, endEnd);
  if (open.kind === 'if') {
    return { kind: 'conditional', cond: open.cond, then: branch(first, open.end), else: branch(second, elseAt >= 0 ? elseAt : endStart), range };
  }
  const e: Expr = { kind: 'for', valueVar: open.valueVar, collection: open.collection, value: branch(first, open.end), result: 'string', range };
  if (open.keyVar !== undefined) e.keyVar = open.keyVar;
  return e;
}
