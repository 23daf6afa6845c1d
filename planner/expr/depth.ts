import { isObject, type Value } from '../../core/value.js';

/**
 * Nesting limits for values. Every walker over values (conversion, type checks, rendering,
 * JSON, the plan) recurses, so a value nested deeper than this is refused where it is made —
 * by an expression, by `jsondecode`/`yamldecode`, or in a variables file — with a located error.
 */
export const MAX_VALUE_DEPTH = 500;
/** YAML and JSON text (stack files, variables files, `yamldecode`): the YAML loader's own limit. */
export const MAX_TEXT_DEPTH = 200;

const depthMemo = new WeakMap<object, number>();

/**
 * How deeply `v` nests (a scalar is 0, `[1]` is 1), computed without recursion and memoized per
 * list/object; the walk stops as soon as the depth passes `limit` (and then returns limit + 1).
 */
export function valueDepth(v: Value, limit = MAX_VALUE_DEPTH): number {
  if (typeof v !== 'object' || v === null || !(Array.isArray(v) || isObject(v))) return 0;
  const known = depthMemo.get(v);
  if (known !== undefined) return known;
  // Frames: the container, its children, the next child to visit, the deepest child so far.
  const stack: { node: object; kids: Value[]; next: number; best: number }[] = [];
  const push = (node: object): void => {
    stack.push({ node, kids: Array.isArray(node) ? node : Object.values(node as Record<string, Value>), next: 0, best: 0 });
  };
  push(v);
  let result = 0;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (stack.length > limit) return limit + 1;
    if (top.next < top.kids.length) {
      const kid = top.kids[top.next++]!;
      if (typeof kid !== 'object' || kid === null || !(Array.isArray(kid) || isObject(kid))) continue;
      const d = depthMemo.get(kid);
      if (d !== undefined) top.best = Math.max(top.best, d);
      else push(kid);
      continue;
    }
    stack.pop();
    result = top.best + 1;
    depthMemo.set(top.node, result);
    if (stack.length) stack[stack.length - 1]!.best = Math.max(stack[stack.length - 1]!.best, result);
  }
  return result;
}

/**
 * How deeply the brackets of JSON or YAML text nest — flow `[`/`{` plus, for YAML, block
 * indentation and `- ` items — counted in one pass without parsing, so text too deep for a
 * recursive parser is refused before one runs. Returns the offset where `limit` is passed, or -1.
 */
export function textTooDeepAt(text: string, limit = MAX_TEXT_DEPTH): number {
  let flow = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line (block context only matters outside flow collections).
    if (flow === 0) {
      let col = 0;
      while (i + col < n && text.charCodeAt(i + col) === 32) col++;
      const c = text.charCodeAt(i + col);
      if (i + col < n && c !== 10 && c !== 13 && c !== 35) {
        while (indents.length && indents[indents.length - 1]! >= col) indents.pop();
        indents.push(col);
        // `- - - x`: each sequence indicator opens one more level.
        while (text.startsWith('- ', i + col)) {
          col += 2;
          while (text.charCodeAt(i + col) === 32) col++;
          indents.push(col);
        }
        if (indents.length > limit) return i + col;
      }
      i += col;
    }
    // The rest of the line (or, inside a flow collection, up to the next line break).
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        i++;
        break;
      }
      if ((c === 34 || c === 39) && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
        i = skipQuoted(text, i);
        continue;
      }
      if (c === 35 && (i === 0 || /\s/.test(text[i - 1]!))) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        continue;
      }
      if (c === 91 || c === 123) {
        if (++flow + indents.length > limit) return i;
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
      i++;
    }
  }
  return -1;
}

/** The offset after a quoted scalar starting at `i` (double quotes with `\` escapes, single with `''`). */
function skipQuoted(text: string, i: number): number {
  const q = text.charCodeAt(i);
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (q === 34 && c === 92) j += 2;
    else if (c === q) {
      if (q === 39 && text.charCodeAt(j + 1) === 39) j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
