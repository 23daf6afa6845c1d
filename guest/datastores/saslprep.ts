/**
 * SASLprep (RFC 4013, a stringprep profile, RFC 3454) as PostgreSQL applies it to passwords
 * (src/common/saslprep.c, used by the server for `PASSWORD '…'` and by libpq): a pure-ASCII
 * string is kept as is; otherwise map (non-ASCII spaces → U+0020, B.1 → nothing), normalize
 * (NFKC), and check the mapped string for prohibited (C.1.2–C.9) and Unicode-3.2-unassigned
 * (A.1) code points and the bidi rule (D.1/D.2). Any failure — or an empty result — means the
 * password is used unprepared, as PostgreSQL does; so `undefined` is returned.
 */
import { L_CAT, MAPPED_TO_NOTHING, NON_ASCII_SPACE, PROHIBITED, RAND_AL_CAT, UNASSIGNED } from './stringprep-tables.js';

function inTable(cp: number, table: readonly number[]): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < table[mid * 2]!) hi = mid - 1;
    else if (cp > table[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The prepared password, or undefined when SASLprep refuses it (then the raw bytes are used). */
export function saslprep(password: string): string | undefined {
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  const mapped: number[] = [];
  for (const ch of password) {
    const cp = ch.codePointAt(0)!;
    if (inTable(cp, NON_ASCII_SPACE)) mapped.push(0x20);
    else if (!inTable(cp, MAPPED_TO_NOTHING)) mapped.push(cp);
  }
  if (mapped.length === 0) return undefined;
  // PostgreSQL checks the mapped code points (before normalization); so does this. A lone
  // surrogate is a C.5 code point: prohibited.
  if (mapped.some((cp) => inTable(cp, PROHIBITED) || inTable(cp, UNASSIGNED))) return undefined;
  if (mapped.some((cp) => inTable(cp, RAND_AL_CAT))) {
    if (mapped.some((cp) => inTable(cp, L_CAT))) return undefined;
    if (!inTable(mapped[0]!, RAND_AL_CAT) || !inTable(mapped[mapped.length - 1]!, RAND_AL_CAT)) return undefined;
  }
  return String.fromCodePoint(...mapped).normalize('NFKC');
}
