import type { Attribute, Block, Body } from '../../model/body.js';
import { formatRange, rangeBetween, type Range } from '../../../core/source.js';
import { parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { Tok } from './tokens.js';

/** Stands in for a block body's range until its `}` is read (never escapes the parser). */
const PENDING: Range = { file: '', line: 0, col: 0, endLine: 0, endCol: 0 };

/**
 * The structural language: a body is attributes (`name = value`, ended by a newline) and
 * blocks (`type "label" ident { … }`, or on one line `type { name = value }`). After a broken
 * item the parser skips to the next line and goes on, so one run reports every error.
 */
export function parseBodyItems(p: Parser, open: number, header: [number, number], body: Body): void {
  const inBlock = open >= 0;
  let seen: Map<string, Attribute> | undefined;
  for (;;) {
    const k = p.peek();
    const t = p.ty[k] as Tok;
    if (t === Tok.Newline) {
      p.read();
      continue;
    }
    if (inBlock && t === Tok.CBrace) {
      p.read();
      return;
    }
    if (t === Tok.EOF) {
      if (inBlock) p.err(`expected \`}\` to close \`${headerText(p, header)}\` (opened at ${p.at(open)}), found the end of the file`, p.st[open]!, p.en[open]!);
      return;
    }
    p.recovery = false;
    if (t === Tok.Ident) {
      const item = parseItem(p, inBlock);
      if (!item) continue;
      if ('body' in item) body.blocks.push(item);
      else seen = addAttribute(p, body, seen, item);
      continue;
    }
    if (t === Tok.CBrace) {
      p.fail('unexpected `}`: there is no open block to close', k);
      p.read();
      continue;
    }
    if (t === Tok.OQuote) p.fail('expected an argument name or a block type, found a string', k, 'Argument names are not quoted: write `name = value`.');
    else p.fail(`expected an argument name or a block type, found ${p.describe(k)}`, k);
    p.recoverLine(inBlock);
  }
}

/** Adds `a` unless already set; bodies past a few attributes get a name index. */
function addAttribute(p: Parser, body: Body, seen: Map<string, Attribute> | undefined, a: Attribute): Map<string, Attribute> | undefined {
  const attrs = body.attributes;
  let first: Attribute | undefined;
  if (seen) first = seen.get(a.name);
  else for (let i = 0; i < attrs.length && !first; i++) if (attrs[i]!.name === a.name) first = attrs[i];
  if (first) {
    p.errAt(`the argument \`${a.name}\` is set twice`, a.nameRange, `It was first set at ${formatRange(first.nameRange)}; each argument may be set only once.`);
    return seen;
  }
  attrs.push(a);
  if (seen) seen.set(a.name, a);
  else if (attrs.length > 16) seen = new Map(attrs.map((x) => [x.name, x]));
  return seen;
}

/** A block's header as written (`resource "x" "y"`), for messages. */
function headerText(p: Parser, header: [number, number]): string {
  return p.text.slice(header[0], header[1]).replace(/\s+/g, ' ');
}

function parseItem(p: Parser, inBlock: boolean): Attribute | Block | undefined {
  const ident = p.read();
  const k = p.peek();
  const t = p.ty[k];
  if (t === Tok.Equal) return parseAttribute(p, ident, false, inBlock);
  if (t === Tok.OQuote || t === Tok.OBrace || t === Tok.Ident) return parseBlock(p, ident, inBlock);
  p.fail(`expected \`=\` or a block body after \`${p.src(ident)}\`, found ${p.describe(k)}`, k, 'An argument is written `name = value`, a block `type "label" { … }`.');
  p.recoverLine(inBlock);
  return undefined;
}

function parseAttribute(p: Parser, ident: number, singleLine: boolean, inBlock: boolean): Attribute {
  const name = p.name(ident);
  const nameRange = p.tokRange(ident);
  p.read(); // `=`
  const value = parseExpression(p);
  const attr: Attribute = { name, nameRange, value, range: rangeBetween(nameRange, value.range) };
  if (p.recovery) {
    if (!singleLine) p.recoverLine(inBlock);
    return attr;
  }
  if (singleLine) return attr;
  const n = p.peek();
  const t = p.ty[n];
  if (t === Tok.Newline) p.read();
  else if (t !== Tok.EOF) {
    if (t === Tok.Comma) p.fail(`unexpected \`,\` after the argument \`${name}\``, n, 'Arguments of a block are separated by newlines, not commas.');
    else if (t === Tok.CBrace) p.fail(`expected a newline after the argument \`${name}\`, found \`}\``, n, 'Put the closing `}` of a block on a line of its own.');
    else p.fail(`expected a newline after the value of \`${name}\`, found ${p.describe(n)}`, n);
    p.recoverLine(inBlock);
  }
  return attr;
}

function parseBlock(p: Parser, ident: number, inBlock: boolean): Block | undefined {
  const type = p.name(ident);
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  const header: [number, number] = [p.st[ident]!, p.en[ident]!];
  let open: number;
  for (;;) {
    const k = p.peek();
    const t = p.ty[k];
    if (t === Tok.OBrace) {
      open = p.read();
      break;
    }
    if (t === Tok.OQuote || t === Tok.Ident) {
      if (t === Tok.OQuote) quotedLabel(p, labels, labelRanges);
      else {
        labels.push(p.name(p.read()));
        labelRanges.push(p.tokRange(k));
      }
      header[1] = p.prevEnd();
      continue;
    }
    if (t === Tok.Equal) p.fail(`expected a block body \`{ … }\` after \`${headerText(p, header)}\`, found \`=\``, k, 'A block is its type and labels followed by `{`; `=` is for arguments (`name = value`).');
    else if (t === Tok.Newline) p.fail(`expected \`{\` on the same line as \`${headerText(p, header)}\`, found a newline`, k, 'The opening brace of a block must be on the line of its type and labels.');
    else p.fail(`expected a label or \`{\` after \`${headerText(p, header)}\`, found ${p.describe(k)}`, k);
    p.recoverLine(inBlock);
    return undefined;
  }
  p.enter(open);
  const body: Body = { attributes: [], blocks: [], range: PENDING };
  const nt = p.peekType();
  if (nt === Tok.Newline || nt === Tok.EOF || nt === Tok.CBrace) parseBodyItems(p, open, header, body);
  else singleLineBody(p, header, body);
  p.leave();
  const end = p.prevEnd();
  body.range = p.range(p.st[open]!, end);
  const block: Block = { type, typeRange: p.tokRange(ident), labels, labelRanges, body, range: p.range(p.st[ident]!, end) };
  const n = p.peek();
  const t = p.ty[n];
  if (t === Tok.Newline) p.read();
  else if (t !== Tok.EOF) {
    p.fail(`expected a newline after the \`}\` that closes \`${headerText(p, header)}\`, found ${p.describe(n)}`, n, 'Each block ends its line.');
    p.recoverLine(inBlock);
  }
  return block;
}

/** `type { name = value }`: one argument, closed on the same line. */
function singleLineBody(p: Parser, header: [number, number], body: Body): void {
  const a = p.peek();
  if (p.ty[a] !== Tok.Ident) {
    p.fail(`expected an argument or a newline after \`${headerText(p, header)} {\`, found ${p.describe(a)}`, a);
    p.recover(Tok.CBrace);
    return;
  }
  p.read();
  const t = p.peekType();
  if (t !== Tok.Equal) {
    if (t === Tok.OQuote || t === Tok.OBrace || t === Tok.Ident) {
      p.fail('a block written on one line can hold one argument, not a nested block', a, 'Put the nested block on a line of its own inside the parent block.');
    } else p.fail(`expected \`=\` after \`${p.src(a)}\`, found ${p.describe(p.peek())}`, p.peek());
    p.recover(Tok.CBrace);
    return;
  }
  body.attributes.push(parseAttribute(p, a, true, true));
  if (p.recovery) {
    p.recover(Tok.CBrace);
    return;
  }
  const c = p.peek();
  const ct = p.ty[c];
  if (ct === Tok.CBrace) {
    p.read();
    return;
  }
  if (ct === Tok.Comma) p.fail('a block written on one line can hold only one argument', c, 'Put each argument on its own line.');
  else if (ct === Tok.Newline) p.fail(`expected \`}\` right after the argument, found a newline`, c, `A block opened with an argument on its first line (\`${headerText(p, header)} {\`) must close on that line; otherwise start the argument on the next line.`);
  else p.fail(`expected \`}\` after the argument, found ${p.describe(c)}`, c);
  p.recover(Tok.CBrace);
}

/** A quoted block label (escapes allowed, interpolation not), appended to `labels`/`ranges`. */
function quotedLabel(p: Parser, labels: string[], ranges: Range[]): void {
  const open = p.read();
  let value = '';
  for (;;) {
    const k = p.read();
    const t = p.ty[k];
    if (t === Tok.CQuote) {
      labels.push(value);
      ranges.push(p.range(p.st[open]!, p.en[k]!));
      return;
    }
    if (t === Tok.QuotedLit) {
      value = value === '' ? p.decode(k, true) : value + p.decode(k, true);
      continue;
    }
    if (t === Tok.Interp || t === Tok.Control) {
      p.err('a block label cannot contain `${…}` or `%{…}`', p.st[k]!, p.en[k]!, 'Labels are fixed names; to write `${` as text, use `$${`.');
      const c = p.recover(Tok.SeqEnd);
      value += p.text.slice(p.st[k]!, p.en[c]!);
      p.recovery = false;
      continue;
    }
    p.err(`expected \`"\` to close the label, found ${p.describe(k)}`, p.st[open]!, p.st[k]!);
    if (t === Tok.EOF) p.i = k;
    labels.push(value);
    ranges.push(p.range(p.st[open]!, p.st[k]!));
    return;
  }
}
