import type { Command } from 'commander';
import { PlanFileError, readPlanFile, readPlanHeader } from '../../planner/plan/plan-file.js';
import { planJson } from '../../planner/plan/render-json.js';
import { renderPlanMarkdown } from '../../planner/plan/render-markdown.js';
import { formatValue, renderPlanText } from '../../planner/plan/render-text.js';
import { conflicting } from '../flags.js';
import { Reporter } from '../output/reporter.js';
import { addStateOptions, chooseStack, DEFAULT_STATE, stateExists, withState, type StateOptions } from '../state-options.js';
import { DiagnosticError } from '../../core/diagnostics.js';
import { redactState } from './state-view.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show a saved plan, or the current state of a stack')
    .argument('[planfile]', 'a plan saved with `dbstack plan --out`')
    .option('--json', 'machine-readable (terraform show -json shape for plans)')
    .option('--markdown', 'a saved plan as Markdown for a pull request');
  conflicting(cmd, [['json', 'markdown']]);
  addStateOptions(cmd).action((planfile: string | undefined, opts: StateOptions & { json?: boolean; markdown?: boolean }) => {
    const reporter = new Reporter(opts.json);
    if (planfile) {
      // Check the file first (a FIFO must not block, a damaged file must not need a state), and
      // never create a new state just to find its key does not open the plan.
      try {
        readPlanHeader(planfile);
      } catch (e) {
        if (!(e instanceof PlanFileError)) throw e;
        reporter.diagnostics([{ severity: 'error', summary: e.message, detail: e.detail }]);
        process.exitCode = 1;
        return;
      }
      const present = stateExists(opts);
      if (!present.exists) {
        reporter.diagnostics([present.diagnostic ?? { severity: 'error', summary: `there is no state at ${opts.state ?? DEFAULT_STATE} to open the saved plan ${planfile} with`, detail: 'A saved plan opens with the key of the state it was made against: pass it with --state.' }]);
        process.exitCode = 1;
        return;
      }
    }
    withState(opts, reporter, (store) => {
      if (planfile) {
        let plan;
        try {
          plan = readPlanFile(planfile, store.sealer());
        } catch (e) {
          if (!(e instanceof PlanFileError)) throw e;
          throw new DiagnosticError({ severity: 'error', summary: e.message, detail: e.detail });
        }
        if (opts.json) reporter.jsonLine(planJson(plan));
        else if (opts.markdown) reporter.out(renderPlanMarkdown(plan));
        else reporter.out(renderPlanText(plan, reporter.style));
        return;
      }
      const chosen = chooseStack(store, opts);
      if (!chosen.stack) throw new DiagnosticError(chosen.diagnostic!);
      const snap = store.readState(chosen.stack);
      if (!snap) return reporter.out(`The stack ${chosen.stack} has no state yet.`);
      if (opts.json) return reporter.jsonLine(redactState(snap));
      reporter.out(`Stack ${snap.name} (lineage ${snap.lineage}, serial ${snap.serial})\n`);
      const view = redactState(snap);
      snap.resources.forEach((r, i) => {
        reporter.out(`# ${r.address}${r.status !== 'ready' ? ` (${r.status})` : ''}`);
        reporter.out(`resource "${r.type}" "${r.name}" ${formatValue(view.resources[i]!.values as never, '')}\n`);
      });
      for (const o of snap.outputs) reporter.out(`output "${o.name}" = ${o.sensitive ? '(sensitive value)' : formatValue(o.value, '')}`);
    });
  });
}
