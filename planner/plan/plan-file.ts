import { closeSync, constants, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { isUnknown, unknown, type Value } from '../../core/value.js';
import { fileKind } from '../load/read-file.js';
import { summarize } from './summary.js';
import type { Plan } from './types.js';

const FORMAT = 'dbstack-plan';
/** 2: the whole header is authenticated, byte for byte. Plans of format 1 must be made again. */
const VERSION = 2;
const UNKNOWN_MARK = '__dbstack_unknown__';
/** How every plan file begins; a file that begins with part of it is a plan cut short. */
const PLAN_PREFIX = `{"format":"${FORMAT}"`;
const MAX_BYTES = 256 * 1024 * 1024;
/** The stack-file extensions planner/load reads; any other file given alone to apply is taken as a plan. */
const STACK_EXTENSIONS = new Set(['.tf', '.hcl', '.yaml', '.yml', '.json', '.template']);
const REMAKE = 'make the plan again with `dbstack plan --out FILE …`';

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

export class PlanFileError extends Error {
  constructor(
    message: string,
    readonly detail: string = 'Plans are sealed with the key of the state they were made against: use the same --state (and DBSTACK_STATE_KEY).',
  ) {
    super(message);
  }
}

/** Seals and opens blobs with the state's key (the key itself never leaves the store). */
export interface Sealer {
  seal(plaintext: Buffer, aad: string): Buffer;
  unseal(blob: Buffer, aad: string): Buffer | undefined;
}

/** The authenticated data: the header exactly as written, so no byte of it can change unseen. */
const aadFor = (headerJson: string) => `dbstack/plan/v${VERSION}\0${headerJson}`;

/** The file's exact text for a header (as JSON text) and the sealed plan. */
const fileText = (headerJson: string, sealed: string) => `${headerJson.slice(0, -1)},"sealed":"${sealed}"}\n`;

/**
 * Writes a plan file: a JSON header (stack, lineage, serial, counts) and the plan sealed with
 * AES-256-GCM under the state key, the header's exact bytes bound as authenticated data, so
 * the file holds no secret in plain text and no byte of it can be edited or re-pointed at
 * another state. Written to a temporary file and renamed: never left half-written.
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
  const headerJson = JSON.stringify(header);
  const body = JSON.stringify(plan, (_k, v) => (isUnknown(v) ? { [UNKNOWN_MARK]: true } : v));
  const sealed = sealer.seal(Buffer.from(body, 'utf8'), aadFor(headerJson));
  const existing = statOrUndefined(path);
  if (existing && !existing.isFile()) throw new PlanFileError(`cannot save the plan to ${path}: it is ${fileKind(existing)}`, 'Pass the path of a file to --out.');
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, fileText(headerJson, sealed.toString('base64')));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw new PlanFileError(`cannot save the plan to ${path}: ${(e as Error).message}`, 'Pass a path in a directory you can write to with --out.');
  }
}

/**
 * Whether `path`, given alone to apply, is a saved plan rather than a stack file. It errs
 * towards "plan" (whose reader then refuses a damaged file with a clear sentence): a damaged
 * plan read as a stack file could be an empty stack, which plans to destroy everything.
 */
export function isSavedPlanArgument(path: string): boolean {
  const st = statOrUndefined(path);
  if (!st) return false; // missing: the stack loader says so
  if (st.isDirectory()) return false; // a directory of stack files
  if (!st.isFile()) return true; // a FIFO or device: refused by the plan reader, never opened
  if (!STACK_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  if (st.size === 0) return true; // neither: refused rather than applied as an empty stack
  const head = readHead(path, 4096);
  if (head === undefined) return false; // unreadable: the stack loader reports it
  if (head.includes(0)) return true; // binary: not a stack file
  const text = head.toString('latin1');
  if (text.includes(`"${FORMAT}"`) || text.includes('"sealed":"')) return true;
  const start = text.trimStart();
  return start.length > 0 && PLAN_PREFIX.startsWith(start.slice(0, PLAN_PREFIX.length));
}

/** The header, checked: a plan file exactly as dbstack wrote it (else a PlanFileError saying what is wrong). */
export function readPlanHeader(path: string): PlanFileHeader & { sealed: string } {
  return parsePlanText(path, readPlanText(path)).header;
}

export function readPlanFile(path: string, sealer: Sealer): Plan {
  const { header, headerJson } = parsePlanText(path, readPlanText(path));
  const body = sealer.unseal(Buffer.from(header.sealed, 'base64'), aadFor(headerJson));
  if (!body) {
    throw new PlanFileError(`the plan file ${path} cannot be opened with this state's key: it was made for another state, with another key, or it was modified`);
  }
  const plan = JSON.parse(body.toString('utf8'), (_k, v: Value) =>
    v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[UNKNOWN_MARK] === true ? unknown : v,
  ) as Plan;
  if (plan.stack !== header.stack || plan.lineage !== header.lineage || plan.serial !== header.serial) {
    throw new PlanFileError(`the plan file ${path} is damaged: its header does not match the plan it seals`, REMAKE);
  }
  return plan;
}

function readPlanText(path: string): string {
  const st = statOrUndefined(path);
  if (!st) throw new PlanFileError(`cannot read the plan file ${path}: no such file`, 'Give the path of a plan saved with `dbstack plan --out FILE`.');
  if (st.isDirectory()) throw new PlanFileError(`${path} is a directory, not a saved plan`, 'Give the path of a plan saved with `dbstack plan --out FILE`, or stack files.');
  if (!st.isFile()) throw new PlanFileError(`${path} is not a saved plan: it is ${fileKind(st)}`, 'Give the path of a plan saved with `dbstack plan --out FILE`.');
  if (st.size === 0) throw new PlanFileError(`${path} is empty: it is neither a saved plan nor a stack`, `Give a plan saved with \`dbstack plan --out FILE\`, or stack files; to destroy everything, use \`dbstack destroy\`.`);
  if (st.size > MAX_BYTES) throw new PlanFileError(`${path} is too large to be a saved plan (${st.size} bytes)`, 'Give the path of a plan saved with `dbstack plan --out FILE`.');
  const bytes = readHead(path, st.size);
  if (bytes === undefined) throw new PlanFileError(`cannot read the plan file ${path}`, 'Check its permissions.');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notAPlan(path);
  }
}

function parsePlanText(path: string, text: string): { header: PlanFileHeader & { sealed: string }; headerJson: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    if (looksLikePlan(text)) throw new PlanFileError(`the plan file ${path} is damaged: it is not valid JSON (truncated or edited)`, REMAKE);
    throw notAPlan(path);
  }
  const h = raw as PlanFileHeader & { sealed: string };
  if (h === null || typeof h !== 'object' || Array.isArray(h)) throw notAPlan(path);
  if (h.format !== FORMAT) {
    if (typeof h.sealed === 'string') throw new PlanFileError(`the plan file ${path} is damaged: its format is not "${FORMAT}"`, REMAKE);
    throw notAPlan(path);
  }
  if (!Number.isInteger(h.version)) throw new PlanFileError(`the plan file ${path} is damaged: it has no format version`, REMAKE);
  if (h.version !== VERSION) {
    throw new PlanFileError(`${path} was written by a dbstack with plan format ${JSON.stringify(h.version)}; this one reads format ${VERSION}`, REMAKE);
  }
  const { sealed, ...rest } = h;
  const fieldsOk =
    typeof sealed === 'string' &&
    typeof h.stack === 'string' &&
    typeof h.lineage === 'string' &&
    Number.isInteger(h.serial) &&
    typeof h.createdAt === 'string' &&
    h.summary !== null &&
    typeof h.summary === 'object';
  const headerJson = JSON.stringify(rest);
  // Byte for byte as written: a change that keeps the JSON valid (spacing, escapes, key
  // order, a base64 character whose unused bits differ) is refused too.
  if (!fieldsOk || text !== fileText(headerJson, sealed) || Buffer.from(sealed, 'base64').toString('base64') !== sealed) {
    throw new PlanFileError(`the plan file ${path} is damaged: it is not exactly as dbstack wrote it (edited or corrupted)`, REMAKE);
  }
  return { header: h, headerJson };
}

function looksLikePlan(text: string): boolean {
  const start = text.trimStart();
  return text.includes(`"${FORMAT}"`) || text.includes('"sealed":"') || (start.length > 0 && PLAN_PREFIX.startsWith(start.slice(0, PLAN_PREFIX.length)));
}

function notAPlan(path: string): PlanFileError {
  return new PlanFileError(
    `${path} is not a dbstack plan file`,
    'Give a plan saved with `dbstack plan --out FILE`, or stack files (.hcl, .tf, .yaml, .yml, .json, .template).',
  );
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Up to `n` first bytes of a regular file (never opens anything that could block). */
function readHead(path: string, n: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const k = readSync(fd, buf, got, n - got, got);
      if (k === 0) break;
      got += k;
    }
    return buf.subarray(0, got);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
