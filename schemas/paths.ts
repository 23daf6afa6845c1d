import type { Step } from './schema-tree.js';

/** Attribute paths: JSON pointers (ajv's instancePath) ↔ steps, and how users see them. */

export function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** Steps of a JSON pointer, with list indices as numbers (decided by walking `data`). */
export function pointerSteps(ptr: string, data: unknown): Step[] {
  if (ptr === '') return [];
  const steps: Step[] = [];
  let cur: unknown = data;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^(0|[1-9][0-9]*)$/.test(key)) {
      const i = Number(key);
      steps.push(i);
      cur = cur[i];
    } else {
      steps.push(key);
      cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return steps;
}

/** The value at a path in plain data, or undefined. */
export function valueAt(data: unknown, path: readonly Step[]): unknown {
  let cur = data;
  for (const step of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/** `volume.size`, `users[0].password`, `values["max-conn"]`. */
export function showPath(path: readonly Step[]): string {
  let s = '';
  for (const step of path) {
    if (typeof step === 'number') s += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) s += s === '' ? step : `.${step}`;
    else s += `[${JSON.stringify(step)}]`;
  }
  return s;
}

/** True if `ptr` is `base` or inside it. */
export function isAtOrUnder(ptr: string, base: string): boolean {
  return ptr === base || ptr.startsWith(`${base}/`);
}
