import type { Range } from './source.js';

/**
 * A problem a user can cause (bad stack file, bad value, unknown type). Collected and
 * returned, never thrown one at a time, so one run reports every error in a file.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  range?: Range;
  address?: string;
}

export function error(summary: string, range?: Range, detail?: string, address?: string): Diagnostic {
  return clean({ severity: 'error', summary, detail, range, address });
}

export function warning(summary: string, range?: Range, detail?: string, address?: string): Diagnostic {
  return clean({ severity: 'warning', summary, detail, range, address });
}

function clean(d: Diagnostic): Diagnostic {
  for (const k of ['detail', 'range', 'address'] as const) if (d[k] === undefined) delete d[k];
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/**
 * Errors with no place in a file (an unreadable file, a bad -var): nothing sensible can be
 * resolved after them. Located errors are marked in the document (their constructs evaluate
 * to unknown), so resolving goes on and one run reports every error.
 */
export function hasFatalErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error' && !d.range);
}

/**
 * Thrown only inside a loader to unwind from deep recursion; the loader's entry point catches
 * it and returns it as a diagnostic. It never crosses a module boundary.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
  }
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined if none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
