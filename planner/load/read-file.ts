import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { error, type Diagnostic } from '../../core/diagnostics.js';

/** Stack files, variables files and files read by file()/templatefile() are at most this big. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A file that could not be read; `reason` completes the sentence "<path> …". */
export class FileReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${path} ${reason}`);
  }
}

/** What a non-regular file is, for error sentences ("… is a named pipe (FIFO)"). */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of a regular file. Opened without blocking and checked with fstat before a byte is
 * read, so a FIFO or a device given as a file is refused instead of hanging the command, and a
 * file over `maxBytes` is refused instead of filling memory.
 */
export function readRegularFile(path: string, maxBytes = MAX_FILE_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileReadError(path, 'does not exist', code);
    if (code === 'EACCES' || code === 'EPERM') throw new FileReadError(path, 'cannot be read: permission denied', code);
    throw new FileReadError(path, `cannot be opened (${code ?? (e as Error).message})`, code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(path, `is ${fileKind(st)}, not a regular file`, st.isDirectory() ? 'EISDIR' : 'ENOTREG');
    if (st.size > maxBytes) throw new FileReadError(path, `is ${(st.size / 1048576).toFixed(1)} MiB, over the limit of ${maxBytes / 1048576} MiB`, 'EFBIG');
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileReadError(path, `cannot be read (${code ?? (e as Error).message})`, code);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of byte `offset`. */
function byteLineCol(b: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  // Characters before the offset on its line: count bytes that start a character.
  let col = 1;
  for (let i = start; i < offset; i++) if ((b[i]! & 0xc0) !== 0x80) col++;
  return { line, col };
}

/**
 * The text of a file's bytes: UTF-8, a leading byte-order mark dropped. Invalid UTF-8 (which
 * would otherwise turn silently into U+FFFD), UTF-16 and NUL bytes are errors located at the
 * offending byte.
 */
export function decodeText(bytes: Uint8Array, file: string, what: string): { text: string } | { diagnostic: Diagnostic } {
  const at = (offset: number, summary: string, detail?: string): { diagnostic: Diagnostic } => {
    const { line, col } = byteLineCol(bytes, offset);
    return { diagnostic: error(summary, { file, line, col, endLine: line, endCol: col + 1 }, detail) };
  };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return at(0, `${what} ${file} is UTF-16 encoded`, 'Save it as UTF-8.');
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const nul = body.indexOf(0);
  const bad = firstInvalidUtf8(body);
  if (bad >= 0 && (nul < 0 || bad < nul)) {
    return at(start + bad, `${what} ${file} is not valid UTF-8: byte 0x${body[bad]!.toString(16).padStart(2, '0')} cannot start or continue a character here`, 'Save the file as UTF-8 text.');
  }
  if (nul >= 0) return at(start + nul, `${what} ${file} contains a NUL byte`, 'A stack or variables file is text; is this a binary file?');
  return { text: utf8.decode(body) };
}

/** Reads a stack or variables file as text, or says in one located sentence why it cannot. */
export function readTextFile(path: string, what: string): { text: string } | { diagnostic: Diagnostic } {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path);
  } catch (e) {
    if (e instanceof FileReadError) {
      const hint = e.code === 'EFBIG' ? 'Split it into several smaller files.' : e.code === 'ENOENT' ? 'Check the path.' : 'Give the path of a regular text file.';
      return { diagnostic: error(`${what} ${e.message}`, undefined, hint) };
    }
    throw e;
  }
  return decodeText(bytes, path, what);
}
