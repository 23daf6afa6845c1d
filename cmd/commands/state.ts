import type { Command } from 'commander';
import { StateError, type StateStore } from '../../state/index.js';
import { formatValue } from '../../planner/plan/render-text.js';
import { Reporter } from '../output/reporter.js';
import { addStateOptions, withStack as withStackIn, type StateOptions } from '../state-options.js';
import { redactState } from './state-view.js';

type Opts = StateOptions & { json?: boolean };

/** Runs `fn` with the open store, the chosen stack and a reporter. */
function withStack(opts: Opts, fn: (store: StateStore, stack: string, reporter: Reporter) => void, how: { write?: boolean } = {}): void {
  const reporter = new Reporter(opts.json);
  withStackIn(opts, reporter, (store, stack) => fn(store, stack, reporter), how);
}

/** The commands that change the state: refused up front on a state this user may not write. */
const WRITE = { write: true };

export function registerState(program: Command): void {
  const state = program.command('state').description('inspect and change the recorded state');
  const sub = (name: string, description: string) => addStateOptions(state.command(name).description(description).option('--json', 'machine-readable output'));

  sub('list', 'list the resources in the state').action((opts: Opts) =>
    withStack(opts, (store, stack, r) => {
      const snap = store.readState(stack);
      const rows = snap?.resources ?? [];
      if (opts.json) return r.jsonLine({ stack, serial: snap?.serial ?? 0, resources: rows.map((x) => ({ address: x.address, status: x.status, provider_id: x.providerId })) });
      for (const x of rows) r.out(`${x.address}${x.status !== 'ready' ? ` (${x.status})` : ''}`);
    }),
  );

  sub('show', 'show one resource, sensitive values hidden')
    .argument('<address>')
    .action((address: string, opts: Opts) =>
      withStack(opts, (store, stack, r) => {
        const snap = store.readState(stack);
        const res = snap?.resources.find((x) => x.address === address);
        if (!snap || !res) throw new StateError('not-found', `no resource ${address} in stack ${stack}`, 'See `dbstack state list`.');
        const view = redactState({ ...snap, resources: [res] }).resources[0]!;
        if (opts.json) return r.jsonLine(view);
        r.out(`# ${res.address} (${res.status}, serial ${res.serial})\nresource "${res.type}" "${res.name}" ${formatValue(view.values as never, '')}`);
      }),
    );

  sub('history', 'every serial applied to the stack').action((opts: Opts) =>
    withStack(opts, (store, stack, r) => {
      const rows = store.history(stack);
      if (opts.json) return r.jsonLine({ stack, history: rows });
      for (const h of rows) r.out(`${String(h.serial).padStart(4)}  ${h.startedAt}  ${h.status.padEnd(11)} ${h.command}`);
    }),
  );

  sub('rm', 'forget a resource: remove it from the state, leave it in the cloud')
    .argument('<address>')
    .action((address: string, opts: Opts) =>
      withStack(opts, (store, stack, r) => {
        const serial = store.removeResource(stack, address, { command: `state rm ${address}` });
        r.out(`Removed ${address} from the state (serial ${serial}). The cloud object is untouched.`);
      }, WRITE),
    );

  sub('mv', 'rename a resource in the state (e.g. after renaming it in the stack file)')
    .argument('<from>')
    .argument('<to>')
    .action((from: string, to: string, opts: Opts) =>
      withStack(opts, (store, stack, r) => {
        const serial = store.moveResource(stack, from, to, { command: `state mv ${from} ${to}` });
        r.out(`Moved ${from} to ${to} (serial ${serial}).`);
      }, WRITE),
    );

  sub('rollback', 'restore the state as it was at an earlier serial (recorded as a new serial)')
    .argument('<serial>')
    .action((serialText: string, opts: Opts) =>
      withStack(opts, (store, stack, r) => {
        const target = Number(serialText);
        if (!Number.isInteger(target) || target < 1) throw new StateError('invalid-serial', `\`${serialText}\` is not a serial`, 'See `dbstack state history`.');
        const serial = store.rollback(stack, target, { command: `state rollback ${target}` });
        r.out(`Restored the state of serial ${target} as serial ${serial}. Run \`dbstack plan\` to see what the cloud needs to match it.`);
      }, WRITE),
    );

  for (const [name, verb] of [['taint', 'marks'], ['untaint', 'clears the mark on']] as const) {
    addStateOptions(program.command(name).description(`${verb} a resource so the next plan ${name === 'taint' ? 'replaces' : 'no longer replaces'} it`))
      .argument('<address>')
      .action((address: string, opts: Opts) =>
        withStack(opts, (store, stack, r) => {
          const serial = name === 'taint' ? store.taint(stack, address, { command: `taint ${address}` }) : store.untaint(stack, address, { command: `untaint ${address}` });
          r.out(`${address} ${name === 'taint' ? 'is tainted: the next apply replaces it' : 'is no longer tainted'} (serial ${serial}).`);
        }, WRITE),
      );
  }

  addStateOptions(program.command('force-unlock').description('release a stuck lock (only when its holder is gone)'))
    .argument('<lock-id>')
    .action((id: string, opts: Opts) =>
      withStack(opts, (store, stack, r) => {
        const holder = store.forceUnlock(stack, id);
        r.out(`Released the lock ${id} held by ${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.command}).`);
      }, WRITE),
    );

  addStateOptions(program.command('output').description('print outputs of the stack').option('--json', 'all outputs as JSON').option('--raw', 'print one output as plain text (also a sensitive one)'))
    .argument('[name]')
    .action((name: string | undefined, opts: Opts & { raw?: boolean }) =>
      withStack(opts, (store, stack, r) => {
        const outputs = store.readState(stack)?.outputs ?? [];
        if (name) {
          const o = outputs.find((x) => x.name === name);
          if (!o) throw new StateError('not-found', `no output \`${name}\` in stack ${stack}`, `Outputs: ${outputs.map((x) => x.name).join(', ') || '(none)'}.`);
          if (opts.raw) {
            // As Terraform: the bare value, no quotes, no trailing newline (for $(dbstack output -raw uri)).
            if (o.value === null || typeof o.value === 'object') {
              throw new StateError('not-found', `output \`${name}\` is not a string, number or bool, so it has no raw form`, 'Print it with --json.');
            }
            return void process.stdout.write(String(o.value));
          }
          if (opts.json) return r.jsonLine({ sensitive: o.sensitive, value: o.value });
          return r.out(o.sensitive ? '(sensitive value: print it with --raw)' : formatValue(o.value, ''));
        }
        if (opts.json) return r.jsonLine(Object.fromEntries(outputs.map((o) => [o.name, { sensitive: o.sensitive, value: o.sensitive ? null : o.value }])));
        for (const o of outputs) r.out(`${o.name} = ${o.sensitive ? '(sensitive value)' : formatValue(o.value, '')}`);
      }),
    );
}
