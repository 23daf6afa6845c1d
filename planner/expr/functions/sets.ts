import { sameValue, toSetList } from '../../../core/primitives.js';
import type { Value } from '../../../core/value.js';
import { argList } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/**
 * Set functions. Sets are lists without duplicates, in cty's set order (strings lexically,
 * numbers ascending); `setproduct` keeps its arguments' order, as Terraform does for lists.
 */

function sets(args: Value[]): Value[][] {
  return args.map((a, i) => toSetList(argList(a, i)));
}

function has(set: Value[], v: Value): boolean {
  return set.some((x) => sameValue(x, v));
}

function product(lists: Value[][]): Value[] {
  let out: Value[][] = [[]];
  for (const l of lists) {
    const next: Value[][] = [];
    for (const prefix of out) for (const v of l) next.push([...prefix, v]);
    out = next;
    if (out.length > 100_000) throw new FunctionError('the product has more than 100000 elements');
  }
  return lists.length === 0 ? [] : out;
}

export const setFunctions: FunctionDef[] = [
  {
    name: 'setintersection',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => {
      const [first, ...rest] = sets(args);
      return first!.filter((v) => rest.every((s) => has(s, v)));
    },
  },
  {
    name: 'setsubtract',
    minArgs: 2,
    maxArgs: 2,
    impl: (args) => {
      const [a, b] = sets(args);
      return a!.filter((v) => !has(b!, v));
    },
  },
  {
    name: 'setunion',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => toSetList(args.flatMap((a, i) => argList(a, i))),
  },
  {
    name: 'setproduct',
    minArgs: 2,
    maxArgs: Infinity,
    impl: (args) => product(args.map((a, i) => argList(a, i))),
  },
];
