import type { Expr, ObjectExpr, ObjectItem } from '../expr/ast.js';
import type { AliasEntry } from '../model/aliases.js';
import { error, warning, type Diagnostic } from '../../core/diagnostics.js';
import { findItem, itemKey, objectExpr, str } from './expr-build.js';

/**
 * Rewrites a decoded source-type body (Terraform / Heat attribute names) into the native
 * type's attribute names, as the alias table says. Mutates and returns `obj`.
 */
export function applyAlias(obj: ObjectExpr, alias: AliasEntry, address: string, diags: Diagnostic[]): ObjectExpr {
  for (const [name, reason] of Object.entries(alias.ignored ?? {})) {
    const item = findItem(obj, name);
    if (!item) continue;
    obj.items.splice(obj.items.indexOf(item), 1);
    diags.push(warning(`\`${name}\` is ignored in ${address}: ${reason}`, item.key.range, undefined, address));
  }
  for (const r of alias.reshape ?? []) {
    const item = findItem(obj, r.from);
    if (!item) continue;
    const map = nameValueListToMap(item.value, r.keyField, r.valueField);
    if (!map) {
      diags.push(error(`\`${r.from}\` in ${address} must be a list of {${r.keyField}, ${r.valueField}} objects`, item.value.range, undefined, address));
      continue;
    }
    item.key = str(r.to, item.key.range);
    item.value = map;
  }
  for (const [from, to] of Object.entries(alias.rename ?? {})) {
    const item = findItem(obj, from);
    if (!item) continue;
    obj.items.splice(obj.items.indexOf(item), 1);
    placeAt(obj, to.split('.'), item, address, diags);
  }
  for (const [list, renames] of Object.entries(alias.items ?? {})) {
    const item = findItem(obj, list);
    if (item) for (const o of listItemObjects(item.value)) renameKeys(o, renames, address, diags);
  }
  return obj;
}

/** Puts `item` at a dotted path, creating nested objects (`size` → `volume.size`). */
function placeAt(obj: ObjectExpr, path: string[], item: ObjectItem, address: string, diags: Diagnostic[]): void {
  let target = obj;
  for (const seg of path.slice(0, -1)) {
    const existing = findItem(target, seg);
    if (!existing) {
      const nested = objectExpr([], item.key.range);
      target.items.push({ key: str(seg, item.key.range), value: nested, bareKey: true });
      target = nested;
    } else if (existing.value.kind === 'object') {
      target = existing.value;
    } else {
      diags.push(error(`\`${itemKey(item)}\` conflicts with \`${seg}\` in ${address}: set one of them`, item.key.range, undefined, address));
      return;
    }
  }
  const last = path[path.length - 1]!;
  if (findItem(target, last)) {
    diags.push(error(`\`${itemKey(item)}\` and \`${path.join('.')}\` are both set in ${address}: set one of them`, item.key.range, undefined, address));
    return;
  }
  target.items.push({ ...item, key: str(last, item.key.range) });
}

function renameKeys(o: ObjectExpr, renames: Record<string, string>, address: string, diags: Diagnostic[]): void {
  for (const [from, to] of Object.entries(renames)) {
    const item = findItem(o, from);
    if (!item) continue;
    o.items.splice(o.items.indexOf(item), 1);
    placeAt(o, to.split('.'), item, address, diags);
  }
}

/** The object expressions that make up a list attribute: tuple items, or a `for`'s body. */
function listItemObjects(e: Expr): ObjectExpr[] {
  if (e.kind === 'tuple') return e.items.filter((i): i is ObjectExpr => i.kind === 'object');
  if (e.kind === 'for' && e.value.kind === 'object') return [e.value];
  if (e.kind === 'call' && e.name === 'concat') return e.args.flatMap(listItemObjects);
  return [];
}

/** `[{name = "a", value = 1}, …]` → `{a = 1, …}`; a dynamic block's `for` becomes an object `for`. */
function nameValueListToMap(e: Expr, keyField: string, valueField: string): Expr | undefined {
  if (e.kind === 'tuple') {
    const items: ObjectItem[] = [];
    for (const o of e.items) {
      if (o.kind !== 'object') return undefined;
      const k = findItem(o, keyField);
      const v = findItem(o, valueField);
      if (!k || !v) return undefined;
      items.push({ key: k.value, value: v.value });
    }
    return objectExpr(items, e.range);
  }
  if (e.kind === 'for' && e.value.kind === 'object') {
    const k = findItem(e.value, keyField);
    const v = findItem(e.value, valueField);
    if (!k || !v) return undefined;
    return { ...e, key: k.value, value: v.value, result: 'object' };
  }
  return undefined;
}
