import type { Expr } from '../expr/ast.js';
import type { Range } from '../../core/source.js';

/**
 * The configuration body of a resource, provider or nested block, as written. HCL bodies have
 * attributes and blocks; YAML/HOT property maps have attributes only. `decode.ts` turns a body
 * into one object expression using the resource type's schema.
 */
export interface Body {
  attributes: Attribute[];
  blocks: Block[];
  range: Range;
}

export interface Attribute {
  name: string;
  nameRange: Range;
  value: Expr;
  range: Range;
}

export interface Block {
  type: string;
  typeRange: Range;
  labels: string[];
  labelRanges: Range[];
  body: Body;
  range: Range;
}
