import { InvalidArgumentError, type Command } from 'commander';

/** Terraform's single-dash long flags (`-var`, `-auto-approve`), accepted as `--var` etc. */
const terraformFlags = new Set([
  'var', 'var-file', 'json', 'out', 'auto-approve', 'detailed-exitcode', 'replace', 'target', 'destroy',
  'refresh-only', 'raw', 'parallelism', 'state', 'no-color', 'lock-timeout', 'input', 'refresh',
]);

export function normalizeTerraformFlags(argv: string[]): string[] {
  return argv.map((a, i) => {
    if (i < 2 || !a.startsWith('-') || a.startsWith('--')) return a;
    const name = a.slice(1).split('=')[0]!;
    return terraformFlags.has(name) ? `-${a}` : a;
  });
}

/** `--refresh <bool>`: exactly `true` or `false`, as Terraform's `-refresh=false`; anything else is an error. */
export function parseBoolFlag(flag: string): (value: string) => boolean {
  return (value) => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new InvalidArgumentError(`${flag} takes true or false.`);
  };
}

/** Declares pairs of a command's options that cannot be given together (commander reports it, exit 1). */
export function conflicting(cmd: Command, pairs: [string, string][]): Command {
  for (const [a, b] of pairs) cmd.options.find((o) => o.attributeName() === a)?.conflicts(b);
  return cmd;
}
