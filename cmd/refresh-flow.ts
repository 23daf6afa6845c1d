/** `dbstack refresh` and `plan -refresh-only`: read every recorded object back and show (and record) the drift. */
import { refreshPrior, type Drift } from '../applier/refresh.js';
import type { PriorState } from '../planner/plan/types.js';
import { hasFatalErrors, type Diagnostic } from '../core/diagnostics.js';
import { loadStackFiles, mergeDocuments } from '../planner/load/index.js';
import { collectVariables } from './variables.js';
import { priorFromSnapshot } from '../planner/plan/prior.js';
import { chooseProvider } from '../providers/select.js';
import { StateError, type Lock, type StateSnapshot, type StateStore } from '../state/index.js';
import { driftChange, renderDrift } from './drift.js';
import { Reporter } from './output/reporter.js';
import { openState, chooseStack, stackName, type StateOptions } from './state-options.js';

export async function runRefresh(files: string[], opts: StateOptions & { json?: boolean }, { write }: { write: boolean }): Promise<void> {
  const reporter = new Reporter(opts.json);
  const fail = (diags: Diagnostic[]) => {
    reporter.diagnostics(diags);
    process.exitCode = 1;
  };
  const loaded = files.length ? loadStackFiles(files) : undefined;
  const diags = [...(loaded?.diagnostics ?? [])];
  reporter.addSources(loaded?.sources ?? new Map());
  const variables = collectVariables([], [], diags, process.env, loaded?.sources);
  const choice = chooseProvider(loaded?.document ?? mergeDocuments([], []), process.env, diags, variables);
  if (hasFatalErrors(diags) || !choice) return fail(diags);
  const { store, diagnostic } = openState(opts, { write });
  if (!store) return fail([diagnostic!]);
  const provider = await choice.create({ startCloud: false });
  try {
    const stack = files.length ? stackName(opts, files) : chooseStack(store, opts).stack;
    if (!stack) return fail([chooseStack(store, opts).diagnostic!]);
    if (write) store.readState(stack); // a damaged state is reported before the lock is written
    const lock = write ? store.acquireLock(stack, { command: 'refresh' }) : undefined;
    try {
      const snap = store.readState(stack);
      const prior = priorFromSnapshot(snap);
      if (!snap || !prior) return reporter.out(`The stack ${stack} has no state yet: nothing to refresh.`);
      const r = await refreshPrior(prior, provider, { stack });
      for (const e of r.errors) reporter.diagnostics([{ severity: 'warning', summary: `could not refresh ${e.address}`, detail: e.message, address: e.address }]);
      if (opts.json) reporter.jsonLine({ type: 'drift', changes: r.drift.map(driftChange) });
      else reporter.out(r.drift.length ? renderDrift(r.drift, reporter.style) : 'No changes. The recorded state matches the real objects.');
      if (lock && r.drift.length) record(store, stack, snap, r.prior, r.drift, lock);
    } finally {
      lock?.release();
    }
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic()]);
    throw e;
  } finally {
    await provider.close();
    store.close();
  }
}

/** Records the refreshed objects in one run, keeping each resource's provider, dependencies and sensitive paths. */
function record(store: StateStore, stack: string, snap: StateSnapshot, refreshed: PriorState, drift: Drift[], lock: Lock): void {
  const run = store.beginRun(stack, { command: 'refresh', lineage: snap.lineage, expectedSerial: snap.serial, lock });
  const now = new Map(refreshed.resources.map((r) => [r.address, r]));
  for (const d of drift) {
    const r = now.get(d.address);
    const recorded = snap.resources.find((x) => x.address === d.address)!;
    if (!r) run.deleteResource(d.address);
    else run.commitResource({ ...recorded, inputs: r.inputs, attributes: r.attributes });
  }
  run.finish('applied');
}
