import { identEnd, isIdentStart, numberEnd } from './chars.js';
import { isSpace } from './strings.js';
import { Tok, type TokenStream } from './tokens.js';

/**
 * Modal lexer for HCL native syntax, after hashicorp/hcl's scanner: `config` starts in the
 * expression/structure mode, `template` in bare-template mode (a string's content without
 * quotes). Quotes, heredocs and `${`/`%{` push modes; a `}` closes an interpolation when the
 * brace depth matches where it opened. Scans char codes; never throws.
 */
export function lex(text: string, start: 'config' | 'template'): TokenStream {
  return new Lexer(text).run(start === 'config' ? MAIN : BARE);
}

const MAIN = 0;
const QUOTED = 1;
const HEREDOC = 2;
const BARE = 3;

interface Frame {
  mode: number;
  marker: string;
  /** Heredoc: the next literal begins a line (so it may be the closing marker). */
  sol: boolean;
}

class Lexer {
  private n = 0;
  private type: Uint8Array;
  private start: Int32Array;
  private end: Int32Array;
  private i = 0;
  private braces = 0;
  private readonly retBraces: number[] = [];
  /** Mode stack; frame objects are reused, `depth` counts the live ones. */
  private readonly frames: Frame[] = [];
  private depth = 0;

  constructor(private readonly text: string) {
    // Invariant: capacity ≥ tokens so far + characters left + 2. Every token covers at least
    // one character except EOF and UnclosedQuote (which grows the arrays when it would break
    // the invariant), so the hot loop in `main` writes without a bounds check.
    const cap = text.length + 2;
    this.type = new Uint8Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
  }

  run(mode: number): TokenStream {
    const text = this.text;
    const len = text.length;
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
    this.push(mode);
    this.loop();
    this.put(Tok.EOF, len, len);
    return { text, n: this.n, type: this.type, start: this.start, end: this.end };
  }

  /** Dispatches on the current mode until the text ends (kept apart from `run` so it stays optimised). */
  private loop(): void {
    const len = this.text.length;
    while (this.i < len) {
      const f = this.frames[this.depth - 1]!;
      if (f.mode === MAIN) this.i = this.main(this.i);
      else if (f.mode === QUOTED) this.quoted();
      else this.lines(f);
    }
  }

  private grow(): void {
    const cap = this.type.length * 2;
    const ty = new Uint8Array(cap);
    ty.set(this.type);
    const st = new Int32Array(cap);
    st.set(this.start);
    const en = new Int32Array(cap);
    en.set(this.end);
    this.type = ty;
    this.start = st;
    this.end = en;
  }

  private put(t: Tok, s: number, e: number): void {
    if (this.n === this.type.length) this.grow();
    this.type[this.n] = t;
    this.start[this.n] = s;
    this.end[this.n] = e;
    this.n++;
  }

  private push(mode: number, marker = ''): void {
    const f = this.frames[this.depth];
    if (f) {
      f.mode = mode;
      f.marker = marker;
      f.sol = true;
    } else this.frames.push({ mode, marker, sol: true });
    this.depth++;
  }

  private pop(): void {
    if (this.depth > 1) this.depth--;
  }

  /** `${`/`%{` (optionally with `~`) at `i`: emits it and enters expression mode. */
  private openSequence(t: Tok): void {
    const i = this.i;
    const e = this.text.charCodeAt(i + 2) === 126 ? i + 3 : i + 2;
    this.put(t, i, e);
    this.i = e;
    this.braces++;
    this.retBraces.push(this.braces);
    this.push(MAIN);
  }

  /**
   * Expression mode: lexes tokens in one tight loop (locals, inline emission) until the text
   * ends or the mode changes — a quote or heredoc opens, or a `}` closes an interpolation.
   */
  private main(from: number): number {
    const text = this.text;
    const len = text.length;
    let i = from;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      let t: Tok;
      let e = i + 1;
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
        while (e < len) {
          const x = text.charCodeAt(e);
          if ((x >= 97 && x <= 122) || (x >= 65 && x <= 90) || (x >= 48 && x <= 57) || x === 95 || x === 45) e++;
          else break;
        }
        if (e < len && text.charCodeAt(e) >= 128) e = identEnd(text, i);
        t = Tok.Ident;
        if (text.charCodeAt(e) === 58 && text.charCodeAt(e + 1) === 58 && isIdentStart(text, e + 2)) {
          this.put(Tok.Ident, i, e);
          i = e;
          e += 2;
          t = Tok.DoubleColon;
        }
      } else if (c >= 48 && c <= 57) {
        e = numberEnd(text, i);
        t = Tok.Number;
      } else {
        const d = text.charCodeAt(i + 1);
        switch (c) {
          case 10:
            t = Tok.Newline;
            break;
          case 13:
            t = d === 10 ? Tok.Newline : Tok.Invalid;
            if (d === 10) e++;
            break;
          case 35: // #
            i = this.lineComment(i);
            continue;
          case 47: // /
            if (d === 47) {
              i = this.lineComment(i);
              continue;
            }
            if (d === 42) {
              const j = text.indexOf('*/', i + 2);
              if (j >= 0) {
                i = j + 2;
                continue;
              }
              e = len;
              t = Tok.UnclosedComment;
            } else t = Tok.Slash;
            break;
          case 34: // "
            this.put(Tok.OQuote, i, e);
            this.push(QUOTED);
            return e;
          case 60: // <
            if (d === 60) {
              const depth = this.depth;
              i = this.heredocStart(i);
              if (this.depth !== depth) return i;
              continue;
            }
            t = d === 61 ? Tok.LtEq : Tok.Lt;
            if (d === 61) e++;
            break;
          case 62:
            t = d === 61 ? Tok.GtEq : Tok.Gt;
            if (d === 61) e++;
            break;
          case 61: // =
            t = d === 61 ? Tok.EqualOp : d === 62 ? Tok.FatArrow : Tok.Equal;
            if (d === 61 || d === 62) e++;
            break;
          case 33:
            t = d === 61 ? Tok.NotEqual : Tok.Bang;
            if (d === 61) e++;
            break;
          case 38:
            t = d === 38 ? Tok.And : Tok.Invalid;
            if (d === 38) e++;
            break;
          case 124:
            t = d === 124 ? Tok.Or : Tok.Invalid;
            if (d === 124) e++;
            break;
          case 46: // .
            if (d === 46 && text.charCodeAt(i + 2) === 46) {
              t = Tok.Ellipsis;
              e += 2;
            } else t = Tok.Dot;
            break;
          case 123:
            this.braces++;
            t = Tok.OBrace;
            break;
          case 125:
          case 126: {
            if (c === 126 && d !== 125) {
              t = Tok.Invalid;
              break;
            }
            const width = c === 126 ? 2 : 1;
            const rb = this.retBraces;
            const closes = rb.length > 0 && rb[rb.length - 1] === this.braces;
            this.braces--;
            if (closes) {
              rb.pop();
              this.put(Tok.SeqEnd, i, i + width);
              this.pop();
              return i + width;
            }
            t = width === 2 ? Tok.SeqEnd : Tok.CBrace;
            e = i + width;
            break;
          }
          case 91:
            t = Tok.OBrack;
            break;
          case 93:
            t = Tok.CBrack;
            break;
          case 40:
            t = Tok.OParen;
            break;
          case 41:
            t = Tok.CParen;
            break;
          case 44:
            t = Tok.Comma;
            break;
          case 42:
            t = Tok.Star;
            break;
          case 37:
            t = Tok.Percent;
            break;
          case 43:
            t = Tok.Plus;
            break;
          case 45:
            t = Tok.Minus;
            break;
          case 63:
            t = Tok.Question;
            break;
          case 58:
            t = Tok.Colon;
            break;
          default:
            if (c >= 128 && isIdentStart(text, i)) {
              e = identEnd(text, i);
              t = Tok.Ident;
            } else {
              t = Tok.Invalid;
              if ((text.codePointAt(i) ?? 0) > 0xffff) e++;
            }
        }
      }
      const n = this.n;
      this.type[n] = t;
      this.start[n] = i;
      this.end[n] = e;
      this.n = n + 1;
      i = e;
    }
    return i;
  }

  /** `#` or `//` comment at `i`: equivalent to a newline (none at the end of the text). */
  private lineComment(i: number): number {
    const j = this.text.indexOf('\n', i);
    if (j < 0) return this.text.length;
    this.put(Tok.Newline, j, j + 1);
    return j + 1;
  }

  /**
   * `<<EOT` / `<<-EOT` followed directly by a newline opens a heredoc (pushing its mode);
   * `<<` otherwise is a `<` token. Returns where lexing goes on.
   */
  private heredocStart(i: number): number {
    const text = this.text;
    let k = i + 2;
    if (text.charCodeAt(k) === 45) k++;
    if (!isIdentStart(text, k)) {
      this.put(Tok.Lt, i, i + 1);
      return i + 1;
    }
    const m = identEnd(text, k);
    const c = text.charCodeAt(m);
    const nl = c === 10 ? 1 : c === 13 && text.charCodeAt(m + 1) === 10 ? 2 : 0;
    if (nl === 0) {
      this.put(Tok.BadHeredoc, i, m);
      return m;
    }
    this.put(Tok.OHeredoc, i, m);
    this.push(HEREDOC, text.slice(k, m));
    return m + nl;
  }

  private quoted(): void {
    const text = this.text;
    const len = text.length;
    const i = this.i;
    const c = text.charCodeAt(i);
    if (c === 34) {
      this.put(Tok.CQuote, i, i + 1);
      this.i = i + 1;
      this.pop();
      return;
    }
    if (c === 10 || c === 13) {
      // Leave the newline to the enclosing mode, so one bad string does not swallow the file.
      if (this.n + (text.length - i) + 3 > this.type.length) this.grow();
      this.put(Tok.UnclosedQuote, i, i);
      this.pop();
      return;
    }
    const d = text.charCodeAt(i + 1);
    if (d === 123 && (c === 36 || c === 37)) return this.openSequence(c === 36 ? Tok.Interp : Tok.Control);
    let j = i;
    while (j < len) {
      const ch = text.charCodeAt(j);
      if (ch === 34 || ch === 10 || ch === 13) break;
      if (ch === 92) {
        const nx = text.charCodeAt(j + 1);
        j += j + 1 < len && nx !== 10 && nx !== 13 ? 2 : 1;
      } else if (ch === 36 || ch === 37) {
        const nx = text.charCodeAt(j + 1);
        if (nx === 123) break;
        j += nx === ch && text.charCodeAt(j + 2) === 123 ? 3 : 1;
      } else j++;
    }
    this.put(Tok.QuotedLit, i, j);
    this.i = j;
  }

  /** Heredoc and bare-template text: literal tokens of at most one line each. */
  private lines(f: Frame): void {
    const text = this.text;
    const len = text.length;
    const i = this.i;
    if (f.mode === HEREDOC && f.sol && this.closesHeredoc(f.marker)) return;
    const c = text.charCodeAt(i);
    if (text.charCodeAt(i + 1) === 123 && (c === 36 || c === 37)) {
      f.sol = false;
      return this.openSequence(c === 36 ? Tok.Interp : Tok.Control);
    }
    let j = i;
    while (j < len) {
      const ch = text.charCodeAt(j);
      if (ch === 10) {
        j++;
        f.sol = true;
        break;
      }
      if (ch === 36 || ch === 37) {
        const nx = text.charCodeAt(j + 1);
        if (nx === 123) {
          f.sol = false;
          break;
        }
        j += nx === ch && text.charCodeAt(j + 2) === 123 ? 3 : 1;
      } else j++;
    }
    this.put(Tok.StringLit, i, j);
    this.i = j;
  }

  /** At the start of a heredoc line: is this line the closing marker (spaces around allowed)? */
  private closesHeredoc(marker: string): boolean {
    const text = this.text;
    const i = this.i;
    let nl = text.indexOf('\n', i);
    if (nl < 0) nl = text.length;
    let a = i;
    while (a < nl && isSpace(text.charCodeAt(a))) a++;
    let b = nl;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (b - a !== marker.length || !text.startsWith(marker, a)) return false;
    const lineEnd = nl > i && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    this.put(Tok.CHeredoc, i, lineEnd);
    this.i = lineEnd;
    this.pop();
    return true;
  }
}
