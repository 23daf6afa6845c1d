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
