/**
 * Turns a plan's resource changes into operations and the order between them: creates and
 * updates after what they depend on, deletes before what they depend on is deleted, a
 * replace's two halves in the order create_before_destroy asks for.
 */
import type { ResourceChange } from '../planner/plan/types.js';

export type OperationKind = 'create' | 'update' | 'delete' | 'forget';

export interface Operation {
  /** `create:database_instance.orders` — unique per plan. */
  id: string;
  kind: OperationKind;
  change: ResourceChange;
  /** The delete half of a create_before_destroy replace removes the old (deposed) object. */
  deposed: boolean;
  /** Operation ids that must have succeeded before this one starts. */
  after: Set<string>;
}

const opId = (kind: OperationKind, address: string) => `${kind}:${address}`;

/** `a.b[0]` → `a.b`: dependencies are recorded per declaration. */
export function baseAddress(address: string): string {
  return address.endsWith(']') ? address.replace(/\[[^\]]*\]$/, '') : address;
}

export function buildOperations(changes: readonly ResourceChange[]): Operation[] {
  const ops = new Map<string, Operation>();
  const add = (kind: OperationKind, change: ResourceChange, deposed = false) => {
    const op: Operation = { id: opId(kind, change.address), kind, change, deposed, after: new Set() };
    ops.set(op.id, op);
    return op;
  };
  for (const c of changes) {
    const [first, second] = c.actions;
    if (c.mode !== 'managed' || first === 'no-op' || first === 'read') continue;
    if (second) {
      // A replace: ['delete','create'] or, with create_before_destroy, ['create','delete'].
      const create = add('create', c);
      const del = add('delete', c, first === 'create');
      if (first === 'delete') create.after.add(del.id);
      else del.after.add(create.id);
    } else add(first!, c);
  }

  // Instances per declaration address, for dependencies recorded as `TYPE.NAME`.
  const byBase = new Map<string, ResourceChange[]>();
  for (const c of changes) {
    const b = baseAddress(c.address);
    byBase.set(b, [...(byBase.get(b) ?? []), c]);
  }
  const instancesOf = (dep: string) => byBase.get(dep) ?? byBase.get(baseAddress(dep)) ?? [];
  const writeOp = (address: string) => ops.get(opId('create', address)) ?? ops.get(opId('update', address));

  for (const op of ops.values()) {
    const deps = op.change.dependencies;
    if (op.kind === 'create' || op.kind === 'update') {
      // After every create/update of what it depends on.
      for (const d of deps) for (const c of instancesOf(d)) {
        const w = writeOp(c.address);
        if (w && w !== op) op.after.add(w.id);
      }
    } else if (op.kind === 'delete' && !op.deposed) {
      // What depended on it is deleted (or updated away from it) first.
      for (const other of ops.values()) {
        if (other === op || !other.change.dependencies.some((d) => d === op.change.address || d === baseAddress(op.change.address))) continue;
        if (other.kind === 'delete' && !other.deposed) op.after.add(other.id);
        // A pure delete waits for the update of a resource that referred to it; a replaced
        // one is recreated after its own delete, so that ordering would be a cycle.
        if (other.kind === 'update' && op.change.actions.length === 1) op.after.add(other.id);
      }
    } else if (op.kind === 'delete' && op.deposed) {
      // create_before_destroy: the old object goes once its dependents point at the new one.
      for (const other of ops.values()) {
        if ((other.kind === 'create' || other.kind === 'update') && other.change.address !== op.change.address
          && other.change.dependencies.some((d) => d === op.change.address || d === baseAddress(op.change.address))) op.after.add(other.id);
      }
    }
  }
  breakCycles([...ops.values()]);
  return [...ops.values()];
}

/**
 * Orders that cannot all hold (an unusual mix of replace modes) must not deadlock the walk:
 * any edge closing a cycle is dropped, keeping the dependency-order edges found first.
 */
function breakCycles(ops: Operation[]): void {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const state = new Map<string, 1 | 2>();
  const visit = (op: Operation) => {
    state.set(op.id, 1);
    for (const dep of [...op.after]) {
      const s = state.get(dep);
      if (s === 1) op.after.delete(dep);
      else if (s === undefined && byId.has(dep)) visit(byId.get(dep)!);
    }
    state.set(op.id, 2);
  };
  for (const op of ops) if (!state.has(op.id)) visit(op);
}
