import type { Range } from '../../core/source.js';

export type NodeKind = 'variable' | 'local' | 'condition' | 'resource' | 'data' | 'output';

export interface GraphNode {
  /** `var.x`, `local.y`, `condition.c`, `database_instance.orders`, `data.network.app`, `output.uri`. */
  id: string;
  kind: NodeKind;
  range: Range;
}

export interface Edge {
  from: string;
  to: string;
  /** Where the reference (or depends_on entry) that makes this edge is written. */
  range: Range;
  explicit: boolean;
}

/** A dependency graph: an edge `from → to` means `from` needs `to` first. */
export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();
  /** Referenced but not declared (already reported); evaluation treats them as unknown. */
  readonly missing = new Set<string>();
  private readonly out = new Map<string, Edge[]>();

  addNode(node: GraphNode): void {
    this.nodes.set(node.id, node);
    if (!this.out.has(node.id)) this.out.set(node.id, []);
  }

  addEdge(edge: Edge): void {
    const list = this.out.get(edge.from)!;
    if (!list.some((e) => e.to === edge.to)) list.push(edge);
  }

  dependencies(id: string): Edge[] {
    return this.out.get(id) ?? [];
  }

  /** Every edge, grouped by source in insertion order. */
  edges(): Edge[] {
    return [...this.out.values()].flat();
  }

  /**
   * Dependencies first; among independent nodes, declaration order. Nodes on a cycle are left
   * out (see `cycles()`).
   */
  topologicalOrder(): string[] {
    const pending = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    for (const id of this.nodes.keys()) {
      const deps = new Set(this.dependencies(id).map((e) => e.to).filter((t) => this.nodes.has(t)));
      pending.set(id, deps.size);
      for (const d of deps) {
        const list = dependents.get(d);
        if (list) list.push(id);
        else dependents.set(d, [id]);
      }
    }
    const ready = [...this.nodes.keys()].filter((id) => pending.get(id) === 0);
    const order: string[] = [];
    for (let i = 0; i < ready.length; i++) {
      const id = ready[i]!;
      order.push(id);
      for (const dep of dependents.get(id) ?? []) {
        const n = pending.get(dep)! - 1;
        pending.set(dep, n);
        if (n === 0) ready.push(dep);
      }
    }
    return order;
  }

  /**
   * Each cycle as the edges that close it, found with Tarjan's strongly connected components
   * (iterative: deep graphs must not overflow the stack). One cycle per component.
   */
  cycles(): Edge[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const result: Edge[][] = [];
    let counter = 0;
    for (const start of this.nodes.keys()) {
      if (index.has(start)) continue;
      const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
      index.set(start, counter);
      low.set(start, counter++);
      stack.push(start);
      onStack.add(start);
      while (work.length) {
        const frame = work[work.length - 1]!;
        const edges = this.dependencies(frame.id).filter((e) => this.nodes.has(e.to));
        if (frame.next < edges.length) {
          const to = edges[frame.next++]!.to;
          if (!index.has(to)) {
            index.set(to, counter);
            low.set(to, counter++);
            stack.push(to);
            onStack.add(to);
            work.push({ id: to, next: 0 });
          } else if (onStack.has(to)) {
            low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
          }
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1]!.id;
          low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
        }
        if (low.get(frame.id) === index.get(frame.id)) {
          const members = new Set<string>();
          let m: string;
          do {
            m = stack.pop()!;
            onStack.delete(m);
            members.add(m);
          } while (m !== frame.id);
          const selfLoop = this.dependencies(frame.id).some((e) => e.to === frame.id);
          if (members.size > 1 || selfLoop) result.push(this.cyclePath(frame.id, members));
        }
      }
    }
    return result;
  }

  /** A shortest path from `start` back to itself inside one strongly connected component. */
  private cyclePath(start: string, members: Set<string>): Edge[] {
    const via = new Map<string, Edge>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const e of this.dependencies(queue[i]!)) {
        if (!members.has(e.to)) continue;
        if (e.to === start) {
          const path: Edge[] = [e];
          let cur = e.from;
          while (cur !== start) {
            const prev = via.get(cur)!;
            path.unshift(prev);
            cur = prev.from;
          }
          return path;
        }
        if (!via.has(e.to)) {
          via.set(e.to, e);
          queue.push(e.to);
        }
      }
    }
    return [];
  }
}
