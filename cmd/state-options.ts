import { basename, extname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { StateError, StateStore } from '../state/index.js';
import type { Diagnostic } from '../planner/model/diagnostics.js';

export interface StateOptions {
  state?: string;
  stack?: string;
}

export const DEFAULT_STATE = '.dbstack/state.db';

export function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--state <path>', `the state file (default ${DEFAULT_STATE})`)
    .option('--stack <name>', 'the stack within the state file (default: the stack file or directory name)');
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

/** Opens the state store; a problem with the file or key comes back as a diagnostic. */
export function openState(opts: StateOptions): { store?: StateStore; diagnostic?: Diagnostic } {
  try {
    return { store: StateStore.open(opts.state ?? DEFAULT_STATE) };
  } catch (e) {
    if (e instanceof StateError) return { diagnostic: e.diagnostic() };
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
