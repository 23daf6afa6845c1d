import type { Command } from 'commander';
import { PlanFileError, readPlanFile } from '../../planner/plan/plan-file.js';
import { planJson } from '../../planner/plan/render-json.js';
import { renderPlanMarkdown } from '../../planner/plan/render-markdown.js';
import { formatValue, renderPlanText } from '../../planner/plan/render-text.js';
import { Reporter } from '../output/reporter.js';
import { addStateOptions, chooseStack, openState, type StateOptions } from '../state-options.js';
import { redactState } from './state-view.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show a saved plan, or the current state of a stack')
    .argument('[planfile]', 'a plan saved with `dbstack plan --out`')
    .option('--json', 'machine-readable (terraform show -json shape for plans)')
    .option('--markdown', 'a saved plan as Markdown for a pull request');
  addStateOptions(cmd).action((planfile: string | undefined, opts: StateOptions & { json?: boolean; markdown?: boolean }) => {
    const reporter = new Reporter(opts.json);
    const { store, diagnostic } = openState(opts);
    if (!store) {
      reporter.diagnostics([diagnostic!]);
      process.exitCode = 1;
      return;
    }
    try {
      if (planfile) {
        let plan;
        try {
          plan = readPlanFile(planfile, store.sealer());
        } catch (e) {
          if (!(e instanceof PlanFileError)) throw e;
          reporter.diagnostics([{ severity: 'error', summary: e.message, detail: 'Plans are sealed with the key of the state they were made against: use the same --state (and DBSTACK_STATE_KEY).' }]);
          process.exitCode = 1;
          return;
        }
        if (opts.json) reporter.jsonLine(planJson(plan));
        else if (opts.markdown) reporter.out(renderPlanMarkdown(plan));
        else reporter.out(renderPlanText(plan, reporter.style));
        return;
      }
      const chosen = chooseStack(store, opts);
      if (!chosen.stack) {
        reporter.diagnostics([chosen.diagnostic!]);
        process.exitCode = 1;
        return;
      }
      const snap = store.readState(chosen.stack);
      if (!snap) {
        reporter.out(`The stack ${chosen.stack} has no state yet.`);
        return;
      }
      if (opts.json) return reporter.jsonLine(redactState(snap));
      reporter.out(`Stack ${snap.name} (lineage ${snap.lineage}, serial ${snap.serial})\n`);
      for (const r of snap.resources) {
        reporter.out(`# ${r.address}${r.status !== 'ready' ? ` (${r.status})` : ''}`);
        reporter.out(`resource "${r.type}" "${r.name}" ${formatValue(redactState({ ...snap, resources: [r] }).resources[0]!.values as never, '')}\n`);
      }
      for (const o of snap.outputs) reporter.out(`output "${o.name}" = ${o.sensitive ? '(sensitive value)' : formatValue(o.value, '')}`);
    } finally {
      store.close();
    }
  });
}
