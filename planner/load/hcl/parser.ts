import { DiagnosticError, error, type Diagnostic } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import type { Expr } from '../../expr/ast.js';
import { PosMap } from './positions.js';
import { decodeLiteral, type EscapeProblem } from './strings.js';
import { Tok, type TokenStream } from './tokens.js';

/** Deeper nesting than this (brackets, templates, blocks, unary chains) is an error, not a crash. */
export const MAX_DEPTH = 500;

const INTERN_SIZE = 4096;

/**
 * The token cursor shared by the body, expression and template parsers: newline sensitivity
 * (a stack, as HCL's peeker has), diagnostics, recovery and the nesting guard.
 */
export class Parser {
  readonly text: string;
  readonly ty: Uint8Array;
  readonly st: Int32Array;
  readonly en: Int32Array;
  readonly last: number;
  readonly pos: PosMap;
  readonly diags: Diagnostic[] = [];
  /** Index of the next unread token. */
  i = 0;
  /**
   * Set after a syntax error inside the current body item: callers unwind without reporting
   * follow-on errors, and the body parser skips to the next line and clears it.
   */
  recovery = false;
  depth = 0;
  /** Expressions being parsed inside one another (0 outside any expression). */
  exprDepth = 0;
  private readonly nl: boolean[] = [true];
  private readonly problems: EscapeProblem[] = [];
  /** Intern table, made only for texts long enough to repeat names (short templates skip it). */
  private names: (string | undefined)[] | undefined;
  private nlTop = true;

  constructor(
    readonly toks: TokenStream,
    readonly file: string,
    origin?: { line: number; col: number },
  ) {
    this.text = toks.text;
    this.ty = toks.type;
    this.st = toks.start;
    this.en = toks.end;
    this.last = toks.n - 1;
    this.pos = new PosMap(file, toks.text, origin);
  }

  pushNewlines(include: boolean): void {
    this.nl.push(include);
    this.nlTop = include;
  }

  popNewlines(): void {
    this.nl.pop();
    this.nlTop = this.nl[this.nl.length - 1]!;
  }

  /** Index of the next significant token (newlines skipped where they do not matter). */
  peek(): number {
    let i = this.i;
    if (!this.nlTop) while (this.ty[i] === Tok.Newline) i++;
    return i;
  }

  peekType(): Tok {
    return this.ty[this.peek()] as Tok;
  }

  read(): number {
    const k = this.peek();
    this.i = k < this.last ? k + 1 : k;
    return k;
  }

  /** End offset of the last token read. */
  prevEnd(): number {
    return this.i > 0 ? this.en[this.i - 1]! : 0;
  }

  src(k: number): string {
    return this.text.slice(this.st[k]!, this.en[k]!);
  }

  /**
   * `text[start, end)` as a shared string: names repeat (`var`, `id`, `name`, resource types),
   * so one string per distinct name saves an allocation per occurrence on large files.
   */
  intern(start: number, end: number): string {
    const len = end - start;
    const text = this.text;
    if (len > 48 || text.length < 2048) return text.slice(start, end);
    const names = (this.names ??= new Array<string | undefined>(INTERN_SIZE));
    if (len === 0) return '';
    // Hash a few sampled characters: a collision only costs a fresh slice (hits are verified).
    let h = Math.imul(len, 16777619) ^ text.charCodeAt(start);
    h = Math.imul(h ^ text.charCodeAt(end - 1), 16777619);
    h = Math.imul(h ^ text.charCodeAt(start + (len >> 1)), 16777619);
    h = Math.imul(h ^ text.charCodeAt(end - 2 >= start ? end - 2 : start), 16777619);
    h = Math.imul(h ^ text.charCodeAt(start + (len >> 2)), 16777619);
    const slot = (h ^ (h >>> 13)) & (INTERN_SIZE - 1);
    const cached = names[slot];
    if (cached !== undefined && cached.length === len && text.startsWith(cached, start)) return cached;
    const s = text.slice(start, end);
    names[slot] = s;
    return s;
  }

  /** The text of token `k`, interned (for names and labels). */
  name(k: number): string {
    return this.intern(this.st[k]!, this.en[k]!);
  }

  range(start: number, end: number): Range {
    return this.pos.range(start, end);
  }

  tokRange(k: number): Range {
    return this.pos.range(this.st[k]!, this.en[k]!);
  }

  /** A placeholder for an expression that could not be parsed. */
  nullAt(k: number): Expr {
    return { kind: 'literal', value: null, range: this.tokRange(k) };
  }

  /** `line:col` of token `k`, for messages that point back at an opening bracket. */
  at(k: number): string {
    const r = this.tokRange(k);
    return `${r.line}:${r.col}`;
  }

  atOffset(offset: number): string {
    const r = this.range(offset, offset);
    return `${r.line}:${r.col}`;
  }

  /** Is token `k` the identifier `word` (a contextual keyword such as `for`, `in`, `if`)? */
  isWord(k: number, word: string): boolean {
    return this.ty[k] === Tok.Ident && this.en[k]! - this.st[k]! === word.length && this.text.startsWith(word, this.st[k]!);
  }

  err(summary: string, start: number, end: number, detail?: string): void {
    this.diags.push(error(summary, this.range(start, end), detail));
  }

  /** The text of a literal token, escapes decoded (backslash escapes too when `quoted`). */
  decode(k: number, quoted: boolean): string {
    if (this.en[k]! - this.st[k]! <= 32 && !hasEscapeChars(this.text, this.st[k]!, this.en[k]!)) return this.intern(this.st[k]!, this.en[k]!);
    const value = decodeLiteral(this.text, this.st[k]!, this.en[k]!, quoted, this.problems);
    if (this.problems.length) {
      for (const e of this.problems) this.err(`invalid escape sequence: ${e.message}`, e.start, e.end);
      this.problems.length = 0;
    }
    return value;
  }

  errAt(summary: string, range: Range, detail?: string): void {
    this.diags.push(error(summary, range, detail));
  }

  /** Reports at token `k` unless already recovering, then enters recovery. */
  fail(summary: string, k: number, detail?: string): void {
    if (!this.recovery) this.diags.push(error(summary, this.tokRange(k), detail));
    this.recovery = true;
  }

  enter(k: number): void {
    this.enterAt(this.st[k]!, this.en[k]!);
  }

  /** Counts one level of nesting; past MAX_DEPTH unwinds the whole parse with a diagnostic. */
  enterAt(start: number, end: number): void {
    if (++this.depth > MAX_DEPTH) this.tooDeep(this.range(start, end));
  }

  tooDeep(at: Range): never {
    throw new DiagnosticError(error(`nesting deeper than ${MAX_DEPTH} levels`, at, 'Split the expression or block into smaller parts, for example with local values.'));
  }

  leave(): void {
    this.depth--;
  }

  /** How a token reads in a message: "`}`", "a newline", "the end of the file". */
  describe(k: number): string {
    switch (this.ty[k] as Tok) {
      case Tok.EOF:
        return 'the end of the file';
      case Tok.Newline:
        return 'a newline';
      case Tok.OQuote:
        return 'a string';
      case Tok.OHeredoc:
        return 'a heredoc';
      case Tok.QuotedLit:
      case Tok.StringLit:
        return 'text';
      case Tok.UnclosedQuote:
        return 'the end of the line';
      case Tok.UnclosedComment:
        return 'an unterminated `/*` comment';
      default: {
        const s = this.src(k);
        return '`' + (s.length > 24 ? s.slice(0, 24) + '…' : s) + '`';
      }
    }
  }

  /**
   * Skips past the `end` token that closes the current bracket (nested pairs skipped) and
   * returns its index. Stops before a closer of another kind that has no opener here (the `}` of
   * the enclosing block, say), returning the last token skipped, and at EOF. Enters recovery.
   */
  recover(end: Tok): number {
    this.recovery = true;
    const stack: Tok[] = [];
    let last = this.i > 0 ? this.i - 1 : 0;
    for (;;) {
      const k = this.peek();
      let t = this.ty[k] as Tok;
      if (t === Tok.EOF) return k;
      if (t === Tok.Control) t = Tok.Interp;
      // A new line that starts `name =` is almost surely the next argument: resume there.
      if (stack.length === 0 && k > this.i && t === Tok.Ident && this.ty[k + 1] === Tok.Equal && this.ty[k - 1] === Tok.Newline) return last;
      const o = opener(t);
      if (o !== Tok.EOF) {
        if (stack.length === 0) {
          if (t === end) return this.read();
          return last;
        }
        const j = stack.lastIndexOf(o);
        if (j >= 0) stack.length = j;
      } else if (t === Tok.OBrace || t === Tok.OBrack || t === Tok.OParen || t === Tok.OQuote || t === Tok.OHeredoc || t === Tok.Interp) {
        stack.push(t);
      }
      last = this.read();
    }
  }

  /**
   * Skips the rest of a broken body item: to the next newline outside brackets, stopping before
   * a `}` that would close the enclosing block when `inBlock`.
   */
  recoverLine(inBlock: boolean): void {
    this.recovery = true;
    this.pushNewlines(true);
    const open: Tok[] = [];
    for (;;) {
      const k = this.peek();
      const t = this.ty[k] as Tok;
      if (t === Tok.EOF) break;
      if (t === Tok.Newline && open.length === 0) {
        this.read();
        break;
      }
      if (t === Tok.CBrace && open.length === 0 && inBlock) break;
      this.read();
      switch (t) {
        case Tok.OBrace:
        case Tok.OBrack:
        case Tok.OParen:
        case Tok.OQuote:
        case Tok.OHeredoc:
        case Tok.Interp:
        case Tok.Control:
          open.push(t);
          break;
        case Tok.CBrace:
        case Tok.CBrack:
        case Tok.CParen:
        case Tok.CQuote:
        case Tok.CHeredoc:
        case Tok.SeqEnd:
        case Tok.UnclosedQuote: {
          const want = t === Tok.SeqEnd ? Tok.Interp : opener(t);
          const match = (o: Tok): boolean => o === want || (t === Tok.SeqEnd && o === Tok.Control) || (t === Tok.UnclosedQuote && o === Tok.OQuote);
          let j = open.length - 1;
          while (j >= 0 && !match(open[j]!)) j--;
          if (j >= 0) open.length = j;
          break;
        }
      }
    }
    this.popNewlines();
  }
}

export function opener(close: Tok): Tok {
  switch (close) {
    case Tok.CBrace:
      return Tok.OBrace;
    case Tok.CBrack:
      return Tok.OBrack;
    case Tok.CParen:
      return Tok.OParen;
    case Tok.CQuote:
      return Tok.OQuote;
    case Tok.CHeredoc:
      return Tok.OHeredoc;
    case Tok.SeqEnd:
      return Tok.Interp;
    case Tok.UnclosedQuote:
      return Tok.OQuote;
    default:
      return Tok.EOF;
  }
}

/** Does `text[start, end)` hold a backslash or `$$`/`%%` that decoding could change? */
function hasEscapeChars(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c)) return true;
  }
  return false;
}
