#!/usr/bin/env node
import { Command } from 'commander';
import { normalizeTerraformFlags } from './flags.js';
import { quietOnClosedPipe } from './output/closed-pipe.js';

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

type Register = (program: Command) => void;

// Each command's module (and what it imports: the planner, SQLite, MQTT, …) is loaded only
// when that command runs: `dbstack output` must not pay for the MQTT client.
const validate = () => import('./commands/validate.js').then((m): Register => m.registerValidate);
const graph = () => import('./commands/graph.js').then((m): Register => m.registerGraph);
const plan = () => import('./commands/plan.js').then((m): Register => m.registerPlan);
const apply = () => import('./commands/apply.js').then((m): Register => m.registerApply);
const show = () => import('./commands/show.js').then((m): Register => m.registerShow);
const state = () => import('./commands/state.js').then((m): Register => m.registerState);
const local = () => import('./commands/local.js').then((m): Register => m.registerLocal);
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate, graph, plan, apply, destroy: apply, refresh: apply, show, state, output: state, taint: state, untaint: state, 'force-unlock': state, local,
};
const ALL = [validate, graph, plan, apply, show, state, local];

const argv = normalizeTerraformFlags(process.argv);
const first = argv.slice(2).find((a) => !a.startsWith('-'));
const loaders = first !== undefined && Object.hasOwn(COMMANDS, first) ? [COMMANDS[first]!] : ALL;

const program = new Command();
program
  .name('dbstack')
  .description('Databases as code on OpenStack: validate, plan and apply stacks of database instances')
  .version('0.1.0')
  .showHelpAfterError('(run `dbstack help` for the list of commands)');
for (const register of await Promise.all(loaders.map((l) => l()))) register(program);
// `--os-cloud NAME` works as in the OpenStack CLI: it names the clouds.yaml entry (OS_CLOUD).
program.hook('preAction', (_program, action) => {
  const cloud = action.opts().osCloud as string | undefined;
  if (cloud) process.env.OS_CLOUD = cloud;
});

program.parseAsync(argv).catch((e: unknown) => {
  // A user error never reaches here (commands return diagnostics); this is a bug in dbstack.
  process.stderr.write(`dbstack: internal error — please report it with this trace:\n${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
