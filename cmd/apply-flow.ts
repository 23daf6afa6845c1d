/**
 * What `apply` and `destroy` share: lock the stack, refresh, plan (or open a saved plan),
 * confirm, execute, report. The command files only declare options.
 */
import { dirname, resolve } from 'node:path';
import { applyPlan } from '../applier/apply.js';
import { describeEvent } from '../applier/events.js';
import { recoverInterrupted } from '../applier/recover.js';
import { remainingAfterDestroy, vanishedResources } from '../applier/vanished.js';
import { checkPlan } from '../applier/check.js';
import { planWithCloud } from './plan-with-cloud.js';
import { unknownAddressFlags } from './address-flags.js';
import { hasErrors, hasFatalErrors, type Diagnostic } from '../core/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { loadStackFiles, loadStackText, mergeDocuments } from '../planner/load/index.js';
import { isSavedPlanArgument, PlanFileError, readPlanFile } from '../planner/plan/plan-file.js';
import { priorFromSnapshot } from '../planner/plan/prior.js';
import { planJson } from '../planner/plan/render-json.js';
import { formatValue, renderPlanText } from '../planner/plan/render-text.js';
import { hasChanges } from '../planner/plan/summary.js';
import type { Plan } from '../planner/plan/types.js';
import { chooseProvider } from '../providers/select.js';
import { ProviderError, type Provider } from '../providers/provider.js';
import { cloudError } from './cloud-error.js';
import { StaleStateError, StateError, type Lock, type StateStore } from '../state/index.js';
import { confirm } from './confirm.js';
import { Reporter } from './output/reporter.js';
import { DEFAULT_STATE, openState, stackName, stateExists, type StateOptions } from './state-options.js';
import { collectVariables } from './variables.js';
import { interruptSignals } from './interrupt.js';

export interface ApplyCommandOptions extends StateOptions {
  var: string[];
  varFile: string[];
  json?: boolean;
  autoApprove?: boolean;
  parallelism: string;
  replace: string[];
  target: string[];
  refresh: boolean;
}

interface Source {
  document: StackDocument;
  sources: Map<string, string>;
  baseDir: string;
  saved?: Plan;
  diags: Diagnostic[];
}

/** A saved plan (one argument that is a plan file) or stack files. */
function loadSource(args: string[], opts: ApplyCommandOptions, store: () => StateStore | undefined): Source {
  if (args.length === 1 && isSavedPlanArgument(args[0]!)) {
    const s = store();
    if (!s) return { document: mergeDocuments([], []), sources: new Map(), baseDir: process.cwd(), diags: [] };
    const saved = readPlanFile(args[0]!, s.sealer());
    // Stale or foreign: said now, before the lock is taken or any cloud is started.
    const now = s.stack(saved.stack);
    if (now ? now.lineage !== saved.lineage || now.serial !== saved.serial : saved.serial !== 0) {
      throw new StaleStateError(saved.stack, { lineage: saved.lineage, serial: saved.serial }, { lineage: now?.lineage, serial: now?.serial });
    }
    const diags: Diagnostic[] = [];
    const docs = Object.entries(saved.sources ?? {}).map(([path, text]) => {
      const r = loadStackText(text, path);
      diags.push(...r.diagnostics);
      return r.document;
    });
    return { document: mergeDocuments(docs, diags), sources: new Map(Object.entries(saved.sources ?? {})), baseDir: saved.baseDir ?? process.cwd(), saved, diags };
  }
  const loaded = loadStackFiles(args);
  return { document: loaded.document, sources: loaded.sources, baseDir: args[0] ? dirname(resolve(args[0])) : process.cwd(), diags: [...loaded.diagnostics] };
}


export async function runApply(args: string[], opts: ApplyCommandOptions, mode: 'apply' | 'destroy'): Promise<void> {
  const reporter = new Reporter(opts.json);
  const fail = (diags: Diagnostic[]) => {
    reporter.diagnostics(diags);
    process.exitCode = 1;
  };
  const parallelism = Number(opts.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1) return fail([{ severity: 'error', summary: `-parallelism must be a whole number of at least 1, not "${opts.parallelism}"` }]);

  // A saved plan opens only with the key of its state: never create a new, empty state for one.
  if (args.length === 1 && isSavedPlanArgument(args[0]!)) {
    const present = stateExists(opts);
    if (!present.exists) {
      return fail([present.diagnostic ?? { severity: 'error', summary: `there is no state at ${opts.state ?? DEFAULT_STATE} to apply the saved plan ${args[0]} to`, detail: 'A saved plan is applied to the state it was made against: pass it with --state.' }]);
    }
  }
  const { store, diagnostic } = openState(opts, { write: true });
  if (!store) return fail([diagnostic!]);
  let lock: Lock | undefined;
  let provider: Provider | undefined;
  try {
    const src = loadSource(args, opts, () => store);
    reporter.addSources(src.sources);
    const diags = [...src.diags];
    if (src.saved) {
      // As Terraform: a saved plan is applied exactly as it was made.
      const given = [['-var', opts.var], ['-var-file', opts.varFile], ['-target', opts.target], ['-replace', opts.replace]].filter(([, v]) => (v as string[]).length).map(([f]) => f);
      if (given.length) return fail([{ severity: 'error', summary: `${given.join(', ')} cannot be given with a saved plan: it is applied exactly as it was made`, detail: 'Give these options to `dbstack plan` instead, or apply the stack files.' }]);
    }
    const variables = src.saved
      ? Object.fromEntries(Object.entries(src.saved.variables).map(([k, v]) => [k, { value: v.value, source: 'the saved plan' }]))
      : collectVariables(opts.var, opts.varFile, diags, process.env, src.sources);
    const choice = chooseProvider(src.document, process.env, diags, variables);
    if (hasFatalErrors(diags) || !choice) return fail(diags);
    const stack = src.saved?.stack ?? stackName(opts, args);
    // A damaged state is reported before the lock is taken: nothing is written to it.
    const prior = store.readState(stack);
    store.openJournal(stack);
    if (!src.saved) {
      const unknown = unknownAddressFlags(opts, src.document, prior?.resources.map((r) => r.address) ?? []);
      if (unknown.length) return fail(unknown);
    }
    lock = store.acquireLock(stack, { command: mode });
    provider = await choice.create();

    const recovered = await recoverInterrupted(store, stack, provider, lock, new AbortController().signal);
    for (const address of recovered.adopted) {
      reporter.diagnostics([{ severity: 'warning', summary: `${address} was being created when an earlier apply stopped; its object was found and is recorded as tainted, so this plan replaces it`, address }]);
    }

    let plan: Plan;
    if (src.saved) {
      plan = src.saved;
      const all = [...diags, ...(await checkPlan(plan, provider))];
      reporter.diagnostics(all.filter((d) => d.severity === 'warning'));
      if (hasErrors(all)) return fail(all.filter((d) => d.severity === 'error'));
    } else {
      const prior = priorFromSnapshot(store.readState(stack));
      plan = await planWithCloud(src.document, prior, provider, {
        stack, variables, replace: opts.replace, target: opts.target, destroy: mode === 'destroy', baseDir: src.baseDir, refresh: opts.refresh,
      }, reporter);
      const all = [...diags, ...plan.diagnostics];
      reporter.diagnostics(all.filter((d) => d.severity === 'warning'));
      if (hasErrors(all)) return fail(all.filter((d) => d.severity === 'error'));
      if (opts.json) reporter.jsonLine({ type: 'planned_changes', plan: planJson(plan) });
      else reporter.out(renderPlanText(plan, reporter.style));
      if (!hasChanges(plan) && plan.outputChanges.every((o) => o.actions[0] === 'no-op') && !vanishedResources(store, plan).length) return;
      if (!opts.autoApprove) {
        const question = mode === 'destroy' ? 'Do you really want to destroy all resources of this stack?' : 'Do you want to perform these actions?';
        const answer = await confirm(question, stack);
        if (answer !== 'yes') {
          if (answer === 'no-tty') {
            return fail([{
              severity: 'error',
              summary: `${mode} needs a confirmation, and there is no terminal to ask on`,
              detail: `Pass -auto-approve, or save the plan and apply exactly it: dbstack plan --out stack.plan …; dbstack apply stack.plan`,
            }]);
          }
          reporter.out(`${mode === 'destroy' ? 'Destroy' : 'Apply'} cancelled.`);
          process.exitCode = 1;
          return;
        }
      }
    }

    const signals = interruptSignals((n) => reporter.err(n === 1 ? 'Interrupt received: finishing the operations that are running, then stopping. Press Ctrl-C again to abort them.' : 'Second interrupt: aborting the running operations.'));
    const started = Date.now();
    let result;
    try {
      result = await applyPlan({
        plan, document: src.document, baseDir: src.baseDir, target: opts.target, store, lock, provider,
        command: plan.mode === 'destroy' ? 'destroy' : 'apply', parallelism, drain: signals.drain, abort: signals.abort,
        onEvent: (e) => (opts.json ? reporter.jsonLine(e) : reporter.out(describeEvent(e))),
      });
    } finally {
      signals.dispose();
    }
    const c = result.counts;
    if (result.alreadyGone.length && !opts.json) reporter.out(`Already gone, removed from the state: ${result.alreadyGone.join(', ')}`);
    const left = plan.mode === 'destroy' && !opts.target.length && !result.failures.length && !result.interrupted ? remainingAfterDestroy(store, stack) : [];
    if (left.length) {
      return fail([{ severity: 'error', summary: `destroy left ${left.length} resource(s) in the state: ${left.join(', ')}`, detail: 'Run `dbstack destroy` again; `dbstack state list` shows what is recorded.' }]);
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    if (result.failures.length) {
      fail(result.failures.map((f) => ({ severity: 'error', summary: `${f.action} of ${f.address} failed`, detail: f.message, address: f.address })));
      if (result.notStarted.length && !opts.json) reporter.err(`Not started: ${result.notStarted.join(', ')}`);
      return;
    }
    if (opts.json) {
      reporter.jsonLine({ type: 'apply_summary', ...c, interrupted: result.interrupted, seconds, outputs: Object.fromEntries(result.outputs.map((o) => [o.name, { sensitive: o.sensitive, value: o.sensitive ? null : o.value }])) });
    } else {
      const verb = plan.mode === 'destroy' ? 'Destroy' : 'Apply';
      reporter.out(`\n${reporter.style.green(reporter.style.bold(`${verb} ${result.interrupted ? 'interrupted' : 'complete'}!`))} Resources: ${c.added} added, ${c.changed} changed, ${c.destroyed} destroyed${c.forgotten ? `, ${c.forgotten} forgotten` : ''} (${seconds}s).`);
      if (result.outputs.length) {
        reporter.out('\nOutputs:\n');
        for (const o of result.outputs) reporter.out(`${o.name} = ${o.sensitive ? '(sensitive value; show it with `dbstack output -raw ' + o.name + '`)' : formatValue(o.value, '')}`);
      }
    }
    if (result.interrupted) process.exitCode = 1;
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic()]);
    if (e instanceof PlanFileError) return fail([{ severity: 'error', summary: e.message, detail: e.detail }]);
    // The cloud refused or could not be reached while planning or recovering: the provider's words.
    if (e instanceof ProviderError) return fail([cloudError(e)]);
    throw e;
  } finally {
    lock?.release();
    await provider?.close();
    store.close();
  }
}
