import type { ForExpr } from './ast.js';
import type { Evaluator, ScopeVar } from './eval-node.js';
import { describeValueType, hasKey, primitiveToString, sortedKeys, toBoolLoose, unknownList, unknownObject, unknownString } from '../../core/primitives.js';
import { isObject, newObject, Unknown, unknown, type Value, type ValueObject } from '../../core/value.js';

/**
 * `[for k, v in coll : value if cond]`, `{for k, v in coll : key => value... if cond}` and
 * template `%{for}`. Lists iterate by index, objects by key in lexical order (as cty does).
 * An unknown collection, condition or key makes the whole result unknown.
 */
export function evalFor(ev: Evaluator, e: ForExpr): Value {
  const coll = ev.eval(e.collection);
  const unknownResult = e.result === 'tuple' ? unknownList : e.result === 'object' ? unknownObject : unknownString;
  if (coll instanceof Unknown) return unknownResult;
  if (coll === null) {
    ev.error('Iteration over null value', e.collection.range, 'A null value cannot be used as the collection in a `for` expression.');
    return unknown;
  }
  let keys: (string | number)[] | undefined;
  let list: Value[] | undefined;
  let obj: ValueObject | undefined;
  if (Array.isArray(coll)) list = coll;
  else if (isObject(coll)) {
    obj = coll;
    keys = sortedKeys(coll);
  } else {
    ev.error(
      `Iteration over non-iterable value: a ${describeValueType(coll)} cannot be used as the collection in a \`for\` expression`,
      e.collection.range,
    );
    return unknown;
  }
  const count = list ? list.length : keys!.length;

  const saved = ev.scope;
  const valueVar: ScopeVar = { name: e.valueVar, value: null, parent: saved };
  const keyVar: ScopeVar | undefined = e.keyVar !== undefined ? { name: e.keyVar, value: null, parent: valueVar } : undefined;
  ev.scope = keyVar ?? valueVar;

  const tuple: Value[] = [];
  const object = newObject();
  const groups = new Map<string, Value[]>();
  let text = '';
  let unk = false;
  try {
    for (let i = 0; i < count; i++) {
      if (list) {
        valueVar.value = list[i]!;
        if (keyVar) keyVar.value = i;
      } else {
        const k = keys![i] as string;
        valueVar.value = obj![k]!;
        if (keyVar) keyVar.value = k;
      }
      if (e.cond) {
        const c = ev.eval(e.cond);
        if (c instanceof Unknown) {
          unk = true;
          continue;
        }
        const b = toBoolLoose(c);
        if (b === undefined) {
          ev.error(
            `Invalid \`for\` condition: a bool is required, not ${describeValueType(c)}`,
            e.cond.range,
            'The condition after `if` must be true or false for every element.',
          );
          unk = true;
          continue;
        }
        if (!b) continue;
      }
      if (e.result === 'object') {
        const kv = e.key ? ev.eval(e.key) : unknown;
        if (!e.key) ev.error('An object `for` expression needs a key expression', e.range);
        const v = ev.eval(e.value);
        if (kv instanceof Unknown) {
          unk = true;
          continue;
        }
        const key = primitiveToString(kv);
        if (key === undefined) {
          ev.error(
            kv === null ? 'Invalid object key: the key expression produced null' : `Invalid object key: a key must be a string, not ${describeValueType(kv)}`,
            e.key!.range,
          );
          unk = true;
          continue;
        }
        if (e.grouping) {
          const g = groups.get(key);
          if (g) g.push(v);
          else groups.set(key, [v]);
        } else if (hasKey(object, key)) {
          ev.error(
            `Duplicate object key ${JSON.stringify(key)} in \`for\` expression`,
            e.key!.range,
            'Two elements produced the same key. If duplicates are expected, add an ellipsis (...) after the value expression to group the values by key.',
          );
          unk = true;
        } else object[key] = v;
      } else if (e.result === 'string') {
        const v = ev.eval(e.value);
        if (typeof v === 'string') text += v;
        else if (ev.appendable(v, e.value.range)) text += primitiveToString(v)!;
        else unk = true;
      } else {
        tuple.push(ev.eval(e.value));
      }
    }
  } finally {
    ev.scope = saved;
  }
  if (unk) return unknownResult;
  if (e.result === 'tuple') return tuple;
  if (e.result === 'string') return text;
  if (e.grouping) for (const [k, g] of groups) object[k] = g;
  return object;
}
