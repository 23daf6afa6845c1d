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
