import { redact } from '../../planner/plan/render-json.js';
import type { Path } from '../../planner/plan/types.js';
import { concretePaths } from '../../planner/plan/paths.js';
import type { StateSnapshot } from '../../state/index.js';

/** A state as JSON with every sensitive value removed (null), marked in `sensitive_values`. */
export function redactState(s: StateSnapshot): { lineage: string; serial: number; resources: { address: string; values: unknown; sensitive_values: Path[] }[]; outputs: object } {
  return {
    lineage: s.lineage,
    serial: s.serial,
    resources: s.resources.map((r) => {
      const paths = concretePaths(r.attributes, r.sensitive.attributes.map((p) => p.map(String)));
      return { address: r.address, type: r.type, status: r.status, provider_id: r.providerId, values: redact(r.attributes, paths), sensitive_values: paths };
    }),
    outputs: Object.fromEntries(s.outputs.map((o) => [o.name, { sensitive: o.sensitive, value: o.sensitive ? null : o.value }])),
  };
}
