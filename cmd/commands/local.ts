/** `dbstack local up|down|status`: the embedded default cloud (providers/local/). */
import type { Command } from 'commander';
import { error } from '../../core/diagnostics.js';
import { DEFAULT_LOCAL_STATE_DIR, type LocalBrokerKind, type LocalInstance, type SupervisorInfo } from '../../providers/local/supervisor-api.js';
import { connectSupervisor, ensureSupervisor } from '../../providers/local/supervisor-client.js';
import { findOrphans, stopOrphans, type Orphan } from '../../providers/local/orphans.js';
import { Reporter } from '../output/reporter.js';

interface LocalOpts { stateDir?: string; broker?: string; json?: boolean }

function stateDirOf(opts: LocalOpts): string {
  return opts.stateDir ?? process.env.DBSTACK_LOCAL_DIR ?? DEFAULT_LOCAL_STATE_DIR;
}

function brokerOf(opts: LocalOpts): LocalBrokerKind | undefined {
  const b = opts.broker ?? process.env.DBSTACK_LOCAL_BROKER;
  if (b === undefined || b === 'embedded' || b === 'mosquitto') return b;
  throw new Error(`--broker must be embedded or mosquitto, not ${JSON.stringify(b)}`);
}

/** Runs a subcommand; any failure becomes one diagnostic and exit code 1 (no stack trace). */
function run(opts: LocalOpts, fn: (r: Reporter, dir: string) => Promise<void>): Promise<void> {
  const r = new Reporter(opts.json);
  return fn(r, stateDirOf(opts)).catch((e: unknown) => {
    const [summary, ...rest] = (e instanceof Error ? e.message : String(e)).split('\n');
    r.diagnostics([error(summary!, undefined, rest.length ? rest.join('\n') : undefined)]);
    process.exitCode = 1;
  });
}

function uptime(startedAt: string): string {
  let s = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  return h ? `${h}h${m}m` : m ? `${m}m${s}s` : `${s}s`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function printStatus(r: Reporter, info: SupervisorInfo, instances: LocalInstance[]): void {
  const s = r.style;
  r.out(`${s.green('running')}  pid ${info.pid}, broker ${info.broker} at ${info.brokerUrl}, up ${uptime(info.startedAt)}`);
  r.out(s.dim(`state dir ${info.stateDir}`));
  if (!instances.length) return r.out('no instances');
  const rows = [['ID', 'NAME', 'DATASTORE', 'PORT', 'AGENT', 'RESTARTS']];
  for (const i of instances) {
    rows.push([i.id, i.name, i.datastore, String(i.port), i.agent.running ? `running (pid ${i.agent.pid})` : 'stopped', String(i.agent.restarts)]);
  }
  r.out(table(rows));
}

const orphanList = (orphans: Orphan[]) => orphans.map((o) => `${o.instanceId} (process group ${o.pgid})`).join(', ');

/** Public view: the conductor's password is not printed. */
function infoJson(info: SupervisorInfo): object {
  const { conductor, ...rest } = info;
  return { ...rest, conductor: { username: conductor.username } };
}

function instanceJson(i: LocalInstance): object {
  const { key: _key, ...rest } = i;
  return rest;
}

export function registerLocal(program: Command): void {
  const local = program.command('local').description('the local cloud: a supervisor process running the broker and one guest agent per database instance');
  const sub = (name: string, description: string) => local.command(name).description(description)
    .option('--state-dir <dir>', `the local cloud's directory (default ${DEFAULT_LOCAL_STATE_DIR}, or DBSTACK_LOCAL_DIR)`)
    .option('--json', 'one JSON object');

  sub('up', 'start the local cloud (and every instance it had) unless it is running')
    .option('--broker <kind>', 'embedded (default) or mosquitto')
    .action((opts: LocalOpts) => run(opts, async (r, dir) => {
      const broker = brokerOf(opts);
      let started = false;
      const client = await ensureSupervisor({ stateDir: dir, ...(broker ? { broker } : {}) }, {
        onStart: (msg) => { started = true; if (!opts.json) process.stderr.write(`${msg}\n`); },
      });
      const info = await client.info();
      if (opts.json) return r.jsonLine({ started, supervisor: infoJson(info) });
      r.out(`${started ? 'Started' : 'Already running'}: pid ${info.pid}, broker ${info.broker} at ${info.brokerUrl}, ${info.instances} instance(s).`);
    }));

  sub('down', 'stop the local cloud; instances and their data stay and come back with `local up`')
    .action((opts: LocalOpts) => run(opts, async (r, dir) => {
      const client = await connectSupervisor(dir);
      if (client) await client.shutdown();
      // A supervisor killed without stopping its agents leaves them (and their engines) running.
      const orphans = client ? [] : await stopOrphans(dir);
      if (opts.json) return r.jsonLine({ stopped: client !== undefined, pid: client?.pid ?? null, orphansStopped: orphans });
      if (client) return r.out(`Stopped the local cloud (pid ${client.pid}); its instances start again with \`dbstack local up\`.`);
      r.out(orphans.length
        ? `The local cloud's supervisor was not running; stopped ${orphans.length} instance(s) it had left running: ${orphanList(orphans)}. They start again with \`dbstack local up\`.`
        : 'The local cloud is not running.');
    }));

  sub('status', 'show the supervisor and its instances')
    .action((opts: LocalOpts) => run(opts, async (r, dir) => {
      const client = await connectSupervisor(dir);
      if (!client) {
        const orphans = findOrphans(dir);
        if (opts.json) return r.jsonLine({ running: false, stateDir: dir, orphans });
        if (orphans.length) {
          return r.out(`The local cloud's supervisor is not running, but ${orphans.length} instance(s) still run without it: ${orphanList(orphans)}.\nStop them with \`dbstack local down\`, or adopt them with \`dbstack local up\`.`);
        }
        return r.out('The local cloud is not running (start it with `dbstack local up`).');
      }
      const [info, instances] = await Promise.all([client.info(), client.listInstances()]);
      if (opts.json) return r.jsonLine({ running: true, supervisor: infoJson(info), instances: instances.map(instanceJson) });
      printStatus(r, info, instances);
    }));
}
