import { type BlockLine, foldBlockLines, foldPlainLines, resolvePlain } from './fast-scalars.js';
import { BAIL, bail, isIndicator, MAX_DEPTH, Scanner, TooDeep } from './fast-scan.js';
import { findDuplicates, nullAt, type YMap, type YNode, type YPair, type YScalar, type YSeq, type YTree } from './tree.js';

/**
 * A fast parser for the subset of YAML that stack files are written in: block maps and
 * sequences, flow collections (so JSON too), plain, quoted and block scalars, comments.
 * It gives up ("bails out") on anything else — anchors, aliases, tags, explicit keys, tabs in
 * indentation, CRLF, multi-line quoted scalars, keep-chomping, every syntax error — and the
 * caller then uses the `yaml` package, which also produces the error messages. The `yaml`
 * package runs at about 1 MB/s here; this parser is what makes a 1.5 MB template load quickly.
 * Its results equal the `yaml` package's (a differential test checks this).
 */
export function fastParse(text: string, onTooDeep?: (at: number) => void): YTree | undefined {
  if (text.indexOf('\r') >= 0 || text.charCodeAt(0) === 0xfeff) return undefined;
  const p = new FastParser(text);
  try {
    return p.document();
  } catch (e) {
    if (e === BAIL) return undefined;
    if (e instanceof TooDeep) {
      onTooDeep?.(e.at);
      return undefined;
    }
    throw e;
  }
}

/** Where a plain scalar on one line stops (block context): a line break, `: `, ` #`; or a tab. */
const PLAIN_STOP = /[\n\t]|:(?=[ \n]|$)| #/g;
/** Why a plain scalar on one line ended. */
type Stop = 0 | 1 | 2;
const EOL = 0;
const COLON = 1;
const COMMENT = 2;
class FastParser extends Scanner {
  /** End of the text found by the last scanPlainLine. */
  private scanEnd = 0;

  document(): YTree {
    const s = this.s;
    let col = this.nextContent(true);
    if (col === 0 && s.startsWith('---', this.pos) && this.blankAt(this.pos + 3)) {
      this.pos += 3;
      this.finishLine();
      col = this.nextContent(false);
    }
    if (col < 0) return { root: null, duplicates: [], unknownTags: [] };
    const root = this.node(col, -1, true);
    if (this.nextContent(false) >= 0) bail();
    return { root, duplicates: this.duplicates, unknownTags: [] };
  }

  /**
   * Skips blank and comment lines; leaves `pos` on the first character of the next content
   * line and returns its column, or -1 at the end of the text. Idempotent.
   */
  private nextContent(first = false): number {
    const s = this.s;
    for (;;) {
      if (this.pos >= this.len) return -1;
      let p = this.pos;
      if (p === this.ls) while (s.charCodeAt(p) === 32) p++;
      if (p >= this.len) {
        this.pos = this.len;
        return -1;
      }
      const c = s.charCodeAt(p);
      if (c === 10) {
        this.pos = this.ls = p + 1;
        continue;
      }
      if (c === 35) {
        const nl = s.indexOf('\n', p);
        this.pos = this.ls = nl < 0 ? this.len : nl + 1;
        continue;
      }
      if (c === 9) bail();
      const col = p - this.ls;
      if (col === 0 && (c === 37 || ((c === 45 || c === 46) && this.isDocMarker(p) && !(first && c === 45)))) bail();
      this.pos = p;
      return col;
    }
  }

  /** After a node on a line: only spaces and a comment may follow. Moves to the next line. */
  private finishLine(): void {
    const s = this.s;
    let p = this.pos;
    while (s.charCodeAt(p) === 32) p++;
    if (p >= this.len) {
      this.pos = this.ls = this.len;
      return;
    }
    const c = s.charCodeAt(p);
    if (c === 35 && (p === this.ls || s.charCodeAt(p - 1) === 32)) {
      const nl = s.indexOf('\n', p);
      this.pos = this.ls = nl < 0 ? this.len : nl + 1;
      return;
    }
    if (c === 10) {
      this.pos = this.ls = p + 1;
      return;
    }
    bail();
  }

  /**
   * A node starting at `pos` (column `col`). `parent` is the indentation of the enclosing
   * collection (-1 at the top). `block` allows a block map or sequence to start here.
   */
  private node(col: number, parent: number, block: boolean): YNode {
    if (++this.depth > MAX_DEPTH) throw new TooDeep(this.pos);
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    let result: YNode;
    if (c === 45 && this.blankAt(this.pos + 1)) {
      if (!block) bail();
      result = this.blockSeq(col);
    } else if (c === 91 || c === 123) {
      result = this.flow(parent);
      this.skipSpaces();
      if (s.charCodeAt(this.pos) === 58) bail();
      this.finishLine();
    } else if (c === 34 || c === 39) {
      const q = this.quoted();
      this.skipSpaces();
      if (s.charCodeAt(this.pos) === 58 && this.blankAt(this.pos + 1)) {
        if (!block) bail();
        result = this.blockMap(col, q);
      } else {
        this.finishLine();
        result = q;
      }
    } else if (c === 124 || c === 62) {
      result = this.blockScalar(parent);
    } else {
      if (isIndicator(c) && !((c === 45 || c === 63 || c === 58) && !this.blankAt(this.pos + 1))) bail();
      const start = this.pos;
      const stop = this.scanPlainLine(start);
      const end = this.scanEnd;
      if (stop === COLON) {
        if (!block || end - start > 1024) bail();
        const key: YScalar = { kind: 'scalar', value: this.keyValue(start, end), style: 'plain', start, end };
        result = this.blockMap(col, key);
      } else result = this.plainValue(start, end, stop, parent);
    }
    this.depth--;
    return result;
  }

  /** Scans plain text on this line from `from`; `pos` ends at the stop character. */
  private scanPlainLine(from: number): Stop {
    const s = this.s;
    const re = PLAIN_STOP;
    re.lastIndex = from;
    // test() rather than exec(): no match array to allocate. Every match is one character
    // except ` #`, which ends in '#'.
    let i = this.len;
    let c = 10;
    if (re.test(s)) {
      i = re.lastIndex - 1;
      if (s.charCodeAt(i) === 35) i--;
      c = s.charCodeAt(i);
    }
    let stop: Stop = EOL;
    if (c === 9) bail();
    if (c === 58) stop = COLON;
    else if (c === 32) {
      stop = COMMENT;
      i++; // the '#'
    }
    let end = c === 32 ? i - 1 : i;
    while (end > from && s.charCodeAt(end - 1) === 32) end--;
    this.pos = i;
    this.scanEnd = end;
    return stop;
  }

  /** A plain scalar value whose first line is [start, end); may continue on deeper lines. */
  private plainValue(start: number, end: number, stop: Stop, parent: number): YScalar {
    const s = this.s;
    const first = s.slice(start, end);
    this.finishLine();
    if (stop === COMMENT) return { kind: 'scalar', value: resolvePlain(first), style: 'plain', start, end };
    let lines: string[] | undefined;
    let blanks = 0;
    let lastEnd = end;
    for (;;) {
      const lineStart = this.pos;
      if (lineStart >= this.len) break;
      let p = lineStart;
      while (s.charCodeAt(p) === 32) p++;
      const c = s.charCodeAt(p);
      if (p >= this.len) break;
      if (c === 10) {
        blanks++;
        this.pos = this.ls = p + 1;
        continue;
      }
      if (p - lineStart <= parent || c === 35) {
        this.pos = this.ls = lineStart;
        break;
      }
      if (parent < 0 || c === 9 || isIndicator(c)) bail();
      const stop2 = this.scanPlainLine(p);
      if (stop2 === COLON) bail();
      lines ??= [first];
      for (; blanks > 0; blanks--) lines.push('');
      lines.push(s.slice(p, this.scanEnd));
      lastEnd = this.scanEnd;
      this.finishLine();
      if (stop2 === COMMENT) break;
    }
    if (!lines) return { kind: 'scalar', value: resolvePlain(first), style: 'plain', start, end };
    return { kind: 'scalar', value: resolvePlain(foldPlainLines(lines)), style: 'plain', start, end: lastEnd };
  }

  /** A block map at column `col` whose first key is `first`; `pos` is on that key's ':'. */
  private blockMap(col: number, first: YNode): YMap {
    const s = this.s;
    const base = this.sp;
    let end = first.end;
    let key = first;
    for (;;) {
      const colon = this.pos;
      this.pos++;
      const value = this.mapValue(col, colon);
      this.stack[this.sp++] = { key, value };
      end = Math.max(value.end, key.end);
      const next = this.nextContent();
      if (next < col) break;
      if (next > col) bail();
      const c = s.charCodeAt(this.pos);
      if (c === 34 || c === 39) {
        key = this.quoted();
        this.skipSpaces();
        if (s.charCodeAt(this.pos) !== 58 || !this.blankAt(this.pos + 1)) bail();
      } else {
        if (isIndicator(c) && !((c === 45 || c === 63 || c === 58) && !this.blankAt(this.pos + 1))) bail();
        const kStart = this.pos;
        const stop = this.scanPlainLine(kStart);
        const kEnd = this.scanEnd;
        if (stop !== COLON || kEnd - kStart > 1024) bail();
        key = { kind: 'scalar', value: this.keyValue(kStart, kEnd), style: 'plain', start: kStart, end: kEnd };
      }
    }
    const pairs = this.take<YPair>(base);
    findDuplicates(pairs, this.duplicates);
    return { kind: 'map', pairs, flow: false, start: first.start, end };
  }

  /** The value after `key:` (pos just after the colon) in a block map at column `col`. */
  private mapValue(col: number, colon: number): YNode {
    const s = this.s;
    this.skipSpaces();
    const c = s.charCodeAt(this.pos);
    if (this.pos >= this.len || c === 10 || c === 35) {
      if (c === 35 && s.charCodeAt(this.pos - 1) !== 32) bail();
      this.finishLine();
      const next = this.nextContent();
      if (next > col) return this.node(next, col, true);
      if (next === col && s.charCodeAt(this.pos) === 45 && this.blankAt(this.pos + 1)) return this.blockSeq(col);
      return nullAt(colon + 1);
    }
    return this.node(this.pos - this.ls, col, false);
  }

  /** A block sequence at column `col`; `pos` is on its first '-'. */
  private blockSeq(col: number): YSeq {
    const s = this.s;
    const start = this.pos;
    let end = start + 1;
    const base = this.sp;
    for (;;) {
      const dash = this.pos;
      this.pos++;
      this.skipSpaces();
      const c = s.charCodeAt(this.pos);
      let item: YNode;
      if (this.pos >= this.len || c === 10 || c === 35) {
        if (c === 35 && s.charCodeAt(this.pos - 1) !== 32) bail();
        this.finishLine();
        const next = this.nextContent();
        item = next > col ? this.node(next, col, true) : nullAt(dash + 1);
      } else item = this.node(this.pos - this.ls, col, true);
      this.stack[this.sp++] = item;
      end = Math.max(item.end, dash + 1);
      const next = this.nextContent();
      if (next < col) break;
      if (next > col) bail();
      if (!(s.charCodeAt(this.pos) === 45 && this.blankAt(this.pos + 1))) break;
    }
    return { kind: 'seq', items: this.take<YNode>(base), flow: false, start, end };
  }

  /** A block scalar (`|` or `>`) inside a collection indented `parent`. */
  private blockScalar(parent: number): YScalar {
    const s = this.s;
    if (parent < 0) bail();
    const start = this.pos;
    const folded = s.charCodeAt(start) === 62;
    this.pos++;
    let chomp: '' | '-' = '';
    const h = s.charCodeAt(this.pos);
    if (h === 45) {
      chomp = '-';
      this.pos++;
    } else if (h === 43 || (h >= 48 && h <= 57)) bail();
    const after = s.charCodeAt(this.pos);
    if (this.pos < this.len && after !== 32 && after !== 10) bail();
    this.finishLine();
    const lines: BlockLine[] = [];
    let trim = -1;
    let maxLeadingEmpty = 0;
    let end = this.pos;
    let p = this.pos;
    while (p < this.len) {
      let k = 0;
      while (s.charCodeAt(p + k) === 32) k++;
      let eol = s.indexOf('\n', p + k);
      if (eol < 0) eol = this.len;
      const empty = p + k === eol;
      if (s.charCodeAt(p + k) === 9 && (trim < 0 || k < trim)) bail();
      if (trim < 0) {
        if (empty) {
          maxLeadingEmpty = Math.max(maxLeadingEmpty, k);
          lines.push({ indent: k, text: '' });
          p = eol + 1;
          continue;
        }
        if (k <= parent) break;
        if (maxLeadingEmpty > k) bail();
        trim = k;
      } else if (!empty && k < trim) {
        if (k > parent) bail();
        break;
      }
      lines.push({ indent: k, text: s.slice(p + k, eol) });
      if (!empty) end = eol;
      p = eol + 1;
    }
    if (trim < 0) {
      lines.length = 0;
      trim = 0;
    } else {
      for (let i = lines.length - 1; i >= 0 && lines[i]!.text === ''; i--) if (lines[i]!.indent > trim) bail();
    }
    // Move to the first line after the scalar (possibly the end of the text).
    p = Math.min(p, this.len);
    if (p < this.len) {
      // p is the start of the line that ended the scalar
      this.pos = this.ls = p;
    } else this.pos = this.ls = this.len;
    const value = lines.length ? foldBlockLines(lines, trim, folded, chomp) : '';
    return { kind: 'scalar', value, style: folded ? 'folded' : 'literal', start, end: Math.max(end, start + 1) };
  }

}
