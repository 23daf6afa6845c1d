/**
 * bench/state-integrity: what the checks at every state open cost, by state size. For states of
 * 100 to 20 000 resources (filled through the store API, as applies leave them) it measures:
 * the cheap header checks (always run), `PRAGMA quick_check` (run at open up to
 * QUICK_CHECK_MAX_BYTES), a whole StateStore.open (which includes them), and the last-good copy
 * (VACUUM INTO) written after a recorded run. Median of --runs runs each, milliseconds.
 * Target (issue 9): the checks at open add ≤ 50 ms at the quick_check limit; per MiB cost is
 * what QUICK_CHECK_MAX_BYTES in state/integrity.ts is chosen from.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateStore } from '../state/index.js';
import { writeBackup } from '../state/backup.js';
import { checkHeader, quickCheck, QUICK_CHECK_MAX_BYTES } from '../state/integrity.js';

const KEY = Buffer.alloc(32, 7);
const LINEAGE = '0b5e9c1a-6d1f-4c7e-9a3b-2f4d8e6a1c90';
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);

function fill(path: string, n: number): void {
  const store = StateStore.open(path, { key: KEY });
  const run = store.beginRun('bench', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  for (let i = 0; i < n; i++) {
    run.commitResource({
      address: `database_instance.db[${i}]`,
      provider: 'local',
      providerId: `id-${i}`,
      inputs: { name: `db-${i}`, flavor: 'db.small', users: [{ name: 'app', password: `pw-${i}` }], volume: { size: 1 } },
      attributes: { host: '127.0.0.1', port: 5432 + (i % 1000), connection_uri: `postgresql://app:pw-${i}@127.0.0.1/app`, id: `id-${i}` },
      sensitive: { inputs: [['users', '*', 'password']], attributes: [['connection_uri']] },
    });
  }
  run.finish('applied');
  store.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const rows: string[] = [];
for (const n of [100, 1000, 5000, 20000]) {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-integrity-'));
  const path = join(dir, 'state.db');
  fill(path, n);
  const size = statSync(path).size;
  const header = median(Array.from({ length: RUNS }, () => time(() => checkHeader(path, size, false))));
  const db = new Database(path, { readonly: true });
  const quick = median(Array.from({ length: RUNS }, () => time(() => quickCheck(db, path))));
  db.close();
  const open = median(Array.from({ length: RUNS }, () => time(() => StateStore.open(path, { key: KEY }).close())));
  const live = new Database(path);
  const backup = median(Array.from({ length: RUNS }, () => time(() => writeBackup(live, path))));
  live.close();
  const mib = size / 1024 / 1024;
  rows.push(
    `| ${String(n).padStart(6)} | ${mib.toFixed(1).padStart(6)} | ${header.toFixed(2).padStart(6)} | ${quick.toFixed(1).padStart(7)} | ${(quick / mib).toFixed(2).padStart(9)} | ${open.toFixed(1).padStart(6)} | ${backup.toFixed(1).padStart(7)} |`,
  );
  rmSync(dir, { recursive: true, force: true });
}
console.log(`state-integrity (median of ${RUNS}; quick_check runs at open up to ${QUICK_CHECK_MAX_BYTES / 1024 / 1024} MiB)\n`);
console.log('| resources |  MiB | header ms | quick_check ms | ms per MiB | open ms | backup ms |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
