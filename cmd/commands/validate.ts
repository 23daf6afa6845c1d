import type { Command } from 'commander';
import { hasErrors } from '../../core/diagnostics.js';
import { diagnosticsJson, renderDiagnostics } from '../output/diagnostics.js';
import { colorEnabled, makeStyle } from '../output/style.js';
import { loadConfig, type StackInputOptions } from '../load-config.js';
import { checkSupport } from '../../planner/plan/support-check.js';
import { capabilitiesOf, providerNameOf } from '../../providers/capabilities.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check stack files: syntax, types, references, schemas, cycles, and what the stack\'s provider implements (no cloud is contacted)')
    .argument('<files...>', 'stack files (.hcl, .tf, .yaml, HOT, CFN) or a directory of .hcl/.tf files')
    .option('--json', 'one JSON object, in the shape of `terraform validate -json`')
    .option('--var <name=value>', 'set a variable (repeatable)', collect, [])
    .option('--var-file <file>', 'read variables from a file (repeatable)', collect, [])
    .action((files: string[], opts: StackInputOptions & { json?: boolean }) => {
      const { diagnostics, sources, config } = loadConfig(files, opts);
      // The provider is known from the stack alone (its provider block, DBSTACK_PROVIDER); its
      // capability table refuses what it does not implement, as plan does.
      if (config) diagnostics.push(...checkSupport(config, capabilitiesOf(providerNameOf(config.document, process.env))!));
      const failed = hasErrors(diagnostics);
      if (opts.json) {
        process.stdout.write(JSON.stringify(diagnosticsJson(diagnostics)) + '\n');
      } else {
        const style = makeStyle(colorEnabled(process.stderr));
        if (diagnostics.length) process.stderr.write(renderDiagnostics(diagnostics, sources, style) + '\n\n');
        if (failed) {
          const n = diagnostics.filter((d) => d.severity === 'error').length;
          process.stderr.write(style.red(`${n} error${n === 1 ? '' : 's'}: the stack is not valid.`) + '\n');
        } else {
          const count = config?.resources.reduce((n, r) => n + Math.max(1, r.instances.length), 0) ?? 0;
          process.stdout.write(style.green(`Success! The stack is valid (${count} resource${count === 1 ? '' : 's'}).`) + '\n');
        }
      }
      process.exitCode = failed ? 1 : 0;
    });
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
