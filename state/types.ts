import type { Value } from '../core/value.js';

/** One step of a sensitive-attribute path: an object key or list index; `*` = every element. */
export type PathElement = string | number;
export type SensitivePath = readonly PathElement[];

export interface SensitivePaths {
  inputs?: readonly SensitivePath[];
  attributes?: readonly SensitivePath[];
}

export const RESOURCE_STATUSES = ['ready', 'tainted', 'creating', 'updating', 'deleting'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

/** What the applier writes for one resource instance. Mode, type, name and index come from the address. */
/**
 * How a resource is to be destroyed, as declared when it was last applied: it must hold when
 * the resource has since been removed from the configuration (HOT `deletion_policy: Retain`
 * then forgets it instead of deleting it).
 */
export interface ResourceLifecycle {
  deletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
  preventDestroy?: boolean;
}

export interface ResourceWrite {
  /** `TYPE.NAME`, `TYPE.NAME[0]`, `TYPE.NAME["key"]`, `data.TYPE.NAME`. */
  address: string;
  /** Provider name (`openstack`, `local`). */
  provider: string;
  /** The cloud object's id; null until known. */
  providerId?: string | null;
  /** The configuration the resource was created from. */
  inputs: Value;
  /** All attributes, computed ones included. */
  attributes: Value;
  /** Addresses this resource depends on. */
  dependencies?: readonly string[];
  /** Default `ready`. */
  status?: ResourceStatus;
  /** The resource type's schema version the attributes follow. Default 0. */
  schemaVersion?: number;
  /** Paths of sensitive values; those values are sealed, never stored in clear. */
  sensitive?: SensitivePaths;
  lifecycle?: ResourceLifecycle;
  /**
   * The provider's own data about the object (ids of the parts it is made of, the guest's
   * key): never shown, sealed whole.
   */
  private?: Value;
}

export interface ResourceState {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  indexKey: number | string | null;
  provider: string;
  providerId: string | null;
  inputs: Value;
  attributes: Value;
  dependencies: string[];
  status: ResourceStatus;
  schemaVersion: number;
  sensitive: { inputs: SensitivePath[]; attributes: SensitivePath[] };
  lifecycle: ResourceLifecycle;
  private?: Value;
  /** The serial of the run that last wrote this resource. */
  serial: number;
  createdAt: string;
  updatedAt: string;
}

export interface OutputState {
  name: string;
  value: Value;
  sensitive: boolean;
}

export interface StackInfo {
  name: string;
  /** Fixed when the stack is created; a plan from another lineage is for a different state. */
  lineage: string;
  /** Incremented once per run; 0 for a stack nothing was applied to yet. */
  serial: number;
}

export interface StateSnapshot extends StackInfo {
  resources: ResourceState[];
  outputs: OutputState[];
}

export type RunStatus = 'running' | 'applied' | 'failed' | 'interrupted';

export interface HistoryEntry {
  serial: number;
  command: string;
  summary: Value;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /** False only for a run still in progress (or one that crashed and was not followed by another). */
  hasSnapshot: boolean;
}

export type JournalOutcome = 'succeeded' | 'failed' | 'adopted' | 'abandoned';

export interface JournalEntry {
  id: number;
  stack: string;
  address: string;
  action: string;
  runSerial: number;
  detail: Value;
  startedAt: string;
  endedAt: string | null;
  outcome: JournalOutcome | null;
  note: Value;
}
