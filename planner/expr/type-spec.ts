import type { Value } from '../../core/value.js';

/**
 * A type constraint: HCL's (`string`, `list(string)`, `object({…})`, `optional(T, default)`)
 * or a Heat HOT parameter type, which converts with Heat's own rules.
 */
export type TypeSpec =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'any' }
  | { kind: 'list'; element: TypeSpec }
  | { kind: 'set'; element: TypeSpec }
  | { kind: 'map'; element: TypeSpec }
  | { kind: 'tuple'; elements: TypeSpec[] }
  | { kind: 'object'; attributes: { [name: string]: ObjectAttribute } }
  | { kind: 'hot'; hot: HotParameterType };

export interface ObjectAttribute {
  type: TypeSpec;
  optional: boolean;
  /** `optional(T, default)`: the default, already converted to T. */
  default?: Value;
}

export type HotParameterType = 'string' | 'number' | 'json' | 'comma_delimited_list' | 'boolean';

/** The type as it is written: `list(string)`, `object({a = number, b = optional(string)})`. */
export function describeType(t: TypeSpec): string {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'any':
      return t.kind;
    case 'list':
    case 'set':
    case 'map':
      return `${t.kind}(${describeType(t.element)})`;
    case 'tuple':
      return `tuple([${t.elements.map(describeType).join(', ')}])`;
    case 'object': {
      const parts = Object.keys(t.attributes).map((k) => {
        const a = t.attributes[k]!;
        return `${k} = ${a.optional ? `optional(${describeType(a.type)})` : describeType(a.type)}`;
      });
      return `object({${parts.join(', ')}})`;
    }
    case 'hot':
      return t.hot;
  }
}
