import { aliasFor } from '../planner/model/aliases.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { baseAddress, noMatch } from '../planner/plan/make-plan.js';

/**
 * `-target`/`-replace` addresses whose resource (index aside) is neither declared in the stack
 * nor recorded in the state. Checked before `apply` takes the state's lock, so a typo changes
 * nothing; the planner checks whole instance addresses (`x[3]`) again once it has expanded them.
 */
export function unknownAddressFlags(flags: { target: string[]; replace: string[] }, document: StackDocument, recorded: string[]): Diagnostic[] {
  const known = new Set<string>();
  for (const r of document.resources) {
    known.add(`${r.mode === 'data' ? 'data.' : ''}${aliasFor(r.mode, r.sourceType)?.native ?? r.sourceType}.${r.name}`);
  }
  for (const a of recorded) known.add(baseAddress(a)).add(a);
  const out: Diagnostic[] = [];
  for (const [flag, list] of [['-target', flags.target], ['-replace', flags.replace]] as const) {
    for (const address of list) if (!known.has(baseAddress(address))) out.push(noMatch(flag, address, known));
  }
  return out;
}
