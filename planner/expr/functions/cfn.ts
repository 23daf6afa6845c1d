import { parseJsonValue } from '../../../core/json.js';
import { describeValueType, hasKey, unknownList } from '../../../core/primitives.js';
import { isObject, newObject, type Value } from '../../../core/value.js';
import { FunctionError, type FunctionDef } from './def.js';
import { hotFunctions } from './hot.js';
import { strReplace } from './hot-strings.js';

/**
 * The CloudFormation functions Heat accepts in CFN-format templates (heat/engine/cfn/
 * functions.py), with list arguments passed as separate arguments. Conditions reuse the HOT
 * implementations.
 */

function select(index: Value, coll: Value): Value {
  if (coll === '' || coll === null) return '';
  let c: Value = coll;
  if (typeof c === 'string') {
    try {
      c = parseJsonValue(c);
    } catch (e) {
      throw new FunctionError(`"Fn::Select": ${(e as Error).message}`, 1);
    }
  }
  if (isObject(c)) {
    if (typeof index !== 'string') throw new FunctionError('Index to "Fn::Select" must be a string', 0);
    return hasKey(c, index) ? c[index]! : '';
  }
  if (Array.isArray(c)) {
    const i = typeof index === 'number' ? index : typeof index === 'string' && /^\s*[-+]?\d+\s*$/.test(index) ? Number(index) : NaN;
    if (!Number.isInteger(i)) throw new FunctionError('Index to "Fn::Select" must be an integer', 0);
    const at = i < 0 ? c.length + i : i;
    return at >= 0 && at < c.length ? c[at]! : '';
  }
  throw new FunctionError(`Arguments to "Fn::Select" not fully resolved: cannot select from a ${describeValueType(c)}`, 1);
}

function join(delim: Value, list: Value): string {
  const items = list === null ? [] : list;
  if (!Array.isArray(items)) throw new FunctionError('"Fn::Join" must operate on a list', 1);
  if (typeof delim !== 'string') throw new FunctionError('"Fn::Join" delimiter must be a string', 0);
  return items
    .map((s) => {
      if (s === null) return '';
      if (typeof s !== 'string') throw new FunctionError(`Items to join must be strings not ${JSON.stringify(s)}`, 1);
      return s;
    })
    .join(delim);
}

/** AWS member lists (`.member.N.Name=k`, `.member.N.Value=v`) to a map, as Heat's MemberListToMap. */
function memberListToMap(keyName: Value, valueName: Value, list: Value): Value {
  if (typeof keyName !== 'string') throw new FunctionError('Fn::MemberListToMap Key Name must be a string', 0);
  if (typeof valueName !== 'string') throw new FunctionError('Fn::MemberListToMap Value Name must be a string', 1);
  if (!Array.isArray(list)) throw new FunctionError('Member list must be a list', 2);
  const partials = new Map<string, string>();
  for (const s of list) {
    if (typeof s !== 'string') throw new FunctionError('Member list items must be strings', 2);
    const eq = s.indexOf('=');
    if (eq < 0) throw new FunctionError(`Member list item ${JSON.stringify(s)} has no "="`, 2);
    partials.set(s.slice(0, eq), s.slice(eq + 1));
  }
  const members = new Map<number, Map<string, string>>();
  for (const [name, v] of partials) {
    const m = /^\.member\.([0-9]+)\.([\s\S]*)$/.exec(name);
    if (!m) continue;
    const i = Number(m[1]);
    if (!members.has(i)) members.set(i, new Map());
    members.get(i)!.set(m[2]!, v);
  }
  const out = newObject();
  for (const i of [...members.keys()].sort((a, b) => a - b)) {
    const m = members.get(i)!;
    if (m.has(keyName) && m.has(valueName)) out[m.get(keyName)!] = m.get(valueName)!;
  }
  return out;
}

function alias(name: string, hotName: string): FunctionDef {
  const def = hotFunctions.find((d) => d.name === hotName)!;
  return { ...def, name };
}

export const cfnFunctions: FunctionDef[] = [
  { name: 'Fn::Select', minArgs: 2, maxArgs: 2, impl: ([i, c]) => select(i!, c!) },
  {
    name: 'Fn::Split',
    minArgs: 2,
    maxArgs: 2,
    impl: ([d, s]) => {
      if (typeof d !== 'string') throw new FunctionError('Delimiter for Fn::Split must be string', 0);
      if (typeof s !== 'string') throw new FunctionError(`String to split must be string; got ${describeValueType(s!)}`, 1);
      return s.split(d);
    },
  },
  { name: 'Fn::Join', minArgs: 2, maxArgs: 2, impl: ([d, l]) => join(d!, l!) },
  { name: 'Fn::GetAZs', minArgs: 0, maxArgs: 1, acceptsUnknown: true, impl: () => unknownList },
  {
    name: 'Fn::Base64',
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => {
      if (typeof s !== 'string') throw new FunctionError('"Fn::Base64" argument must be a string', 0);
      return s;
    },
  },
  { name: 'Fn::Replace', minArgs: 2, maxArgs: 2, impl: ([m, s]) => strReplace('Fn::Replace', 'plain', s!, m!, 0) },
  { name: 'Fn::MemberListToMap', minArgs: 3, maxArgs: 3, impl: ([k, v, l]) => memberListToMap(k!, v!, l!) },
  alias('Fn::Equals', 'equals'),
  alias('Fn::Not', 'not'),
  alias('Fn::And', 'and'),
  alias('Fn::Or', 'or'),
];
