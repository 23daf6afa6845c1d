import type { Command } from 'commander';
import { addStateOptions } from '../state-options.js';
import { runApply, type ApplyCommandOptions } from '../apply-flow.js';
import { runRefresh } from '../refresh-flow.js';
import { parseBoolFlag } from '../flags.js';
import { collect } from './validate.js';

function applyOptions(cmd: Command): Command {
  return addStateOptions(
    cmd
      .option('--var <name=value>', 'set a variable (repeatable)', collect, [])
      .option('--var-file <file>', 'read variables from a file (repeatable)', collect, [])
      .option('--auto-approve', 'do not ask for confirmation')
      .option('--parallelism <n>', 'operations in flight at once', '10')
      .option('--replace <address>', 'replace this resource even if it could be updated (repeatable)', collect, [])
      .option('--target <address>', 'only this resource and what it depends on (repeatable)', collect, [])
      .option('--refresh <bool>', 'read the real objects before planning (default true)', parseBoolFlag('--refresh'), true)
      .option('--json', 'machine-readable event stream, one JSON object per line'),
  );
}

export function registerApply(program: Command): void {
  applyOptions(
    program
      .command('apply')
      .description('make the stack so: plan, confirm, then create, update and delete resources (or apply a saved plan exactly)')
      .argument('[files...]', 'stack files or a directory, or one plan file saved with `dbstack plan --out`'),
  ).action((files: string[], opts: ApplyCommandOptions) => runApply(files, opts, 'apply'));

  applyOptions(
    program
      .command('destroy')
      .description('destroy every resource of the stack (HOT deletion_policy Retain resources are only forgotten)')
      .argument('[files...]', 'the stack files (for provider settings and deletion policies)'),
  ).action((files: string[], opts: ApplyCommandOptions) => runApply(files, opts, 'destroy'));

  addStateOptions(
    program
      .command('refresh')
      .description('read every recorded object back (cloud and guest) and record what has drifted')
      .argument('[files...]', 'the stack files (for provider settings)')
      .option('--json', 'the drift as JSON'),
  ).action((files: string[], opts) => runRefresh(files, opts, { write: true }));
}
