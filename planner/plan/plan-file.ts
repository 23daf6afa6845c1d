import { readFileSync, writeFileSync } from 'node:fs';
import { isUnknown, unknown, type Value } from '../expr/value.js';
import { summarize } from './summary.js';
import type { Plan } from './types.js';

const FORMAT = 'dbstack-plan';
const VERSION = 1;
const UNKNOWN_MARK = '__dbstack_unknown__';

/** A saved plan's readable header; the plan itself is sealed (it holds the new passwords). */
export interface PlanFileHeader {
  format: typeof FORMAT;
  version: number;
  stack: string;
  lineage: string;
  serial: number;
  createdAt: string;
  summary: ReturnType<typeof summarize>;
}

export class PlanFileError extends Error {}

/** Seals and opens blobs with the state's key (the key itself never leaves the store). */
export interface Sealer {
  seal(plaintext: Buffer, aad: string): Buffer;
  unseal(blob: Buffer, aad: string): Buffer | undefined;
}

const aadFor = (h: PlanFileHeader) => `dbstack/plan/v${h.version}\0${h.stack}\0${h.lineage}\0${h.serial}\0${h.createdAt}`;

/**
 * Writes a plan file: a JSON header (stack, lineage, serial, counts) and the plan sealed with
 * AES-256-GCM under the state key, the header bound as authenticated data — so the file holds
 * no secret in plain text and cannot be edited or re-pointed at another state.
 */
export function writePlanFile(path: string, plan: Plan, sealer: Sealer): void {
  const header: PlanFileHeader = {
    format: FORMAT,
    version: VERSION,
    stack: plan.stack,
    lineage: plan.lineage,
    serial: plan.serial,
    createdAt: plan.createdAt,
    summary: summarize(plan),
  };
  const body = JSON.stringify(plan, (_k, v) => (isUnknown(v) ? { [UNKNOWN_MARK]: true } : v));
  const sealed = sealer.seal(Buffer.from(body, 'utf8'), aadFor(header));
  writeFileSync(path, JSON.stringify({ ...header, sealed: sealed.toString('base64') }) + '\n', { mode: 0o600 });
}

export function readPlanHeader(path: string): PlanFileHeader & { sealed: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PlanFileError(code ? `cannot read the plan file ${path}: ${code}` : `${path} is not a dbstack plan file (not JSON)`);
  }
  const h = raw as PlanFileHeader & { sealed: string };
  if (h?.format !== FORMAT || typeof h.sealed !== 'string') throw new PlanFileError(`${path} is not a dbstack plan file`);
  if (h.version !== VERSION) throw new PlanFileError(`${path} was written by a dbstack with plan format ${h.version}; this one reads format ${VERSION}`);
  return h;
}

export function readPlanFile(path: string, sealer: Sealer): Plan {
  const h = readPlanHeader(path);
  const body = sealer.unseal(Buffer.from(h.sealed, 'base64'), aadFor(h));
  if (!body) {
    throw new PlanFileError(
      `the plan file ${path} cannot be opened with this state's key: it was made for another state, with another key, or it was modified`,
    );
  }
  return JSON.parse(body.toString('utf8'), (_k, v: Value) =>
    v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[UNKNOWN_MARK] === true ? unknown : v,
  ) as Plan;
}
