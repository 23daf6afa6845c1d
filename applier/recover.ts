/**
 * After a crash: the journal still lists the operations that were in flight. A create may have
 * made its cloud object without the state recording it; the provider finds such an object by
 * the lineage and address it was tagged with, and it is recorded tainted (the next plan
 * replaces it) — never orphaned, never created twice. An interrupted delete is finished here
 * (an object already gone counts as deleted) and removed from the state in the same run that
 * closes its journal entry, so a crash right after never leaves a recorded object that no
 * longer exists. Other operations are closed: the refresh before the next plan reads what they left.
 */
import * as catalog from '../schemas/catalog.js';
import { parseAddress, type Lock, type StateStore } from '../state/index.js';
import type { Provider } from '../providers/provider.js';
import { providerContext } from './context.js';
import { priorFromSnapshot } from '../planner/plan/prior.js';
import { priorObject } from './record.js';

export interface Recovery {
  adopted: string[];
  closed: string[];
}

export async function recoverInterrupted(store: StateStore, stack: string, provider: Provider, lock: Lock, signal: AbortSignal): Promise<Recovery> {
  const open = store.openJournal(stack);
  const out: Recovery = { adopted: [], closed: [] };
  const state = store.readState(stack);
  if (!open.length || !state) return out;
  const run = store.beginRun(stack, { command: 'recover', lineage: state.lineage, expectedSerial: state.serial, lock });
  const prior = priorFromSnapshot(state)!;
  try {
    for (const entry of open) {
      const recorded = state.resources.find((r) => r.address === entry.address);
      if (entry.action === 'delete' && recorded) {
        // The delete had begun (the object may be half gone, its engine stopped): finish it.
        const impl = provider.resourceType(parseAddress(entry.address).type);
        const ctx = providerContext(provider, { address: entry.address, stack, lineage: state.lineage, signal, resources: () => prior.resources });
        const finished = impl ? await impl.delete(ctx, priorObject(prior.resources.find((r) => r.address === entry.address)!)).then(() => true, () => false) : false;
        if (finished) {
          run.deleteResource(entry.address);
          store.journalEnd(entry.id, 'succeeded', { reason: 'interrupted; finished by the next run' });
          out.closed.push(entry.address);
          continue;
        }
      }
      const impl = entry.action === 'create' ? provider.resourceType(parseAddress(entry.address).type) : undefined;
      const ctx = providerContext(provider, { address: entry.address, stack, lineage: state.lineage, signal, resources: () => [] });
      const found = impl?.adopt ? await impl.adopt(ctx) : undefined;
      if (found && found.id !== recorded?.providerId) {
        const sensitive = catalog.sensitivePaths('managed', parseAddress(entry.address).type);
        run.commitResource({
          address: entry.address,
          provider: provider.name,
          providerId: found.id,
          inputs: found.attributes,
          attributes: { ...found.attributes, id: found.id },
          status: 'tainted',
          sensitive: { inputs: sensitive, attributes: sensitive },
          ...(found.private ? { private: found.private } : {}),
        });
        store.journalEnd(entry.id, 'adopted', { id: found.id });
        out.adopted.push(entry.address);
      } else {
        store.journalEnd(entry.id, 'abandoned', { reason: 'interrupted; the refresh before the next plan reads what it left' });
        out.closed.push(entry.address);
      }
    }
  } finally {
    run.finish('applied');
  }
  return out;
}
