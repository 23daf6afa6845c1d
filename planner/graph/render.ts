import type { DependencyGraph, GraphNode } from './graph.js';

export type GraphFormat = 'mermaid' | 'dot';

/**
 * The resource graph: resources and data sources, with edges carried through locals,
 * variables and conditions so `a → local.x → b` shows as `a → b`. With `all`, every node.
 */
export function renderGraph(g: DependencyGraph, format: GraphFormat, all = false): string {
  const shown = (n: GraphNode) => all || n.kind === 'resource' || n.kind === 'data';
  const nodes = [...g.nodes.values()].filter(shown);
  const edges: [string, string, boolean][] = [];
  for (const n of nodes) {
    const seen = new Set<string>();
    const stack = g.dependencies(n.id).map((e) => ({ to: e.to, explicit: e.explicit }));
    while (stack.length) {
      const { to, explicit } = stack.pop()!;
      if (seen.has(to)) continue;
      seen.add(to);
      const target = g.nodes.get(to);
      if (!target) continue;
      if (shown(target)) edges.push([n.id, to, explicit]);
      else stack.push(...g.dependencies(to).map((e) => ({ to: e.to, explicit })));
    }
  }
  return format === 'dot' ? dot(nodes, edges) : mermaid(nodes, edges);
}

function mermaid(nodes: GraphNode[], edges: [string, string, boolean][]): string {
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of nodes) {
    const label = n.id.replace(/"/g, '#quot;');
    lines.push(n.kind === 'data' ? `  ${ids.get(n.id)}[/"${label}"/]` : n.kind === 'resource' ? `  ${ids.get(n.id)}["${label}"]` : `  ${ids.get(n.id)}("${label}")`);
  }
  for (const [from, to, explicit] of edges) lines.push(`  ${ids.get(from)} ${explicit ? '-.->' : '-->'} ${ids.get(to)}`);
  return lines.join('\n') + '\n';
}

function dot(nodes: GraphNode[], edges: [string, string, boolean][]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['digraph dbstack {', '  rankdir = "RL";', '  node [shape = box];'];
  for (const n of nodes) lines.push(`  ${q(n.id)}${n.kind === 'data' ? ' [shape = note]' : n.kind === 'resource' ? '' : ' [shape = ellipse]'};`);
  for (const [from, to, explicit] of edges) lines.push(`  ${q(from)} -> ${q(to)}${explicit ? ' [style = dashed]' : ''};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
