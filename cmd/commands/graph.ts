import { Option, type Command } from 'commander';
import { hasErrors } from '../../core/diagnostics.js';
import { renderGraph, type GraphFormat } from '../../planner/graph/render.js';
import { renderDiagnostics } from '../output/diagnostics.js';
import { colorEnabled, makeStyle } from '../output/style.js';
import { loadConfig, type StackInputOptions } from '../load-config.js';
import { collect } from './validate.js';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('print the dependency graph of a stack as Mermaid or Graphviz dot')
    .argument('<files...>', 'stack files or a directory of .hcl/.tf files')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('--all', 'include variables, locals, conditions and outputs')
    .option('--var <name=value>', 'set a variable (repeatable)', collect, [])
    .option('--var-file <file>', 'read variables from a file (repeatable)', collect, [])
    .action((files: string[], opts: StackInputOptions & { format: GraphFormat; all?: boolean }) => {
      const { diagnostics, sources, config } = loadConfig(files, opts);
      if (hasErrors(diagnostics) || !config) {
        process.stderr.write(renderDiagnostics(diagnostics, sources, makeStyle(colorEnabled(process.stderr))) + '\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(renderGraph(config.graph, opts.format, opts.all));
    });
}
