/**
 * Template literal text: escape decoding, strip-marker trimming, heredoc indent flushing.
 * Whitespace is Go's `unicode.IsSpace`, as HCL uses it.
 */

export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

export function trimStartSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

export function trimEndSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}

/** A bad escape: offsets within the text and a sentence saying what is wrong. */
export interface EscapeProblem {
  start: number;
  end: number;
  message: string;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/**
 * Decodes `text[start, end)`: `$${` → `${`, `%%{` → `%{` always; with `quoted`, also the
 * backslash escapes of quoted strings (`\n \r \t \" \\ \uNNNN \UNNNNNNNN`).
 */
export function decodeLiteral(text: string, start: number, end: number, quoted: boolean, problems: EscapeProblem[]): string {
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 123 && i + 2 < end) {
      out += text.slice(from, i + 1);
      i += 2;
      from = i;
      continue;
    }
    if (c !== 92 || !quoted) {
      i++;
      continue;
    }
    out += text.slice(from, i);
    const sel = i + 1 < end ? text.charCodeAt(i + 1) : -1;
    let next = i + 2;
    switch (sel) {
      case 110:
        out += '\n';
        break;
      case 114:
        out += '\r';
        break;
      case 116:
        out += '\t';
        break;
      case 34:
        out += '"';
        break;
      case 92:
        out += '\\';
        break;
      case 117: // u
      case 85: {
        const want = sel === 117 ? 4 : 8;
        let k = i + 2;
        while (k < end && k < i + 2 + want && isHex(text.charCodeAt(k))) k++;
        next = k;
        if (k - (i + 2) !== want) {
          problems.push({ start: i, end: k, message: `\\${sel === 117 ? 'u' : 'U'} must be followed by exactly ${want} hexadecimal digits` });
          break;
        }
        const cp = parseInt(text.slice(i + 2, k), 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          problems.push({ start: i, end: k, message: `U+${cp.toString(16).toUpperCase()} is not a character that can be written in UTF-8` });
          break;
        }
        out += String.fromCodePoint(cp);
        break;
      }
      case -1:
        next = i + 1;
        problems.push({ start: i, end: i + 1, message: 'a backslash must be followed by an escape character (n, r, t, ", \\, u or U)' });
        break;
      default: {
        const ch = String.fromCodePoint(text.codePointAt(i + 1)!);
        next = i + 1 + ch.length;
        problems.push({ start: i, end: next, message: `\`\\${ch}\` is not a valid escape sequence (use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN)` });
        out += ch;
      }
    }
    i = next;
    from = i;
  }
  return from === start ? text.slice(start, end) : out + text.slice(from, end);
}

/** A literal piece of a template before it becomes an expression (mutable: trimming, flushing). */
export interface LiteralPiece {
  kind: 'lit';
  value: string;
  start: number;
  end: number;
}

/**
 * `<<-` heredocs: finds the smallest count of leading spaces over the lines (blank lines do not
 * count) and removes that many from every line-leading literal, as HCL does after strip markers.
 */
export function flushHeredoc(pieces: readonly { kind: string }[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: LiteralPiece[] = [];
  for (const piece of pieces) {
    const lit = piece.kind === 'lit' ? (piece as LiteralPiece) : undefined;
    if (newline) {
      newline = false;
      // A line that starts with an interpolation or directive has no indent: nothing is removed.
      let spaces = 0;
      if (lit) {
        const v = lit.value;
        let k = 0;
        let count = 0;
        while (k < v.length && isSpace(v.charCodeAt(k))) {
          k++;
          count++;
        }
        if (k === v.length && v.endsWith('\n')) spaces = Infinity;
        else {
          spaces = count;
          adjust.push(lit);
        }
      }
      if (spaces < min) min = spaces;
    }
    if (lit && lit.value.endsWith('\n')) newline = true;
  }
  if (!isFinite(min) || min === 0) return;
  for (const lit of adjust) {
    const cut = Math.min(min, lit.value.length);
    lit.value = lit.value.slice(cut);
    lit.start += cut;
  }
}
