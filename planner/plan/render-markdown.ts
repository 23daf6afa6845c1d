import { renderChange } from './render-text.js';
import { dataLossWarnings, describeAction, isReplace, summarize } from './summary.js';
import type { Plan, ResourceChange } from './types.js';

/**
 * The plan as a pull-request comment: counts table, data-loss warning and destructive changes
 * first, then one collapsible section per resource. Sensitive values never appear (the same
 * renderer as the terminal, which prints them as `(sensitive value)`).
 */
export function renderPlanMarkdown(plan: Plan): string {
  const s = summarize(plan);
  const out: string[] = [`### dbstack plan — stack \`${plan.stack}\``, ''];
  const changes = plan.resourceChanges.filter((c) => c.actions[0] !== 'no-op');
  if (!changes.length && !plan.outputChanges.some((o) => o.actions[0] !== 'no-op')) {
    out.push('**No changes.** The stack matches the configuration.');
    return out.join('\n') + '\n';
  }
  out.push('| Action | Resources |', '|---|---:|');
  out.push(`| ➕ add | ${s.add} |`, `| 🔄 change in place | ${s.change} |`, `| ♻️ replace | ${s.replace} |`, `| 🗑️ destroy | ${s.destroy} |`);
  if (s.forget) out.push(`| 📤 forget (kept in the cloud) | ${s.forget} |`);
  out.push('');
  const warnings = dataLossWarnings(plan);
  if (warnings.length) {
    out.push('> [!CAUTION]', '> **This plan destroys data.**');
    for (const w of warnings) out.push(`> - ${escape(w)}`);
    out.push('');
  }
  const destructive = changes.filter((c) => c.actions.includes('delete'));
  const rest = changes.filter((c) => !c.actions.includes('delete'));
  if (destructive.length) {
    out.push('#### Destructive changes', '');
    for (const c of destructive) out.push(...section(c));
  }
  if (rest.length) {
    out.push(destructive.length ? '#### Other changes' : '#### Changes', '');
    for (const c of rest) out.push(...section(c));
  }
  const outputs = plan.outputChanges.filter((o) => o.actions[0] !== 'no-op');
  if (outputs.length) {
    out.push('#### Outputs', '', '| Output | Action |', '|---|---|');
    for (const o of outputs) out.push(`| \`${o.name}\`${o.sensitive ? ' (sensitive)' : ''} | ${o.actions.join(', ')} |`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

function section(c: ResourceChange): string[] {
  const icon = isReplace(c) ? '♻️' : { create: '➕', update: '🔄', delete: '🗑️', forget: '📤', read: '📖', 'no-op': '' }[c.actions[0]!];
  const lines = renderChange(c, { green: id, red: id, yellow: id, bold: id, dim: id })
    .slice(1)
    .flatMap((l) => l.split('\n'));
  return [
    `<details><summary>${icon} <code>${escape(c.address)}</code> ${escape(describeAction(c))}</summary>`,
    '',
    '```diff',
    ...toDiffLines(lines),
    '```',
    '',
    '</details>',
    '',
  ];
}

const id = (s: string) => s;

/**
 * GitHub colours diff lines by their first character: put the change marker in column 0
 * (`!` for changes and replacements); lines of a nested value take their attribute's marker.
 */
function toDiffLines(lines: string[]): string[] {
  let current = ' ';
  return lines.map((line) => {
    const m = /^(\s*)(-\/\+|\+\/-|[+~-])(\s.*)?$/.exec(line);
    if (m) current = m[2] === '+' || m[2] === '-' ? m[2] : '!';
    else if (/^ {4}\}$/.test(line) || /^\s*#/.test(line)) current = ' ';
    return `${current}${line}`;
  });
}

function escape(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}
