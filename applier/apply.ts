/**
 * Executes a plan: walks its operations in dependency order with at most `parallelism` in
 * flight, journals each provider call before making it, and commits each finished resource
 * in its own transaction. On a failure (or a first interrupt) it starts nothing new and lets
 * running work finish and record; the abort signal (a second interrupt) cancels running work.
 */
import type { StackDocument } from '../planner/model/document.js';
import type { Plan, PriorResource } from '../planner/plan/types.js';
import type { Lock, OutputState, StateStore } from '../state/index.js';
import type { Run } from '../state/index.js';
import { summarize } from '../planner/plan/summary.js';
import { containsUnknown } from '../core/value.js';
import { ProviderError, type Provider } from '../providers/provider.js';
import { providerContext } from './context.js';
import { ApplyEvaluator } from './apply-evaluator.js';
import type { ApplyListener } from './events.js';
import { buildOperations, type Operation } from './operations.js';
import { priorObject, toPrior, toWrite } from './record.js';
import { capabilitiesOf } from '../providers/capabilities.js';
import { vanishedResources } from './vanished.js';

export interface ApplyOptions {
  plan: Plan;
  /** The stack the plan was made from (re-evaluated as resources finish). */
  document: StackDocument;
  baseDir?: string;
  target?: string[];
  store: StateStore;
  lock: Lock;
  provider: Provider;
  command: 'apply' | 'destroy';
  parallelism?: number;
  /** Stop starting operations (first Ctrl-C). */
  drain?: AbortSignal;
  /** Cancel running operations (second Ctrl-C). */
  abort?: AbortSignal;
  onEvent?: ApplyListener;
  /** How often a long operation reports "Still creating..." (default 10 s). */
  progressEveryMs?: number;
}

export interface ApplyFailure {
  address: string;
  action: string;
  message: string;
}

export interface ApplyResult {
  serial: number;
  failures: ApplyFailure[];
  interrupted: boolean;
  /** Operations never started because the apply stopped early. */
  notStarted: string[];
  /** Resources whose objects the refresh found already gone: removed from the state. */
  alreadyGone: string[];
  counts: { added: number; changed: number; destroyed: number; forgotten: number };
  outputs: OutputState[];
}

export async function applyPlan(o: ApplyOptions): Promise<ApplyResult> {
  const { plan, store, provider } = o;
  const emit: ApplyListener = o.onEvent ?? (() => {});
  const alreadyGone = vanishedResources(store, plan);
  const run = store.beginRun(plan.stack, { command: o.command, lineage: plan.lineage, expectedSerial: plan.serial, summary: { ...summarize(plan) }, lock: o.lock });
  for (const address of alreadyGone) run.deleteResource(address);
  const capabilities = capabilitiesOf(provider.name);
  const evaluator = new ApplyEvaluator(o.document, plan, { stack: plan.stack, ...(o.baseDir ? { baseDir: o.baseDir } : {}), ...(o.target ? { target: o.target } : {}), ...(capabilities ? { capabilities } : {}) });
  const originals = new Map((plan.prior?.resources ?? []).map((r) => [r.address, r]));
  const ops = buildOperations(plan.resourceChanges);
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const failures: ApplyFailure[] = [];
  const counts = { added: 0, changed: 0, destroyed: 0, forgotten: 0 };
  const parallelism = Math.max(1, o.parallelism ?? 10);
  const abort = o.abort ?? new AbortController().signal;
  let stopping = false;
  const stop = (reason: 'interrupt' | 'failure') => {
    if (stopping) return;
    stopping = true;
    const failed = new Set(failures.map((f) => f.address));
    const still = [...running.keys()].map((id) => id.slice(id.indexOf(':') + 1)).filter((a) => !failed.has(a));
    if (still.length || reason === 'interrupt') emit({ type: 'apply_interrupted', reason, running: still });
  };
  o.drain?.addEventListener('abort', () => stop('interrupt'), { once: true });

  const execute = async (op: Operation): Promise<void> => {
    const { change } = op;
    const started = Date.now();
    const elapsed = () => Math.round((Date.now() - started) / 1000);
    emit({ type: 'apply_start', address: change.address, action: op.kind, ...(op.deposed ? { deposed: true } : {}) });
    const ticker = setInterval(() => emit({ type: 'apply_progress', address: change.address, action: op.kind, elapsedSeconds: elapsed() }), o.progressEveryMs ?? 10_000);
    const ctx = providerContext(provider, {
      address: change.address, stack: plan.stack, lineage: plan.lineage, signal: abort,
      progress: (message) => emit({ type: 'apply_progress', address: change.address, action: op.kind, elapsedSeconds: elapsed(), message }),
      resources: () => evaluator.currentPrior().resources,
    });
    let journal: number | undefined;
    let inputs: ReturnType<ApplyEvaluator['configFor']> | undefined;
    try {
      if (op.kind === 'forget') {
        run.deleteResource(change.address);
        evaluator.recordDeleted(change.address);
        counts.forgotten++;
        emit({ type: 'apply_complete', address: change.address, action: op.kind, elapsedSeconds: elapsed() });
        return;
      }
      const impl = provider.resourceType(change.type);
      if (!impl) throw new ProviderError(`the ${provider.name} provider has no resource type ${change.type}`);
      const original = originals.get(change.address);
      if (op.kind === 'create' || op.kind === 'update') inputs = evaluator.configFor(change);
      journal = store.journalBegin(plan.stack, {
        address: change.address,
        action: op.deposed ? 'delete-deposed' : op.kind,
        runSerial: run.serial,
        detail: { provider: provider.name, lineage: plan.lineage, ...(original?.attributes.id && op.kind !== 'create' ? { id: original.attributes.id } : {}) },
      });
      if (op.kind === 'delete') {
        if (!original) throw new Error(`${change.address} has no recorded object to delete`);
        await impl.delete(ctx, priorObject(original));
        if (!op.deposed) {
          run.deleteResource(change.address);
          evaluator.recordDeleted(change.address);
        }
        counts.destroyed++;
        store.journalEnd(journal, 'succeeded');
        emit({ type: 'apply_complete', address: change.address, action: op.kind, elapsedSeconds: elapsed() });
        return;
      }
      const result = op.kind === 'create'
        ? await impl.create(ctx, inputs!)
        : await impl.update(ctx, priorObject(original ?? missing(change.address)), inputs!);
      commit(run, evaluator, change, inputs!, result, provider.name, 'ready');
      if (op.kind === 'create') counts.added++;
      else counts.changed++;
      store.journalEnd(journal, 'succeeded', { id: result.id });
      emit({ type: 'apply_complete', address: change.address, action: op.kind, elapsedSeconds: elapsed(), id: result.id });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof ProviderError && e.partial && inputs) commit(run, evaluator, change, inputs, e.partial, provider.name, 'tainted');
      if (journal !== undefined) store.journalEnd(journal, 'failed', { error: message.slice(0, 2000) });
      failures.push({ address: change.address, action: op.kind, message });
      emit({ type: 'apply_errored', address: change.address, action: op.kind, elapsedSeconds: elapsed(), error: message });
      stop('failure');
    } finally {
      clearInterval(ticker);
    }
  };

  const pending = new Map(ops.map((op) => [op.id, op]));
  let outputs: OutputState[] | undefined;
  try {
    while (pending.size || running.size) {
      if (!stopping) {
        for (const op of [...pending.values()]) {
          if (running.size >= parallelism) break;
          if (![...op.after].every((d) => done.has(d))) continue;
          pending.delete(op.id);
          const p = execute(op).then(() => {
            running.delete(op.id);
            if (!failures.some((f) => f.address === op.change.address)) done.add(op.id);
          });
          running.set(op.id, p);
        }
      }
      if (!running.size) break; // stopping, or nothing can start (a dependency failed)
      await Promise.race(running.values());
    }
  } finally {
    outputs = finalOutputs(evaluator, plan);
    if (outputs && !failures.length) run.setOutputs(outputs);
    run.finish(failures.length || stopping ? 'failed' : 'applied', failures.map((f) => `${f.address}: ${f.message}`).join('\n') || (stopping ? 'interrupted' : undefined));
  }
  return {
    serial: run.serial,
    failures,
    interrupted: stopping && !failures.length,
    notStarted: [...pending.values()].map((op) => `${op.kind} ${op.change.address}`),
    alreadyGone,
    counts,
    outputs: outputs ?? [],
  };
}

function missing(address: string): never {
  throw new Error(`${address} has no recorded object to update`);
}

function commit(run: Run, evaluator: ApplyEvaluator, change: Plan['resourceChanges'][number], inputs: Parameters<typeof toWrite>[1], result: Parameters<typeof toWrite>[2], provider: string, status: 'ready' | 'tainted'): void {
  const write = toWrite(change, inputs, result, provider, status, evaluator.lifecycleOf(change.address));
  run.commitResource(write);
  const prior: PriorResource = toPrior(write);
  evaluator.recordWritten(prior);
}

/** The outputs after this run; undefined when some are still unknown (a part of the stack did not apply). */
function finalOutputs(evaluator: ApplyEvaluator, plan: Plan): OutputState[] | undefined {
  if (plan.mode === 'destroy') return [];
  const outs = evaluator.outputs();
  if (outs.some((x) => containsUnknown(x.value))) return undefined;
  return outs.map((x) => ({ name: x.name, value: x.value, sensitive: x.sensitive }));
}
