/** Terraform's "Objects have changed outside of dbstack" note, drawn with the plan's own change renderer. */
import type { Drift } from '../applier/refresh.js';
import { changedPaths, concretePaths } from '../planner/plan/paths.js';
import { renderChange, type TextStyle } from '../planner/plan/render-text.js';
import type { ResourceChange } from '../planner/plan/types.js';
import { parseAddress } from '../state/index.js';
import * as catalog from '../schemas/catalog.js';

export function driftChange(d: Drift): ResourceChange {
  const a = parseAddress(d.address);
  const sensitive = catalog.sensitivePaths('managed', a.type);
  return {
    address: d.address,
    mode: 'managed',
    type: a.type,
    name: a.name,
    ...(a.indexKey !== null ? { index: a.indexKey } : {}),
    actions: [d.kind === 'deleted' ? 'delete' : 'update'],
    before: d.before,
    after: d.after,
    replacePaths: [],
    changedPaths: d.after ? changedPaths(d.before, d.after) : [],
    beforeSensitive: concretePaths(d.before, sensitive),
    afterSensitive: d.after ? concretePaths(d.after, sensitive) : [],
    dependencies: [],
    destroysData: false,
  };
}

export function renderDrift(drift: Drift[], style: TextStyle): string {
  const out = [style.bold('Note: objects have changed outside of dbstack'), '', 'dbstack detected the following changes made outside of dbstack since the last apply:', ''];
  for (const d of drift) {
    out.push(...renderChange(driftChange(d), style).map((l) => (d.kind === 'deleted' ? l.replace(/will be destroyed/, 'has been deleted') : l.replace(/will be updated in-place/, 'has changed'))), '');
  }
  return out.join('\n');
}
