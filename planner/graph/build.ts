import { collectRefs, type Expr, type ScopeRefExpr } from '../expr/ast.js';
import { didYouMean, error, warning, type Diagnostic } from '../../core/diagnostics.js';
import type { StackDocument } from '../model/document.js';
import { formatRange } from '../../core/source.js';
import type { PreparedResource } from '../resolve/prepare.js';
import { nativeTypes } from '../resolve/schema-info.js';
import { DependencyGraph, type Edge } from './graph.js';

export interface GraphOptions {
  /**
   * Treat references to resources that are not declared as unknown values with a warning
   * instead of an error: for documentation fragments that reference what another file defines.
   */
  allowUndeclared?: boolean;
}

/** The node a reference points at, or undefined for roots that are not graph nodes (count, each, …). */
export function refTarget(ref: ScopeRefExpr, resourceRoots: ReadonlySet<string>): string | undefined {
  const s = ref.steps;
  const name = (i: number) => (s[i]?.kind === 'attr' ? (s[i] as { name: string }).name : undefined);
  switch (ref.root) {
    case 'var':
      return name(0) !== undefined ? `var.${name(0)}` : undefined;
    case 'local':
      return name(0) !== undefined ? `local.${name(0)}` : undefined;
    case 'condition':
      return name(0) !== undefined ? `condition.${name(0)}` : undefined;
    case 'data':
      return name(0) !== undefined && name(1) !== undefined ? `data.${name(0)}.${name(1)}` : undefined;
    default:
      return resourceRoots.has(ref.root) && name(0) !== undefined ? `${ref.root}.${name(0)}` : undefined;
  }
}

/**
 * Builds the dependency graph of a stack from every reference and `depends_on`, and reports
 * references to things that are not declared and every cycle with its full path.
 */
export function buildGraph(
  doc: StackDocument,
  resources: PreparedResource[],
  diags: Diagnostic[],
  options: GraphOptions = {},
): DependencyGraph {
  const g = new DependencyGraph();
  for (const v of doc.variables) g.addNode({ id: `var.${v.name}`, kind: 'variable', range: v.range });
  for (const c of doc.conditions) g.addNode({ id: `condition.${c.name}`, kind: 'condition', range: c.range });
  for (const l of doc.locals) g.addNode({ id: `local.${l.name}`, kind: 'local', range: l.range });
  for (const r of resources) g.addNode({ id: r.address, kind: r.mode === 'data' ? 'data' : 'resource', range: r.decl.range });
  for (const o of doc.outputs) g.addNode({ id: `output.${o.name}`, kind: 'output', range: o.range });

  const resourceRoots = new Set(resources.filter((r) => r.mode === 'managed').map((r) => r.type));
  for (const t of nativeTypes('managed')) resourceRoots.add(t);
  const link = (from: string, exprs: (Expr | undefined)[], explicit = false): void => {
    for (const e of exprs) {
      if (!e) continue;
      for (const ref of collectRefs(e)) {
        const to = refTarget(ref, resourceRoots);
        if (to === undefined) continue;
        if (!g.nodes.has(to)) {
          if (!g.missing.has(to)) reportUndeclared(ref, to, g, diags, options);
          g.missing.add(to);
          continue;
        }
        g.addEdge({ from, to, range: ref.range, explicit });
      }
    }
  };
  for (const l of doc.locals) link(`local.${l.name}`, [l.value]);
  for (const c of doc.conditions) link(`condition.${c.name}`, [c.expr]);
  for (const r of resources) {
    link(r.address, [r.body, r.decl.count, r.decl.forEach, r.decl.condition]);
    link(r.address, r.decl.dependsOn, true);
  }
  for (const o of doc.outputs) link(`output.${o.name}`, [o.value, o.condition]);

  for (const cycle of g.cycles()) diags.push(cycleDiagnostic(cycle, g));
  return g;
}

function reportUndeclared(ref: ScopeRefExpr, to: string, g: DependencyGraph, diags: Diagnostic[], options: GraphOptions): void {
  const kind = to.startsWith('var.') ? 'variable' : to.startsWith('local.') ? 'local value' : to.startsWith('condition.') ? 'condition' : 'resource';
  const sameKind = [...g.nodes.keys()].filter((id) => id.split('.')[0] === to.split('.')[0] || kind === 'resource');
  const hint = didYouMean(to, sameKind);
  const summary = `reference to undeclared ${kind} \`${to}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`;
  if (options.allowUndeclared && kind === 'resource') {
    diags.push(warning(summary, ref.range, 'Its attributes are treated as unknown (fragment mode).'));
    return;
  }
  diags.push(error(summary, ref.range, kind === 'variable' ? `Declare it with a \`variable "${to.slice(4)}"\` block (HCL) or under \`parameters:\` (HOT).` : undefined));
}

function cycleDiagnostic(cycle: Edge[], g: DependencyGraph): Diagnostic {
  const path = [...cycle.map((e) => e.from), cycle[cycle.length - 1]!.to].join(' → ');
  const steps = cycle.map((e) => `  ${e.from} refers to ${e.to} at ${formatRange(e.range)}`).join('\n');
  return error(
    `dependency cycle: ${path}`,
    g.nodes.get(cycle[0]!.from)!.range,
    `${steps}\nBreak the cycle by removing one of these references or depends_on entries.`,
  );
}
