import { hasKey } from '../../../core/primitives.js';
import { isObject, type Value } from '../../../core/value.js';
import { FunctionError } from './def.js';

/**
 * HOT `yaql: {expression, data}`. dbstack does not run YAQL; it evaluates only trivial
 * expressions — a literal (number, 'string', "string", true, false, null) or a path into the
 * data (`$.data`, `$.data.a.b`) — and reports anything else.
 */
const NUMBER = /^-?\d+(\.\d+)?$/;
const PATH = /^\$\.data((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

export function yaql(a: Value): Value {
  if (!isObject(a) || !hasKey(a, 'expression') || Object.keys(a).some((k) => k !== 'expression' && k !== 'data')) {
    throw new FunctionError('"yaql" syntax should be yaql: {expression: "$.data.var1.sum()", data: {var1: [3, 2, 1]}}', 0);
  }
  const expr = a.expression!;
  if (typeof expr !== 'string') throw new FunctionError('The "expression" argument to yaql must contain a string.', 0);
  const e = expr.trim();
  if (NUMBER.test(e)) return Number(e);
  if (e === 'true' || e === 'false') return e === 'true';
  if (e === 'null') return null;
  if (e.length >= 2 && (e[0] === "'" || e[0] === '"') && e[e.length - 1] === e[0] && !e.slice(1, -1).includes(e[0])) {
    return e.slice(1, -1);
  }
  const path = PATH.exec(e);
  if (path) {
    let v: Value = hasKey(a, 'data') ? a.data! : null;
    for (const name of path[1]!.split('.').slice(1)) {
      if (!isObject(v) || !hasKey(v, name)) return null;
      v = v[name]!;
    }
    return v;
  }
  throw new FunctionError(`yaql expressions are not evaluated by dbstack: ${JSON.stringify(expr)}`, 0);
}
