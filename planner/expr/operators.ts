import type { BinaryOp } from './ast.js';
import { describeValueType, toBoolLoose, toNumberLoose, unknownBool, unknownNumber, valueEquals } from '../../core/primitives.js';
import { Unknown, type Value } from '../../core/value.js';

/**
 * HCL's operators. Arithmetic and comparison take numbers (numeric strings are converted),
 * `&&`/`||`/`!` take bools ("true"/"false" converted), `==`/`!=` compare deeply without
 * conversion. An unknown operand gives an unknown result of the operator's type, after the
 * known operand has been checked.
 */
export class OperandError {
  constructor(
    readonly side: 'left' | 'right',
    readonly summary: string,
  ) {}
}

export function binaryOp(op: BinaryOp, l: Value, r: Value): Value | OperandError {
  switch (op) {
    case '==':
    case '!=': {
      const eq = valueEquals(l, r);
      if (eq === undefined) return unknownBool;
      return op === '==' ? eq : !eq;
    }
    case '&&':
    case '||': {
      const a = boolOperand(l, 'left', op);
      if (a instanceof OperandError) return a;
      const b = boolOperand(r, 'right', op);
      if (b instanceof OperandError) return b;
      if (op === '&&') {
        if (a === false || b === false) return false;
        if (a === undefined || b === undefined) return unknownBool;
        return true;
      }
      if (a === true || b === true) return true;
      if (a === undefined || b === undefined) return unknownBool;
      return false;
    }
    default: {
      const a = numberOperand(l, 'left', op);
      if (a instanceof OperandError) return a;
      const b = numberOperand(r, 'right', op);
      if (b instanceof OperandError) return b;
      const comparison = op === '<' || op === '<=' || op === '>' || op === '>=';
      if (a === undefined || b === undefined) return comparison ? unknownBool : unknownNumber;
      return arithmetic(op, a, b);
    }
  }
}

function arithmetic(op: BinaryOp, a: number, b: number): Value | OperandError {
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      if (a === 0 && b === 0) return new OperandError('right', "Can't divide zero by zero");
      if (!Number.isFinite(a) && !Number.isFinite(b)) return new OperandError('right', "Can't divide infinity by infinity");
      return a / b;
    case '%':
      // cty: x % 0 is x; infinities give an infinity of the product's sign.
      if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b;
      if (b === 0) return a;
      return a % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return new OperandError('left', `Unsupported operator ${op}`);
  }
}

function finite(n: number): number | OperandError {
  if (Number.isNaN(n)) return new OperandError('right', 'The result is not a number (infinity minus infinity or zero times infinity)');
  return n;
}

/** A number, undefined for unknown, or an error. */
function numberOperand(v: Value, side: 'left' | 'right', op: string): number | undefined | OperandError {
  if (v instanceof Unknown) return undefined;
  const n = toNumberLoose(v);
  if (n !== undefined) return n;
  const what = v === null ? 'null' : typeof v === 'string' ? `the string ${JSON.stringify(clip(v))}` : `a ${describeValueType(v)}`;
  return new OperandError(side, `Invalid ${side} operand of \`${op}\`: a number is required, got ${what}`);
}

function boolOperand(v: Value, side: 'left' | 'right', op: string): boolean | undefined | OperandError {
  if (v instanceof Unknown) return undefined;
  const b = toBoolLoose(v);
  if (b !== undefined) return b;
  const what = v === null ? 'null' : typeof v === 'string' ? `the string ${JSON.stringify(clip(v))}` : `a ${describeValueType(v)}`;
  return new OperandError(side, `Invalid ${side} operand of \`${op}\`: a bool is required, got ${what}`);
}

export function unaryOp(op: '!' | '-', v: Value): Value | OperandError {
  if (op === '!') {
    const b = boolOperand(v, 'right', '!');
    if (b instanceof OperandError) return b;
    return b === undefined ? unknownBool : !b;
  }
  const n = numberOperand(v, 'right', '-');
  if (n instanceof OperandError) return n;
  return n === undefined ? unknownNumber : n === 0 ? 0 : -n;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
