import { newObject, type Value } from '../core/value.js';
import { parseAddress } from './address.js';
import { nowIso, type StoreContext } from './context.js';
import { aad, seal, unseal } from './crypto.js';
import { StateKeyError } from './errors.js';
import { decoding, RowProblem } from './damage.js';
import { RESOURCE_STATUSES, type ResourceLifecycle, type OutputState, type ResourceState, type ResourceStatus, type ResourceWrite, type SensitivePath } from './types.js';
import { decodeValue, encodeValue, redact, restore, SENSITIVE_MARKER, validatePaths, type Secret } from './values.js';

/** A resource as stored: JSON text with sensitive leaves replaced by the marker, plus one sealed blob. */
interface ResourceRow {
  address: string;
  mode: string;
  type: string;
  name: string;
  index_key: string | null;
  provider: string;
  provider_id: string | null;
  inputs: string;
  attributes: string;
  dependencies: string;
  sensitive_paths: string;
  lifecycle: string;
  sealed: Buffer | null;
  status: string;
  schema_version: number;
  serial: number;
  created_at: string;
  updated_at: string;
}

export type EncodedResource = Omit<ResourceRow, 'serial' | 'created_at' | 'updated_at'>;

/** Validates and seals a resource for `stack`. Done outside transactions: they stay short. */
export function encodeResource(key: Buffer, stack: string, r: ResourceWrite): EncodedResource {
  const { mode, type, name, indexKey } = parseAddress(r.address);
  const what = `resource ${r.address}`;
  if (typeof r.provider !== 'string' || r.provider === '') throw new Error(`${what}: provider must be a non-empty string`);
  if (r.providerId != null && typeof r.providerId !== 'string') throw new Error(`${what}: providerId must be a string or null`);
  const status: ResourceStatus = r.status ?? 'ready';
  if (!RESOURCE_STATUSES.includes(status)) throw new Error(`${what}: status must be one of ${RESOURCE_STATUSES.join(', ')}`);
  const schemaVersion = r.schemaVersion ?? 0;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 0) throw new Error(`${what}: schemaVersion must be a non-negative integer`);
  const deps = r.dependencies ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) throw new Error(`${what}: dependencies must be a list of addresses`);
  const inputPaths = validatePaths(r.sensitive?.inputs, `${what}: sensitive.inputs`);
  const attributePaths = validatePaths(r.sensitive?.attributes, `${what}: sensitive.attributes`);
  encodeValue(r.inputs, `${what} inputs`);
  encodeValue(r.attributes, `${what} attributes`);

  if (r.private !== undefined) encodeValue(r.private, `${what} private data`);
  const doc = newObject([
    ['inputs', r.inputs],
    ['attributes', r.attributes],
    ['private', r.private ?? null],
  ]);
  const paths = [...inputPaths.map((p) => ['inputs', ...p]), ...attributePaths.map((p) => ['attributes', ...p]), ...(r.private !== undefined ? [['private']] : [])];
  const { doc: redacted, secrets } = redact(doc, paths);
  const parts = redacted as { inputs: Value; attributes: Value };
  return {
    address: r.address,
    mode,
    type,
    name,
    index_key: indexKey === null ? null : JSON.stringify(indexKey),
    provider: r.provider,
    provider_id: r.providerId ?? null,
    inputs: encodeValue(parts.inputs, what),
    attributes: encodeValue(parts.attributes, what),
    dependencies: JSON.stringify([...deps]),
    sensitive_paths: JSON.stringify({ inputs: inputPaths, attributes: attributePaths }),
    lifecycle: JSON.stringify(lifecycleOf(r.lifecycle, what)),
    sealed: sealSecrets(key, secrets, aad.resource(stack, r.address)),
    status,
    schema_version: schemaVersion,
  };
}

export function decodeResource(key: Buffer, stack: string, row: ResourceRow): ResourceState {
  return decoding(`resource ${row.address} of stack "${stack}"`, row.address, () => decodeResourceRow(key, stack, row));
}

function decodeResourceRow(key: Buffer, stack: string, row: ResourceRow): ResourceState {
  // `private` is only ever in the sealed blob; the marker gives it a place to be restored to.
  let doc: Value = newObject([
    ['inputs', decodeValue(row.inputs)],
    ['attributes', decodeValue(row.attributes)],
    ['private', SENSITIVE_MARKER],
  ]);
  const paths = JSON.parse(row.sensitive_paths) as { inputs: SensitivePath[]; attributes: SensitivePath[] };
  if (row.sealed) doc = restore(doc, openSecrets(key, row.sealed, aad.resource(stack, row.address), `resource ${row.address} of stack "${stack}"`));
  else assertNoMarkers(doc, [...paths.inputs.map((p) => ['inputs', ...p]), ...paths.attributes.map((p) => ['attributes', ...p])]);
  const status = row.status as ResourceStatus;
  if (!RESOURCE_STATUSES.includes(status)) throw new RowProblem(`unknown status ${JSON.stringify(row.status)}`);
  const parsed = parseAddress(row.address);
  if (parsed.type !== row.type || parsed.name !== row.name) throw new RowProblem('its address does not match its type and name');
  const parts = doc as { inputs: Value; attributes: Value; private: Value };
  return {
    address: row.address,
    mode: row.mode as ResourceState['mode'],
    type: row.type,
    name: row.name,
    indexKey: row.index_key === null ? null : (JSON.parse(row.index_key) as number | string),
    provider: row.provider,
    providerId: row.provider_id,
    inputs: parts.inputs,
    attributes: parts.attributes,
    dependencies: JSON.parse(row.dependencies) as string[],
    status,
    schemaVersion: row.schema_version,
    sensitive: paths,
    lifecycle: JSON.parse(row.lifecycle) as ResourceLifecycle,
    ...(parts.private !== SENSITIVE_MARKER ? { private: parts.private } : {}),
    serial: row.serial,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function sealSecrets(key: Buffer, secrets: Secret[], aadText: string): Buffer | null {
  if (secrets.length === 0) return null;
  return seal(key, Buffer.from(encodeValue(secrets as unknown as Value, 'sensitive values'), 'utf8'), aadText);
}

export function openSecrets(key: Buffer, blob: Buffer, aadText: string, what: string): Secret[] {
  const plain = unseal(key, blob, aadText);
  if (!plain) {
    throw new StateKeyError(
      'tampered',
      `the sealed values of ${what} cannot be decrypted`,
      'the state file was modified outside dbstack, or a sealed value was copied from another row; restore the state from a backup',
    );
  }
  return decodeValue(plain.toString('utf8')) as unknown as Secret[];
}

const RESOURCE_COLUMNS =
  'address, mode, type, name, index_key, provider, provider_id, inputs, attributes, dependencies, sensitive_paths, lifecycle, sealed, status, schema_version, serial, created_at, updated_at';

/** Inserts or replaces a resource row, keeping its creation time. */
export function upsertResource(ctx: StoreContext, stackId: number, r: EncodedResource, serial: number): void {
  const now = nowIso();
  ctx.db
    .prepare(
      `INSERT INTO resources (stack_id, ${RESOURCE_COLUMNS})
       VALUES (@stack_id, @address, @mode, @type, @name, @index_key, @provider, @provider_id, @inputs, @attributes, @dependencies,
               @sensitive_paths, @lifecycle, @sealed, @status, @schema_version, @serial, @now, @now)
       ON CONFLICT (stack_id, address) DO UPDATE SET
         mode = excluded.mode, type = excluded.type, name = excluded.name, index_key = excluded.index_key,
         provider = excluded.provider, provider_id = excluded.provider_id, inputs = excluded.inputs,
         attributes = excluded.attributes, dependencies = excluded.dependencies,
         sensitive_paths = excluded.sensitive_paths, lifecycle = excluded.lifecycle, sealed = excluded.sealed, status = excluded.status,
         schema_version = excluded.schema_version, serial = excluded.serial, updated_at = excluded.updated_at`,
    )
    .run({ ...r, stack_id: stackId, serial, now });
}

/** Restores a row exactly as a snapshot recorded it, except the serial that writes it. */
export function insertRestoredResource(ctx: StoreContext, stackId: number, r: EncodedResource, serial: number, createdAt: string): void {
  ctx.db
    .prepare(
      `INSERT INTO resources (stack_id, ${RESOURCE_COLUMNS})
       VALUES (@stack_id, @address, @mode, @type, @name, @index_key, @provider, @provider_id, @inputs, @attributes, @dependencies,
               @sensitive_paths, @lifecycle, @sealed, @status, @schema_version, @serial, @created_at, @now)`,
    )
    .run({ ...r, stack_id: stackId, serial, created_at: createdAt, now: nowIso() });
}

export function selectResource(ctx: StoreContext, stackId: number, address: string): ResourceRow | undefined {
  return ctx.db.prepare(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE stack_id = ? AND address = ?`).get(stackId, address) as ResourceRow | undefined;
}

export function selectResources(ctx: StoreContext, stackId: number): ResourceRow[] {
  return ctx.db.prepare(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE stack_id = ? ORDER BY address`).all(stackId) as ResourceRow[];
}

export function deleteResourceRow(ctx: StoreContext, stackId: number, address: string): boolean {
  return ctx.db.prepare('DELETE FROM resources WHERE stack_id = ? AND address = ?').run(stackId, address).changes > 0;
}

interface OutputRow {
  name: string;
  value: string;
  sensitive: number;
  sealed: Buffer | null;
}

export interface EncodedOutput extends OutputRow {}

export function encodeOutput(key: Buffer, stack: string, o: OutputState): EncodedOutput {
  if (typeof o.name !== 'string' || o.name === '') throw new Error('an output name must be a non-empty string');
  const text = encodeValue(o.value, `output ${o.name}`);
  if (!o.sensitive) return { name: o.name, value: text, sensitive: 0, sealed: null };
  const secrets: Secret[] = [[[], o.value]];
  return { name: o.name, value: JSON.stringify(SENSITIVE_MARKER), sensitive: 1, sealed: sealSecrets(key, secrets, aad.output(stack, o.name)) };
}

export function decodeOutput(key: Buffer, stack: string, row: OutputRow): OutputState {
  return decoding(`output ${row.name} of stack "${stack}"`, undefined, () => {
    let value = decodeValue(row.value);
    if (row.sealed) value = restore(value, openSecrets(key, row.sealed, aad.output(stack, row.name), `output ${row.name} of stack "${stack}"`));
    else if (row.sensitive === 1) throw new RowProblem('its sensitive value has no sealed copy (the sealed column was cleared)');
    return { name: row.name, value, sensitive: row.sensitive === 1 };
  });
}

/**
 * Without a sealed blob, no sensitive path may hold the marker: the secret it stood for is
 * gone (the sealed column was cleared), and planning on the marker would be planning on a lie.
 */
function assertNoMarkers(doc: Value, paths: SensitivePath[]): void {
  if (redact(doc, paths).secrets.some(([, v]) => v === SENSITIVE_MARKER)) throw new RowProblem('a sensitive value has no sealed copy (the sealed column was cleared)');
}

export function replaceOutputs(ctx: StoreContext, stackId: number, outputs: readonly EncodedOutput[], serial: number): void {
  ctx.db.prepare('DELETE FROM outputs WHERE stack_id = ?').run(stackId);
  const insert = ctx.db.prepare(
    'INSERT INTO outputs (stack_id, name, value, sensitive, sealed, serial, updated_at) VALUES (@stack_id, @name, @value, @sensitive, @sealed, @serial, @now)',
  );
  const now = nowIso();
  for (const o of outputs) insert.run({ ...o, stack_id: stackId, serial, now });
}

export function selectOutputs(ctx: StoreContext, stackId: number): OutputRow[] {
  return ctx.db.prepare('SELECT name, value, sensitive, sealed FROM outputs WHERE stack_id = ? ORDER BY name').all(stackId) as OutputRow[];
}

const POLICIES = ['Delete', 'Retain', 'Snapshot'];

function lifecycleOf(l: ResourceLifecycle | undefined, what: string): ResourceLifecycle {
  if (l === undefined) return {};
  if (l.deletionPolicy !== undefined && !POLICIES.includes(l.deletionPolicy)) throw new Error(`${what}: deletionPolicy must be one of ${POLICIES.join(', ')}`);
  if (l.preventDestroy !== undefined && typeof l.preventDestroy !== 'boolean') throw new Error(`${what}: preventDestroy must be a boolean`);
  return { ...(l.deletionPolicy && l.deletionPolicy !== 'Delete' ? { deletionPolicy: l.deletionPolicy } : {}), ...(l.preventDestroy ? { preventDestroy: true } : {}) };
}
