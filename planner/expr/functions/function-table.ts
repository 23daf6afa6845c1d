import { cfnFunctions } from './cfn.js';
import { collectionFunctions } from './collection.js';
import { setFunctions } from './sets.js';
import type { FunctionDef } from './def.js';
import { encodingFunctions } from './encoding.js';
import { filesystemFunctions } from './filesystem.js';
import { hashFunctions } from './hash.js';
import { hotFunctions } from './hot.js';
import { hotStringFunctions } from './hot-strings.js';
import { ipFunctions } from './ip.js';
import { numericFunctions } from './numeric.js';
import { regexFunctions } from './regex.js';
import { stringFunctions } from './string.js';
import { formatFunctions } from './format.js';
import { timeFunctions } from './time.js';
import { typeFunctions } from './typeconv.js';

export { FunctionError, type CallContext, type FunctionDef } from './def.js';

/**
 * The one function table: HCL/Terraform functions, Heat HOT intrinsics (by their HOT
 * names; `hot:contains` where HOT's name collides with Terraform's `contains`) and the
 * CloudFormation `Fn::*` functions Heat supports.
 */
const table = new Map<string, FunctionDef>();

for (const group of [
  numericFunctions,
  stringFunctions,
  formatFunctions,
  regexFunctions,
  collectionFunctions,
  setFunctions,
  encodingFunctions,
  hashFunctions,
  ipFunctions,
  typeFunctions,
  timeFunctions,
  filesystemFunctions,
  hotFunctions,
  hotStringFunctions,
  cfnFunctions,
]) {
  for (const def of group) {
    if (table.has(def.name)) throw new Error(`function ${def.name} registered twice`);
    table.set(def.name, def);
  }
}

export function lookupFunction(name: string): FunctionDef | undefined {
  return table.get(name);
}

export function functionNames(): string[] {
  return [...table.keys()].sort();
}
