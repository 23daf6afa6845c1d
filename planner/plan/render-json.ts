import { isObject, isUnknown, type Value } from '../../core/value.js';
import type { Path, Plan, ResourceChange } from './types.js';

export const DBSTACK_VERSION = '0.1.0';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The plan in the shape of `terraform show -json` (format 1.2), so pull-request tools that read
 * Terraform plans work unchanged. Unknown values are null with `after_unknown` marking them;
 * sensitive values are never printed: they are null with `*_sensitive` marking them.
 */
export function planJson(plan: Plan): object {
  return {
    format_version: '1.2',
    terraform_version: DBSTACK_VERSION,
    dbstack: { version: DBSTACK_VERSION, stack: plan.stack, lineage: plan.lineage, serial: plan.serial, mode: plan.mode },
    variables: Object.fromEntries(Object.entries(plan.variables).filter(([, v]) => !v.sensitive).map(([k, v]) => [k, { value: known(v.value) }])),
    resource_changes: plan.resourceChanges.map(resourceChange),
    output_changes: Object.fromEntries(
      plan.outputChanges.map((o) => [
        o.name,
        {
          actions: o.actions,
          before: o.sensitive ? null : known(o.before),
          after: o.sensitive ? null : known(o.after),
          after_unknown: unknownMarks(o.after),
          before_sensitive: o.sensitive,
          after_sensitive: o.sensitive,
        },
      ]),
    ),
    prior_state: plan.prior
      ? {
          format_version: '1.0',
          terraform_version: DBSTACK_VERSION,
          values: {
            outputs: Object.fromEntries(plan.prior.outputs.map((o) => [o.name, { sensitive: o.sensitive, value: o.sensitive ? null : known(o.value) }])),
            root_module: {
              resources: plan.prior.resources.map((r) => ({
                address: r.address,
                mode: r.mode,
                type: r.type,
                name: r.name,
                ...(r.key !== undefined ? { index: r.key } : {}),
                provider_name: 'dbstack',
                values: redact(r.attributes, sensitiveIn(plan, r.address, 'before')),
                sensitive_values: marks(sensitiveIn(plan, r.address, 'before')),
              })),
            },
          },
        }
      : null,
    timestamp: plan.createdAt,
    errored: plan.diagnostics.some((d) => d.severity === 'error'),
  };
}

function sensitiveIn(plan: Plan, address: string, side: 'before'): Path[] {
  const c = plan.resourceChanges.find((x) => x.address === address);
  return c ? c[`${side}Sensitive`] : [];
}

function resourceChange(c: ResourceChange): object {
  return {
    address: c.address,
    mode: c.mode,
    type: c.type,
    name: c.name,
    ...(c.index !== undefined ? { index: c.index } : {}),
    provider_name: 'dbstack',
    change: {
      actions: c.actions,
      before: redact(c.before, c.beforeSensitive),
      after: redact(c.after, c.afterSensitive),
      after_unknown: unknownMarks(c.after),
      before_sensitive: marks(c.beforeSensitive),
      after_sensitive: marks(c.afterSensitive),
      ...(c.replacePaths.length ? { replace_paths: c.replacePaths } : {}),
    },
    ...(c.actionReason ? { action_reason: c.actionReason } : {}),
  };
}

/** The value with unknowns as null and the given paths' values removed (null). */
export function redact(v: Value | null, sensitive: Path[]): Json {
  let out = known(v);
  for (const p of sensitive) out = setNull(out, p);
  return out;
}

function known(v: Value | null): Json {
  if (v === null || isUnknown(v)) return null;
  if (Array.isArray(v)) return v.map(known);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, known(x)]));
  return v as Json;
}

function setNull(v: Json, path: Path): Json {
  if (path.length === 0) return null;
  const [h, ...rest] = path;
  if (Array.isArray(v) && typeof h === 'number' && h < v.length) return v.map((x, i) => (i === h ? setNull(x, rest) : x));
  if (v && typeof v === 'object' && !Array.isArray(v) && String(h) in v) return { ...v, [String(h)]: setNull(v[String(h)]!, rest) };
  return v;
}

/** Terraform's unknown/sensitive mark structure: `true` at marked paths, containers mirrored. */
function unknownMarks(v: Value | null): Json {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.map(unknownMarks);
  if (v !== null && isObject(v)) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) {
      const m = unknownMarks(x);
      if (m !== false && !(typeof m === 'object' && m !== null && Object.keys(m).length === 0)) out[k] = m;
    }
    return out;
  }
  return false;
}

function marks(paths: Path[]): Json {
  let out: Json = {};
  for (const p of paths) {
    if (p.length === 0) return true;
    out = markAt(out, p);
  }
  return out;
}

function markAt(v: Json, path: Path): Json {
  if (path.length === 0) return true;
  const [h, ...rest] = path;
  if (typeof h === 'number') {
    const arr: Json[] = Array.isArray(v) ? v.slice() : [];
    while (arr.length <= h) arr.push(false);
    arr[h] = markAt(arr[h] ?? {}, rest);
    return arr;
  }
  const obj: { [k: string]: Json } = v && typeof v === 'object' && !Array.isArray(v) ? { ...v } : {};
  obj[h!] = markAt(obj[h!] ?? {}, rest);
  return obj;
}

