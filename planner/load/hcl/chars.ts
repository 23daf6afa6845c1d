/** Character classes of HCL's lexical grammar: identifiers (UAX #31 plus `-`) and numbers. */

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}-]/u;

export function isIdentStart(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return ID_START.test(String.fromCodePoint(text.codePointAt(i)!));
}

/** Index just past the identifier starting at `i` (which must be an identifier start). */
export function identEnd(text: string, i: number): number {
  const len = text.length;
  i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  while (i < len) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45) i++;
    else if (c >= 128 && ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(i)!))) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    else break;
  }
  return i;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** End of the number literal at `i`: digits, `.digits` and `e±digits` parts, as HCL lexes them. */
export function numberEnd(text: string, i: number): number {
  let j = i + 1;
  while (isDigit(text.charCodeAt(j))) j++;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 46 && isDigit(text.charCodeAt(j + 1))) {
      j += 2;
    } else if (c === 101 || c === 69) {
      let k = j + 1;
      const s = text.charCodeAt(k);
      if (s === 43 || s === 45) k++;
      if (!isDigit(text.charCodeAt(k))) break;
      j = k + 1;
    } else break;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  return j;
}
