import { didYouMean, error, warning, type Diagnostic } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import type { YMap, YNode, YPair, YScalar } from './tree.js';

/** Anything with source offsets. */
export interface Span {
  start: number;
  end: number;
}

/** One file being loaded: its text, its line index, and the diagnostics found so far. */
export class LoadCtx {
  readonly diags: Diagnostic[] = [];
  /** Offsets at which lines start (the file's one line table). */
  private readonly starts: number[] = [0];
  /** Line (0-based) of the last lookup: ranges are mostly asked for in file order. */
  private last = 0;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 0-based line holding `offset`. */
  private lineOf(offset: number): number {
    const st = this.starts;
    let l = this.last;
    if (st[l]! <= offset && (l + 1 >= st.length || st[l + 1]! > offset)) return l;
    if (l + 2 < st.length && st[l + 1]! <= offset && st[l + 2]! > offset) return (this.last = l + 1);
    let lo = 0;
    let hi = st.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (st[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const l = this.lineOf(offset);
    return { line: l + 1, col: offset - this.starts[l]! + 1 };
  }

  range(n: Span): Range {
    const len = this.text.length;
    const s = n.start < 0 ? 0 : n.start > len ? len : n.start;
    const e = n.end < s ? s : n.end > len ? len : n.end;
    const a = this.lineOf(s);
    const sc = s - this.starts[a]! + 1;
    const b = this.lineOf(e);
    return { file: this.file, line: a + 1, col: sc, endLine: b + 1, endCol: e - this.starts[b]! + 1 };
  }

  pairRange(p: YPair): Range {
    return this.range({ start: p.key.start, end: Math.max(p.key.end, p.value.end) });
  }

  error(summary: string, at: Span | Range | undefined, detail?: string): void {
    this.diags.push(error(summary, at === undefined ? undefined : this.toRange(at), detail));
  }

  warn(summary: string, at: Span | Range | undefined, detail?: string): void {
    this.diags.push(warning(summary, at === undefined ? undefined : this.toRange(at), detail));
  }

  private toRange(at: Span | Range): Range {
    return 'file' in at ? at : this.range(at);
  }

  /** The pairs of a map node with their keys as strings. Reports a key that is not a scalar. */
  entries(node: YMap): { name: string; key: YNode; value: YNode; pair: YPair }[] {
    const out: { name: string; key: YNode; value: YNode; pair: YPair }[] = [];
    for (const pair of node.pairs) {
      const k = pair.key;
      if (k.kind !== 'scalar') {
        this.error('A key must be a plain string, not a list or mapping.', k);
        continue;
      }
      out.push({ name: keyText(this.text, k), key: k, value: pair.value, pair });
    }
    return out;
  }

  /** Reports an unknown key, with the closest valid one as a suggestion. */
  unknownKey(name: string, at: Span, where: string, valid: readonly string[]): void {
    const hint = didYouMean(name, valid);
    this.error(
      hint ? `"${name}" is not valid in ${where}. Did you mean "${hint}"?` : `"${name}" is not valid in ${where}.`,
      at,
      `Valid keys are: ${valid.join(', ')}.`,
    );
  }

  /** A map node, or an error naming what was expected (null values count as absent). */
  expectMap(node: YNode, what: string): YMap | undefined {
    if (node.kind === 'map') return node;
    if (node.kind === 'scalar' && node.value === null) return undefined;
    this.error(`${capitalize(what)} must be a mapping (key: value pairs).`, node);
    return undefined;
  }

  /** A string scalar's value, or an error. Numbers and booleans are not accepted. */
  expectString(node: YNode, what: string): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
    this.error(`${capitalize(what)} must be a string.`, node);
    return undefined;
  }
}

/** The text of a scalar key: a plain key as written (`1.0`, `true`), a quoted one by value. */
export function keyText(text: string, k: YScalar): string {
  if (typeof k.value === 'string') return k.value;
  if (k.style === 'plain' && k.end > k.start) return text.slice(k.start, k.end);
  return k.value === null ? '' : String(k.value);
}

export function capitalize(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Finds a pair by key name in a map's entries. */
export function findEntry<T extends { name: string }>(entries: T[], name: string): T | undefined {
  for (const e of entries) if (e.name === name) return e;
  return undefined;
}

/** `a, b or c` for messages. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
