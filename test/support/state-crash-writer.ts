/**
 * Test helper: writes to a state until the parent SIGKILLs it.
 * argv: STATE_PATH STACK LINEAGE EXPECTED_SERIAL MODE
 *   MODE loop:        begins a run, commits resources as fast as it can, printing
 *                     {"event":"committed","i":N} after each commit returns.
 *   MODE transaction: begins a run, commits 3 resources, then opens a write transaction
 *                     around many more commits and outputs (large enough to spill into the
 *                     WAL), prints {"event":"in-transaction"} and waits to be killed.
 */
import { StateStore } from '../../state/index.js';
import { instance } from './state.js';

const [path, stack, lineage, expected, mode] = process.argv.slice(2) as [string, string, string, string, string];
const store = StateStore.open(path);
const run = store.beginRun(stack, { command: 'apply', lineage, expectedSerial: Number(expected), summary: { mode } });
const say = (m: object) => console.log(JSON.stringify(m));
say({ event: 'begun', serial: run.serial });

if (mode === 'loop') {
  for (let i = 0; i < 1_000_000; i++) {
    run.commitResource(instance(`database_instance.loop[${i}]`, `pw-loop-${i}`));
    say({ event: 'committed', i });
  }
} else {
  for (let i = 0; i < 3; i++) run.commitResource(instance(`database_instance.before[${i}]`, `pw-before-${i}`));
  say({ event: 'committed', i: 2 });
  // A small page cache makes SQLite spill the uncommitted pages into the WAL before the commit.
  store.database.pragma('cache_size = 50');
  store.database.exec('BEGIN IMMEDIATE');
  const padding = 'x'.repeat(2000);
  for (let i = 0; i < 3000; i++) run.commitResource(instance(`database_instance.inside[${i}]`, `pw-inside-${i}`, { inputs: { padding } }));
  run.deleteResource('database_instance.before[0]');
  run.setOutputs([{ name: 'partial', value: 'must-not-be-visible', sensitive: false }]);
  say({ event: 'in-transaction' });
  setInterval(() => {}, 1 << 30);
}
