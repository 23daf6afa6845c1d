import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (tests run from dist/test/…). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** `../shared/conformance` beside the project: real third-party inputs, never copied in. */
export const conformanceDir = resolve(projectRoot, '../shared/conformance');

/** Every file under `dir` whose name ends with one of `exts`, sorted. */
export function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (exts.some((e) => name.endsWith(e))) out.push(p);
    }
  };
  visit(dir);
  return out;
}
