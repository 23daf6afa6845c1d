#!/usr/bin/env node
/**
 * Guest agent CLI: `node dist/guest/agent/main.js --config FILE`.
 * SIGTERM/SIGINT → offline status, clean engine stop, disconnect, exit 0.
 * A bad config or command line → one line on stderr, exit 2; a failed shutdown → exit 1.
 */
import { loadAgentConfig } from './config.js';
import { runAgent } from './agent.js';

function fail(message: string, code: number): never {
  process.stderr.write(`dbstack-agent: ${message}\n`);
  process.exit(code);
}

function configPath(argv: string[]): string {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i < 0) fail('usage: main.js --config FILE', 2);
  const arg = argv[i]!;
  const file = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!file) fail('--config needs a file', 2);
  return file;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadAgentConfig(configPath(process.argv.slice(2)));
  } catch (e) {
    fail((e as Error).message, 2);
  }
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) return;
    process.stderr.write(`dbstack-agent: ${sig} received\n`);
    ac.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const prefix = `dbstack-agent[${config.instanceId}]: `;
  try {
    await runAgent(config, { signal: ac.signal, log: (l) => process.stderr.write(`${prefix}${l}\n`) });
  } catch (e) {
    fail((e as Error).message, 1);
  }
  process.exit(0);
}

void main();
