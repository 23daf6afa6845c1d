import { readDoubleQuoted, readSingleQuoted, resolvePlain } from './fast-scalars.js';
import { findDuplicates, nullAt, type YNode, type YPair, type YScalar } from './tree.js';

/** Thrown (and caught in fastParse) when the input leaves the subset the fast parser handles. */
export const BAIL = { bail: true };
export const MAX_DEPTH = 200;

export function bail(): never {
  throw BAIL;
}

/** Thrown (and caught in fastParse) when collections nest deeper than MAX_DEPTH; `at` is where. */
export class TooDeep {
  constructor(readonly at: number) {}
}

/** Characters a plain scalar may not start with. */
export function isIndicator(c: number): boolean {
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return (
    c === 45 || c === 63 || c === 58 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 ||
    c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96
  );
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** Where a plain scalar stops in a flow collection. */
const FLOW_PLAIN_STOP = /[\n\t,[\]{}]|:(?=[ \n,[\]{}]|$)| #/g;

/**
 * The fast parser's state and the parts shared by block and flow context: quoted scalars and
 * flow collections (`[…]`, `{…}`, so JSON too). The block structure is in fast-parse.ts.
 */
export class Scanner {
  protected pos = 0;
  /** Start offset of the line `pos` is on. */
  protected ls = 0;
  protected depth = 0;
  protected readonly len: number;
  protected readonly duplicates: YNode[] = [];
  /**
   * Items of the collections being parsed, innermost last; a finished collection takes its
   * items off with `take`, so each collection's array is allocated at its exact size.
   */
  protected readonly stack: unknown[] = [];
  /** Number of items in `stack` (it is never shrunk, only overwritten). */
  protected sp = 0;

  /**
   * Recently seen keys by a cheap hash of their text: keys repeat thousands of times in a large
   * template, and a hit costs one comparison instead of a new string.
   */
  private readonly keyText: string[] = new Array(512).fill('');
  private readonly keyVal: (null | boolean | number | string)[] = new Array(512).fill(null);

  protected keyValue(start: number, end: number): null | boolean | number | string {
    const s = this.s;
    const len = end - start;
    const h = (len * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1) * 3 + s.charCodeAt(start + (len >> 1))) & 511;
    const cached = this.keyText[h]!;
    if (cached.length === len && len > 0 && s.startsWith(cached, start)) return this.keyVal[h]!;
    const text = s.slice(start, end);
    const v = resolvePlain(text);
    this.keyText[h] = text;
    this.keyVal[h] = v;
    return v;
  }

  protected take<T>(base: number): T[] {
    const n = this.sp - base;
    const items = new Array<T>(n);
    for (let i = 0; i < n; i++) items[i] = this.stack[base + i] as T;
    this.sp = base;
    return items;
  }

  constructor(protected readonly s: string) {
    this.len = s.length;
  }

  /** True if offset is a space, newline or the end of text. */
  protected blankAt(i: number): boolean {
    if (i >= this.len) return true;
    const c = this.s.charCodeAt(i);
    return c === 32 || c === 10;
  }

  protected isDocMarker(p: number): boolean {
    const s = this.s;
    const c = s[p];
    return s[p + 1] === c && s[p + 2] === c && this.blankAt(p + 3);
  }

  protected skipSpaces(): void {
    const s = this.s;
    while (s.charCodeAt(this.pos) === 32) this.pos++;
    if (s.charCodeAt(this.pos) === 9) bail();
  }

  protected quoted(): YScalar {
    const start = this.pos;
    const r = this.s.charCodeAt(start) === 34 ? readDoubleQuoted(this.s, start) : readSingleQuoted(this.s, start);
    if (!r) bail();
    this.pos = r.end;
    return { kind: 'scalar', value: r.value, style: this.s.charCodeAt(start) === 34 ? 'double' : 'single', start, end: r.end };
  }

  /** A flow collection at `pos`; continuation lines must be indented more than `parent`. */
  protected flow(parent: number): YNode {
    if (++this.depth > MAX_DEPTH) throw new TooDeep(this.pos);
    const s = this.s;
    const start = this.pos;
    const isMap = s.charCodeAt(start) === 123;
    const close = isMap ? 125 : 93;
    this.pos++;
    const base = this.sp;
    for (;;) {
      this.flowSpace(parent);
      if (s.charCodeAt(this.pos) === close) break;
      if (isMap) {
        const key = this.flowScalar(parent, true);
        this.flowSpace(parent);
        if (s.charCodeAt(this.pos) !== 58) bail();
        this.pos++;
        this.flowSpace(parent);
        const c = s.charCodeAt(this.pos);
        const value = c === 44 || c === 125 ? nullAt(this.pos) : this.flowNode(parent);
        this.stack[this.sp++] = { key, value };
      } else this.stack[this.sp++] = this.flowNode(parent);
      this.flowSpace(parent);
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === close) break;
      bail();
    }
    this.pos++;
    this.depth--;
    if (isMap) {
      const pairs = this.take<YPair>(base);
      findDuplicates(pairs, this.duplicates);
      return { kind: 'map', pairs, flow: true, start, end: this.pos };
    }
    return { kind: 'seq', items: this.take<YNode>(base), flow: true, start, end: this.pos };
  }

  protected flowNode(parent: number): YNode {
    const c = this.s.charCodeAt(this.pos);
    if (c === 91 || c === 123) return this.flow(parent);
    return this.flowScalar(parent, false);
  }

  /** A scalar inside a flow collection; a plain one ends at a flow indicator or `: `. */
  protected flowScalar(parent: number, isKey: boolean): YScalar {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    if (c === 34 || c === 39) return this.quoted();
    if (isIndicator(c)) {
      const n = s.charCodeAt(this.pos + 1);
      if (!((c === 45 || c === 63 || c === 58) && !this.blankAt(this.pos + 1) && !isFlowIndicator(n))) bail();
    }
    const start = this.pos;
    const re = FLOW_PLAIN_STOP;
    re.lastIndex = start;
    let i = this.len;
    if (re.test(s)) {
      i = re.lastIndex - 1;
      if (s.charCodeAt(i) === 35) i--;
    }
    if (s.charCodeAt(i) === 9) bail();
    let end = i;
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    if (end === start || (isKey && end - start > 1024)) bail();
    this.pos = end;
    return { kind: 'scalar', value: isKey ? this.keyValue(start, end) : resolvePlain(s.slice(start, end)), style: 'plain', start, end };
  }

  /** Skips spaces, comments and line breaks inside a flow collection. */
  protected flowSpace(parent: number): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === 32) {
        this.pos++;
      } else if (c === 10) {
        this.pos = this.ls = this.pos + 1;
        let p = this.pos;
        while (s.charCodeAt(p) === 32) p++;
        const n = s.charCodeAt(p);
        if (p < this.len && n !== 10 && n !== 35 && p - this.ls <= parent) bail();
        if (p - this.ls === 0 && (n === 45 || n === 46) && this.isDocMarker(p)) bail();
        this.pos = p;
      } else if (c === 35) {
        const prev = s.charCodeAt(this.pos - 1);
        if (prev !== 32 && prev !== 10) bail();
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.len : nl;
      } else if (c === 9) {
        // Tabs separate tokens in a top-level flow collection (tab-indented JSON).
        if (parent >= 0) bail();
        this.pos++;
      } else {
        if (this.pos >= this.len) bail();
        return;
      }
    }
  }
}
