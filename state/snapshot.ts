import type { Value } from '../core/value.js';
import type { StoreContext } from './context.js';
import { aad } from './crypto.js';
import { decoding } from './damage.js';
import { decodeOutput, decodeResource, openSecrets, sealSecrets, selectOutputs, selectResources } from './rows.js';
import type { StackRow } from './stacks.js';
import type { OutputState, ResourceState, SensitivePath, StateSnapshot } from './types.js';
import { decodeValue, encodeValue, redact, restore } from './values.js';

/** The stack's whole current state, decrypted. Call inside a transaction for a consistent view. */
export function loadState(ctx: StoreContext, stack: StackRow): StateSnapshot {
  return {
    name: stack.name,
    lineage: stack.lineage,
    serial: stack.serial,
    resources: selectResources(ctx, stack.id).map((r) => decodeResource(ctx.key, stack.name, r)),
    outputs: selectOutputs(ctx, stack.id).map((o) => decodeOutput(ctx.key, stack.name, o)),
  };
}

/**
 * A snapshot as stored in history: JSON with every sensitive value replaced by the marker,
 * and the removed values in one sealed blob bound to (stack, serial).
 */
export function sealSnapshot(key: Buffer, s: StateSnapshot): { json: string; sealed: Buffer | null } {
  const paths: SensitivePath[] = [];
  s.resources.forEach((r, i) => {
    for (const p of r.sensitive.inputs) paths.push(['resources', i, 'inputs', ...p]);
    for (const p of r.sensitive.attributes) paths.push(['resources', i, 'attributes', ...p]);
    if (r.private !== undefined) paths.push(['resources', i, 'private']);
  });
  s.outputs.forEach((o, j) => {
    if (o.sensitive) paths.push(['outputs', j, 'value']);
  });
  const doc = { lineage: s.lineage, serial: s.serial, resources: s.resources, outputs: s.outputs } as unknown as Value;
  const { doc: redacted, secrets } = redact(doc, paths);
  return { json: encodeValue(redacted, `snapshot of stack "${s.name}"`), sealed: sealSecrets(key, secrets, aad.snapshot(s.name, s.serial)) };
}

export function openSnapshot(key: Buffer, stack: string, serial: number, json: string, sealed: Buffer | null): StateSnapshot {
  return decoding(`the snapshot of serial ${serial} of stack "${stack}"`, undefined, () => openSnapshotRow(key, stack, serial, json, sealed));
}

function openSnapshotRow(key: Buffer, stack: string, serial: number, json: string, sealed: Buffer | null): StateSnapshot {
  let doc = decodeValue(json);
  if (sealed) doc = restore(doc, openSecrets(key, sealed, aad.snapshot(stack, serial), `the snapshot of serial ${serial} of stack "${stack}"`));
  const d = doc as unknown as { lineage: string; serial: number; resources: ResourceState[]; outputs: OutputState[] };
  return {
    name: stack,
    lineage: d.lineage,
    serial: d.serial,
    resources: d.resources.map((r) => ({
      address: r.address,
      mode: r.mode,
      type: r.type,
      name: r.name,
      indexKey: r.indexKey,
      provider: r.provider,
      providerId: r.providerId,
      inputs: r.inputs,
      attributes: r.attributes,
      dependencies: [...r.dependencies],
      status: r.status,
      schemaVersion: r.schemaVersion,
      sensitive: { inputs: r.sensitive.inputs.map((p) => [...p]), attributes: r.sensitive.attributes.map((p) => [...p]) },
      // Snapshots written before migration 2 have no lifecycle.
      lifecycle: { ...(r.lifecycle ?? {}) },
      ...(r.private !== undefined ? { private: r.private } : {}),
      serial: r.serial,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
    outputs: d.outputs.map((o) => ({ name: o.name, value: o.value, sensitive: o.sensitive })),
  };
}
