import { lstatSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SYSTEM_VOLUME_ROOT } from '../../providers/local/supervisor/paths.js';

/**
 * Removes a test's directory and, as root, the volumes its local clouds keep in
 * /var/lib/dbstack/volumes (linked from `volumes/<id>` in each state dir): removing the
 * directory alone would leave every engine's data there, run after run.
 */
export function removeLocalCloudDir(dir: string): void {
  for (const link of volumeLinks(dir, 4)) {
    let target: string | undefined;
    try { target = readlinkSync(link); } catch { /* not a link */ }
    if (target === join(SYSTEM_VOLUME_ROOT, basename(link))) rmSync(target, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** The entries of every `volumes` directory under `dir` (a few levels deep: `.dbstack/local/volumes`). */
function volumeLinks(dir: string, depth: number): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const out: string[] = [];
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try { st = lstatSync(p); } catch { continue; }
    if (!st.isDirectory()) continue;
    if (name === 'volumes') out.push(...readdirSync(p).map((id) => join(p, id)));
    else if (depth > 0) out.push(...volumeLinks(p, depth - 1));
  }
  return out;
}
