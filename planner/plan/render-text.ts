import { isObject, isUnknown, type Value } from '../../core/value.js';
import { deepEqual } from './paths.js';
import { dataLossWarnings, describeAction, isReplace, summaryLine } from './summary.js';
import type { Path, Plan, ResourceChange } from './types.js';

export interface TextStyle {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const plainStyle: TextStyle = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

type Marker = '+' | '-' | '~' | ' ';

/** Context for rendering one change: which paths are sensitive and which force replacement. */
interface Ctx {
  style: TextStyle;
  sensitive: Set<string>;
  forces: Set<string>;
  out: string[];
}

const key = (p: Path) => JSON.stringify(p);

/** Terraform-style human plan: one block per change, the summary line, data-loss warnings. */
export function renderPlanText(plan: Plan, style: TextStyle = plainStyle): string {
  const changes = plan.resourceChanges.filter((c) => c.actions[0] !== 'no-op');
  const out: string[] = [];
  if (!changes.length && !plan.outputChanges.some((o) => o.actions[0] !== 'no-op')) {
    out.push(style.bold('No changes.') + ' The stack matches the configuration.');
    return out.join('\n') + '\n';
  }
  if (changes.length) {
    out.push('dbstack will perform the following actions:', '');
    for (const c of changes) out.push(...renderChange(c, style), '');
  }
  const outputs = plan.outputChanges.filter((o) => o.actions[0] !== 'no-op');
  if (outputs.length) {
    out.push('Changes to outputs:');
    const width = Math.max(...outputs.map((o) => o.name.length));
    for (const o of outputs) {
      const m: Marker = o.actions[0] === 'create' ? '+' : o.actions[0] === 'delete' ? '-' : '~';
      const show = (v: Value | null) => (o.sensitive ? '(sensitive value)' : formatValue(v ?? null, ''));
      const text = m === '+' ? show(o.after) : m === '-' ? `${show(o.before)} -> null` : `${show(o.before)} -> ${show(o.after)}`;
      out.push(`  ${colour(m, style)} ${o.name.padEnd(width)} = ${text}`);
    }
    out.push('');
  }
  out.push(style.bold(summaryLine(plan)));
  const warnings = dataLossWarnings(plan);
  if (warnings.length) {
    out.push('', style.red(style.bold('Warning: this plan destroys data')));
    for (const w of warnings) out.push(style.red(`  - ${w}`));
    out.push(style.red('  dbstack cannot bring it back: copy the data out first (pg_dump, mariadb-dump, redis-cli --rdb) if you need it.'));
  }
  return out.join('\n') + '\n';
}

export function renderChange(c: ResourceChange, style: TextStyle): string[] {
  const ctx: Ctx = {
    style,
    sensitive: new Set([...c.beforeSensitive, ...c.afterSensitive].map(key)),
    forces: new Set(c.replacePaths.map(key)),
    out: [],
  };
  const head = `  ${style.bold(`# ${c.address}`)} ${describeAction(c)}`;
  const marker = isReplace(c) ? (c.actions[0] === 'create' ? '+/-' : '-/+') : { create: '+', delete: '-', forget: '.', update: '~', read: '<=', 'no-op': ' ' }[c.actions[0]!];
  const name = c.index === undefined ? c.name : `${c.name}${typeof c.index === 'number' ? `[${c.index}]` : `["${c.index}"]`}`;
  ctx.out.push(head, `${pad(colourAction(marker!, style), 4)}resource "${c.type}" "${name}" {`);
  const before = (c.before ?? null) as Value;
  const after = (c.after ?? null) as Value;
  const mode: Marker = isReplace(c) || c.actions[0] === 'update' ? '~' : c.actions[0] === 'create' ? '+' : '-';
  renderObject(mode === '+' ? null : before, mode === '-' ? null : after, [], '      ', ctx, mode);
  ctx.out.push('    }');
  return ctx.out;
}

function renderObject(before: Value, after: Value, path: Path, indent: string, ctx: Ctx, mode: Marker): void {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  const shown = keys.filter((k) => {
    const bv = (b[k] ?? null) as Value;
    const av = (a[k] ?? null) as Value;
    if (mode === '+') return av !== null;
    if (mode === '-') return bv !== null;
    return !deepEqual(bv, av) || ((k === 'id' || k === 'name') && av !== null);
  });
  const width = Math.max(0, ...shown.map((k) => k.length));
  let hidden = 0;
  for (const k of keys) {
    const bv = (b[k] ?? null) as Value;
    const av = (a[k] ?? null) as Value;
    if (!shown.includes(k)) {
      if (bv !== null || av !== null) hidden++;
      continue;
    }
    renderAttr(k.padEnd(width), bv, av, [...path, k], indent, ctx, mode);
  }
  if (hidden) ctx.out.push(`${indent}  ${ctx.style.dim(`# (${hidden} unchanged attribute${hidden === 1 ? '' : 's'} hidden)`)}`);
}

function renderAttr(label: string, bv: Value, av: Value, path: Path, indent: string, ctx: Ctx, mode: Marker): void {
  const sensitive = ctx.sensitive.has(key(path));
  const forces = ctx.forces.has(key(path)) ? ctx.style.red(' # forces replacement') : '';
  const line = (m: Marker, text: string): void => {
    ctx.out.push(`${indent}${colour(m, ctx.style)} ${label} = ${text}${forces}`);
  };
  if (sensitive) {
    if (mode === '~' && bv !== null && av !== null && deepEqual(bv, av)) return;
    const m: Marker = mode !== '~' ? mode : bv === null ? '+' : av === null ? '-' : '~';
    return line(m, m === '-' ? '(sensitive value) -> null' : '(sensitive value)');
  }
  if (mode === '~' && deepEqual(bv, av)) {
    // An identifying attribute shown for orientation (id, name).
    ctx.out.push(`${indent}  ${label} = ${formatValue(av, indent + '  ', ctx, path)}`);
    return;
  }
  if (mode === '~' && isObject(bv) && isObject(av)) {
    ctx.out.push(`${indent}${colour('~', ctx.style)} ${label} = {${forces}`);
    renderObject(bv, av, path, indent + '    ', ctx, '~');
    ctx.out.push(`${indent}  }`);
    return;
  }
  if (mode === '~' && Array.isArray(bv) && Array.isArray(av) && bv.length === av.length && av.every((x, i) => isObject(x) && isObject(bv[i]!))) {
    ctx.out.push(`${indent}${colour('~', ctx.style)} ${label} = [${forces}`);
    av.forEach((x, i) => {
      if (deepEqual(bv[i]!, x)) return;
      ctx.out.push(`${indent}      ${colour('~', ctx.style)} {`);
      renderObject(bv[i]!, x, [...path, i], indent + '        ', ctx, '~');
      ctx.out.push(`${indent}        }`);
    });
    ctx.out.push(`${indent}  ]`);
    return;
  }
  // Nested values are laid out from the attribute name's column.
  const base = indent + '  ';
  if (mode === '+' || (mode === '~' && bv === null)) return line('+', formatValue(av, base, ctx, path));
  if (mode === '-' || av === null) return line('-', `${formatValue(bv, base, ctx, path)} -> null`);
  line('~', `${formatValue(bv, base, ctx, path)} -> ${formatValue(av, base, ctx, path)}`);
}

/** A value in HCL-like syntax; nested sensitive values print as `(sensitive value)`. */
export function formatValue(v: Value, indent: string, ctx?: Ctx, path: Path = []): string {
  if (ctx?.sensitive.has(key(path))) return '(sensitive value)';
  if (isUnknown(v)) return '(known after apply)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.includes('\n') ? `<<-EOT\n${v.split('\n').map((l) => `${indent}    ${l}`).join('\n')}\n${indent}EOT` : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    const simple = v.every((x, i) => (typeof x !== 'object' || x === null) && !ctx?.sensitive.has(key([...path, i]))) ;
    if (simple && v.length <= 4) return `[${v.map((x) => formatValue(x, indent)).join(', ')}]`;
    return `[\n${v.map((x, i) => `${indent}    ${formatValue(x, indent + '    ', ctx, [...path, i])},`).join('\n')}\n${indent}]`;
  }
  const keys = Object.keys(v).filter((k) => v[k] !== null).sort();
  if (!keys.length) return '{}';
  const width = Math.max(...keys.map((k) => k.length));
  return `{\n${keys.map((k) => `${indent}    ${k.padEnd(width)} = ${formatValue(v[k]!, indent + '    ', ctx, [...path, k])}`).join('\n')}\n${indent}}`;
}

function colour(m: Marker, style: TextStyle): string {
  return m === '+' ? style.green('+') : m === '-' ? style.red('-') : m === '~' ? style.yellow('~') : ' ';
}

function colourAction(m: string, style: TextStyle): string {
  if (m === '+') return style.green(m);
  if (m === '-' || m === '.') return style.red(m);
  if (m === '~') return style.yellow(m);
  return style.yellow(m);
}

function pad(s: string, width: number): string {
  // Right-align the action marker in a 4-column gutter, as Terraform does (`-/+`, `  +`).
  const visible = s.replace(/\x1b\[[0-9;]*m/g, '');
  return ' '.repeat(Math.max(0, width - visible.length - 1)) + s + ' ';
}
