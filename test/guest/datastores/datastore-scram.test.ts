/**
 * The agent's SCRAM-SHA-256 verifiers equal the ones PostgreSQL computes itself from the clear
 * password (same salt and iterations), SASLprep included: so whatever password a user gives
 * logs in exactly as it did when the server saw it in clear. Also checked with psql (libpq
 * applies SASLprep on its side too).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createDriver, freePort, type DatastoreDriver } from '../../../guest/datastores/driver.js';
import { saslprep } from '../../../guest/datastores/saslprep.js';
import { scramSha256Verifier } from '../../../guest/datastores/scram.js';
import { findPostgresBinaries } from '../../../guest/datastores/postgresql-binaries.js';
import { tempRoot, safeStop } from '../../support/datastore-harness.js';

const tmp = tempRoot('pg-scram');
let driver: DatastoreDriver;
let port: number;
let admin: pg.Client;

test.before(async () => {
  driver = createDriver('postgresql', { fast: true });
  port = await freePort();
  await driver.init(tmp.dataDir);
  await driver.start({ dataDir: tmp.dataDir, port });
  const pid = readFileSync(join(tmp.dataDir, 'postmaster.pid'), 'utf8').split('\n');
  admin = new pg.Client({ host: pid[4]!, port, user: 'postgres', database: 'postgres' });
  await admin.connect();
});

test.after.always(async () => {
  await admin?.end().catch(() => undefined);
  await safeStop(driver);
  tmp.remove();
});

/** Passwords that take every path of SASLprep, with what it should make of them (undefined: used raw). */
const CASES: Array<[string, string, string | undefined]> = [
  ['plain ASCII', 'correct horse battery staple', 'correct horse battery staple'],
  ['ASCII with a control character (kept: pure ASCII is never prepared)', 'tab\there', 'tab\there'],
  ['soft hyphen mapped to nothing, NBSP to a space', 'pass\u00ADword\u00A0x', 'password x'],
  ['compatibility forms normalized (NFKC): fullwidth letters, roman numeral, ligature', '\uFF50\uFF41\uFF53\uFF53\u2168\uFB01', 'passIXfi'],
  ['decomposed é composed (NFKC)', 'cafe\u0301', 'caf\u00E9'],
  ['only characters mapped to nothing: empty, so used raw', '\u00AD\uFEFF', undefined],
  ['private use character: prohibited, used raw', 'key\uE000', undefined],
  ['emoji: unassigned in Unicode 3.2, used raw', 'caf\u0065\u0301\u{1F600}', undefined],
  ['right-to-left string: allowed', '\u05D0\u05D1\u05D2', '\u05D0\u05D1\u05D2'],
  ['right-to-left mixed with left-to-right: bidi rule, used raw', '\u05D0abc\u05D1', undefined],
];

for (const [what, password, prepared] of CASES) {
  test.serial(`${what}: SASLprep and the verifier match the server's own`, async (t) => {
    t.is(saslprep(password), prepared);
    const role = `r_${Math.random().toString(36).slice(2, 10)}`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
    const stored = String((await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role])).rows[0].rolpassword);
    const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored);
    t.truthy(m, stored);
    t.is(scramSha256Verifier(password, Buffer.from(m![2]!, 'base64'), Number(m![1])), stored);
  });
}

test.serial('psql (libpq, which also applies SASLprep) logs in with roles the driver created', async (t) => {
  const psql = join(findPostgresBinaries().binDir, 'psql');
  const passwords = CASES.map(([, p]) => p);
  await driver.ensureUsers(passwords.map((password, i) => ({ name: `user${i}`, password })));
  passwords.forEach((password, i) => {
    const r = spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', `user${i}`, '-d', 'postgres', '-w', '-At', '-c', 'select current_user'],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 });
    // postgres is closed to application users: the password was accepted if the refusal is about CONNECT
    t.regex(`${r.stdout}${r.stderr}`, /permission denied for database|CONNECT privilege/, `user${i} (${JSON.stringify(password)})`);
    const wrong = spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', `user${i}`, '-d', 'postgres', '-w', '-c', 'select 1'],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: `${password}x`, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 });
    t.regex(wrong.stderr, /password authentication failed/);
  });
});
