import type { Range } from '../../../core/source.js';

/**
 * Offsets of one text → 1-based line/column ranges, with the text's first character placed at
 * `origin` (for templates cut out of another file, e.g. a YAML scalar). Look-ups walk from the
 * previous answer, so the mostly-increasing offsets a parser asks for cost O(1) each.
 */
export class PosMap {
  private readonly starts: number[] = [0];
  private last = 0;

  constructor(
    readonly file: string,
    text: string,
    private readonly origin: { line: number; col: number } = { line: 1, col: 1 },
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  private lineOf(offset: number): number {
    const s = this.starts;
    let l = this.last;
    if (s[l]! <= offset) {
      if (l + 1 >= s.length || offset < s[l + 1]!) return l;
      if (l + 2 >= s.length || offset < s[l + 2]!) return (this.last = l + 1);
    }
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  range(start: number, end: number): Range {
    if (end < start) end = start;
    const a = this.lineOf(start);
    const ac = a === 0 ? this.origin.col + start : start - this.starts[a]! + 1;
    const b = this.lineOf(end);
    const bc = b === 0 ? this.origin.col + end : end - this.starts[b]! + 1;
    return { file: this.file, line: this.origin.line + a, col: ac, endLine: this.origin.line + b, endCol: bc };
  }
}
