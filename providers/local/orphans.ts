/**
 * Agents (and their engines) left running by a supervisor that died without stopping them
 * (SIGKILL, OOM). Each instance's `agent.pid` records its agent's process group; a group
 * counts as this instance's only while it is alive and one of its members' command line names
 * the instance (so a pid reused by another program is never signalled).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { groupAlive, groupMentions, reapGroup } from './supervisor/agent-process.js';
import { stateLayout } from './supervisor/paths.js';

export interface Orphan { instanceId: string; pgid: number }

export function findOrphans(stateDir: string): Orphan[] {
  const layout = stateLayout(stateDir);
  let ids: string[];
  try { ids = readdirSync(layout.instancesDir); } catch { return []; }
  const out: Orphan[] = [];
  for (const instanceId of ids) {
    let pgid: number;
    try { pgid = Number(readFileSync(layout.agentPidFile(instanceId), 'utf8').trim()); } catch { continue; }
    if (Number.isInteger(pgid) && pgid > 1 && groupAlive(pgid) && groupMentions(pgid, instanceId)) out.push({ instanceId, pgid });
  }
  return out;
}

/** Stops every orphan's process group (SIGTERM: agents stop their engines; SIGKILL after 15 s). */
export async function stopOrphans(stateDir: string): Promise<Orphan[]> {
  const orphans = findOrphans(stateDir);
  await Promise.all(orphans.map((o) => reapGroup(o.pgid)));
  return orphans;
}
