#!/usr/bin/env node
import { Command } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerGraph } from './commands/graph.js';
import { registerLocal } from './commands/local.js';
import { registerPlan } from './commands/plan.js';
import { registerShow } from './commands/show.js';
import { registerState } from './commands/state.js';
import { registerValidate } from './commands/validate.js';
import { normalizeTerraformFlags } from './flags.js';

const program = new Command();
program
  .name('dbstack')
  .description('Databases as code on OpenStack: validate, plan and apply stacks of database instances')
  .version('0.1.0')
  .showHelpAfterError('(run `dbstack help` for the list of commands)');
registerValidate(program);
registerGraph(program);
registerPlan(program);
registerApply(program);
registerShow(program);
registerState(program);
registerLocal(program);

program.parseAsync(normalizeTerraformFlags(process.argv)).catch((e: unknown) => {
  // A user error never reaches here (commands return diagnostics); this is a bug in dbstack.
  process.stderr.write(`dbstack: internal error — please report it with this trace:\n${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
