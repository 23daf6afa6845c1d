/** A span in a source file. Lines and columns are 1-based; end is exclusive. */
export interface Range {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export function rangeBetween(start: Range, end: Range): Range {
  return { file: start.file, line: start.line, col: start.col, endLine: end.endLine, endCol: end.endCol };
}

export function formatRange(r: Range): string {
  return `${r.file}:${r.line}:${r.col}`;
}

/** Maps character offsets of one text to line/column, built once per file. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly file: string, text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { file: this.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}
