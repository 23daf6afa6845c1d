import type { Command } from 'commander';
import { hasErrors, hasFatalErrors } from '../../core/diagnostics.js';
import { loadStackFiles } from '../../planner/load/index.js';
import { PlanFileError, writePlanFile } from '../../planner/plan/plan-file.js';
import { StateError } from '../../state/index.js';
import { priorFromSnapshot } from '../../planner/plan/prior.js';
import { planJson } from '../../planner/plan/render-json.js';
import { renderPlanMarkdown } from '../../planner/plan/render-markdown.js';
import { renderPlanText } from '../../planner/plan/render-text.js';
import { hasChanges } from '../../planner/plan/summary.js';
import { dirname, resolve } from 'node:path';
import { Reporter } from '../output/reporter.js';
import { addStateOptions, openState, stackName, stateExists, type StateOptions } from '../state-options.js';
import { collectVariables } from '../variables.js';
import { collect } from './validate.js';
import { chooseProvider } from '../../providers/select.js';
import { planWithCloud } from '../plan-with-cloud.js';
import { cloudError } from '../cloud-error.js';
import { ProviderError } from '../../providers/provider.js';
import { runRefresh } from '../refresh-flow.js';
import { conflicting, parseBoolFlag } from '../flags.js';

interface PlanOptions extends StateOptions {
  var: string[];
  varFile: string[];
  out?: string;
  json?: boolean;
  markdown?: boolean;
  detailedExitcode?: boolean;
  replace: string[];
  target: string[];
  destroy?: boolean;
  refresh: boolean;
  refreshOnly?: boolean;
}

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change: every action, attribute by attribute, against the recorded state')
    .argument('<files...>', 'stack files or a directory of .hcl/.tf files')
    .option('--var <name=value>', 'set a variable (repeatable)', collect, [])
    .option('--var-file <file>', 'read variables from a file (repeatable)', collect, [])
    .option('--out <file>', 'save the plan for `dbstack apply FILE` (sealed: it holds no secret in clear)')
    .option('--json', 'the plan as JSON in the shape of `terraform show -json`')
    .option('--markdown', 'the plan as Markdown, ready to post on a pull request')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--replace <address>', 'replace this resource even if it could be updated (repeatable)', collect, [])
    .option('--target <address>', 'plan only this resource and what it depends on (repeatable)', collect, [])
    .option('--destroy', 'plan to destroy everything in the stack')
    .option('--refresh <bool>', 'read the real objects (cloud and guest) before planning (default true)', parseBoolFlag('--refresh'), true)
    .option('--refresh-only', 'only show what changed outside of dbstack');
  conflicting(cmd, [['json', 'markdown'], ['destroy', 'refreshOnly'], ['replace', 'refreshOnly'], ['target', 'refreshOnly']]);
  addStateOptions(cmd).action(async (files: string[], opts: PlanOptions) => {
    if (opts.refreshOnly && !opts.refresh) cmd.error("error: option '--refresh false' cannot be used with option '--refresh-only'");
    if (opts.refreshOnly) return runRefresh(files, opts, { write: false });
    const reporter = new Reporter(opts.json);
    const loaded = loadStackFiles(files);
    reporter.addSources(loaded.sources);
    const diags = [...loaded.diagnostics];
    const variables = collectVariables(opts.var, opts.varFile, diags, process.env, loaded.sources);
    if (hasFatalErrors(diags)) return fail(reporter, diags);
    // A plan changes nothing: without a state file it plans against an empty state and creates
    // none — unless a saved plan needs the state's key to be sealed with.
    const present = stateExists(opts);
    if (present.diagnostic) return fail(reporter, [present.diagnostic]);
    const needStore = present.exists || opts.out !== undefined;
    const { store, diagnostic } = needStore ? openState(opts) : { store: undefined, diagnostic: undefined };
    if (needStore && !store) return fail(reporter, [diagnostic!]);
    try {
      const stack = stackName(opts, files);
      let prior;
      try {
        prior = priorFromSnapshot(store?.readState(stack));
      } catch (e) {
        if (e instanceof StateError) return fail(reporter, [e.diagnostic()]);
        throw e;
      }
      const choice = chooseProvider(loaded.document, process.env, diags, variables);
      if (!choice) return fail(reporter, diags);
      // Plan only reads: it never starts the local cloud.
      const provider = await choice.create({ startCloud: false });
      const baseDir = files[0] ? dirname(resolve(files[0])) : process.cwd();
      let plan;
      try {
        plan = await planWithCloud(loaded.document, prior, provider, { stack, variables, replace: opts.replace, target: opts.target, destroy: opts.destroy, baseDir, refresh: opts.refresh }, reporter);
      } catch (e) {
        if (e instanceof ProviderError) return fail(reporter, [cloudError(e)]);
        throw e;
      } finally {
        await provider.close();
      }
      const all = [...diags, ...plan.diagnostics];
      reporter.diagnostics(all.filter((d) => d.severity === 'warning'));
      if (hasErrors(all)) return fail(reporter, all.filter((d) => d.severity === 'error'));
      if (opts.json) reporter.jsonLine(planJson(plan));
      else if (opts.markdown) reporter.out(renderPlanMarkdown(plan));
      else reporter.out(renderPlanText(plan, reporter.style));
      if (opts.out && store) {
        try {
          writePlanFile(opts.out, { ...plan, sources: Object.fromEntries(loaded.sources), baseDir }, store.sealer());
        } catch (e) {
          if (e instanceof PlanFileError) return fail(reporter, [{ severity: 'error', summary: e.message, detail: e.detail }]);
          throw e;
        }
        if (!opts.json && !opts.markdown) reporter.out(`\nSaved the plan to ${opts.out}. Apply exactly this plan with: dbstack apply ${opts.out}`);
      }
      process.exitCode = opts.detailedExitcode && hasChanges(plan) ? 2 : 0;
    } finally {
      store?.close();
    }
  });
}

function fail(reporter: Reporter, diags: Parameters<Reporter['diagnostics']>[0]): void {
  reporter.diagnostics(diags);
  process.exitCode = 1;
}
