import { basename, extname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { probeStateFile, StateError, StateStore } from '../state/index.js';
import { DiagnosticError, type Diagnostic } from '../core/diagnostics.js';
import type { Reporter } from './output/reporter.js';

export interface StateOptions {
  state?: string;
  stack?: string;
}

export const DEFAULT_STATE = '.dbstack/state.db';

export function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--state <path>', `the state file (default ${DEFAULT_STATE})`)
    .option('--stack <name>', 'the stack within the state file (default: the stack file or directory name)')
    .option('--os-cloud <name>', 'the clouds.yaml cloud of provider "openstack" (as the OpenStack CLI; sets OS_CLOUD)');
}

/** `--stack`, else the name of the one stack file (`quickstart.hcl` → quickstart) or directory. */
export function stackName(opts: StateOptions, files: string[] = []): string {
  if (opts.stack) return opts.stack;
  const first = files[0];
  if (!first) return 'default';
  let isDir = false;
  try {
    isDir = statSync(first).isDirectory();
  } catch {
    /* reported by the loader */
  }
  const name = isDir ? basename(resolve(first)) : basename(first, extname(first));
  return name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'default';
}

/**
 * Opens the state store; a problem with the file or key comes back as a diagnostic. With
 * `write`, a state this user may not write is refused here, before the command does anything.
 */
export function openState(opts: StateOptions, how: { write?: boolean } = {}): { store?: StateStore; diagnostic?: Diagnostic } {
  let store: StateStore | undefined;
  try {
    store = StateStore.open(opts.state ?? DEFAULT_STATE);
    if (how.write) store.assertWritable();
    return { store };
  } catch (e) {
    store?.close();
    if (e instanceof StateError) return { diagnostic: e.diagnostic() };
    throw e;
  }
}

/**
 * Whether there is a state to read at `--state`, for commands that work without one (plan).
 * A state that evidently existed but is missing, empty or behind a broken link is a diagnostic,
 * never "no state": planning against nothing would plan to create everything again.
 */
export function stateExists(opts: StateOptions): { exists: boolean; diagnostic?: Diagnostic } {
  try {
    return { exists: probeStateFile(opts.state ?? DEFAULT_STATE).status !== 'absent' };
  } catch (e) {
    if (e instanceof StateError) return { exists: false, diagnostic: e.diagnostic() };
    throw e;
  }
}

/** The stack a state command acts on: `--stack`, else the only stack in the file. */
export function chooseStack(store: StateStore, opts: StateOptions): { stack?: string; diagnostic?: Diagnostic } {
  if (opts.stack) return { stack: opts.stack };
  const stacks = store.listStacks().map((s) => s.name);
  if (stacks.length === 1) return { stack: stacks[0]! };
  const summary = stacks.length ? `the state at ${store.path} holds ${stacks.length} stacks` : `the state at ${store.path} holds no stack yet`;
  return {
    diagnostic: {
      severity: 'error',
      summary,
      detail: stacks.length ? `Choose one with --stack: ${stacks.join(', ')}.` : 'Run `dbstack apply` first, or point --state at another state file.',
    },
  };
}

/**
 * Runs `fn` with the open state store and closes it after. A state error, or a diagnostic
 * thrown as DiagnosticError, is reported and the exit code set to 1.
 */
export function withState(opts: StateOptions, reporter: Reporter, fn: (store: StateStore) => void, how: { write?: boolean } = {}): void {
  const { store, diagnostic } = openState(opts, how);
  if (!store) {
    reporter.diagnostics([diagnostic!]);
    process.exitCode = 1;
    return;
  }
  try {
    fn(store);
  } catch (e) {
    if (e instanceof StateError) reporter.diagnostics([e.diagnostic()]);
    else if (e instanceof DiagnosticError) reporter.diagnostics([e.diagnostic]);
    else throw e;
    process.exitCode = 1;
  } finally {
    store.close();
  }
}

/** `withState` plus the stack the command acts on (see chooseStack). */
export function withStack(opts: StateOptions, reporter: Reporter, fn: (store: StateStore, stack: string) => void, how: { write?: boolean } = {}): void {
  withState(
    opts,
    reporter,
    (store) => {
      const chosen = chooseStack(store, opts);
      if (!chosen.stack) throw new DiagnosticError(chosen.diagnostic!);
      fn(store, chosen.stack);
    },
    how,
  );
}
