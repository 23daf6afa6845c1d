import { FunctionError } from './def.js';

/**
 * RFC 4180 CSV as Go's encoding/csv reads it (no lazy quotes, blank lines skipped, every
 * record with the header's number of fields). Returns the rows, header first.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Skip blank lines.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const row: string[] = [];
    const recordLine = line;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new FunctionError(`record on line ${recordLine}: extraneous or missing " in quoted-field`, 0);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          if (c === '\r' && text[i + 1] === '\n') {
            i++;
            continue;
          }
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new FunctionError(`parse error on line ${line}: extraneous or missing " in quoted-field`, 0);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new FunctionError(`parse error on line ${line}: bare " in non-quoted-field`, 0);
          field += text[i];
          i++;
        }
      }
      row.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    if (rows.length > 0 && row.length !== rows[0]!.length) {
      throw new FunctionError(`record on line ${recordLine}: wrong number of fields`, 0);
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new FunctionError('missing header line', 0);
  return rows;
}
