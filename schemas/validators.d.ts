// Types for dist/schemas/validators.js, which the build step (schemas/compile.ts) generates.
import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  /** The errors of the last call (ajv's shape), or null when it passed. */
  errors?: ErrorObject[] | null;
}

/** Schema key ("resources/database_instance", "data/network", "providers/openstack", "stack") → validator. */
export declare const validators: Readonly<Record<string, StandaloneValidator>>;
