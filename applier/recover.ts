/**
 * After a crash: the journal still lists the operations that were in flight. A create may have
 * made its cloud object without the state recording it; the provider finds such an object by
 * the lineage and address it was tagged with, and it is recorded tainted (the next plan
 * replaces it) — never orphaned, never created twice. Other operations are closed: the
 * refresh before the next plan reads what they left.
 */
import * as catalog from '../schemas/catalog.js';
import { parseAddress, type Lock, type StateStore } from '../state/index.js';
import type { Provider, ProviderContext } from '../providers/provider.js';

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
  try {
    for (const entry of open) {
      const recorded = state.resources.find((r) => r.address === entry.address);
      const impl = entry.action === 'create' ? provider.resourceType(parseAddress(entry.address).type) : undefined;
      const ctx: ProviderContext = {
        address: entry.address,
        stack: { name: stack, lineage: state.lineage },
        signal,
        progress: () => {},
        conductor: () => (provider.conductor ? provider.conductor() : Promise.reject(new Error('no conductor'))),
      };
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
