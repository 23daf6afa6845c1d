import test from 'ava';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInputTests, type BadInputCase } from '../support/bad-input.js';
import { flipBlobByte, limited, mkfifo, overwrite, STACK_HCL, statePath, tamper, truncateState, writeState } from '../support/state-fixture.js';
import { KEY_HEX } from '../support/state.js';

// Every way a state file can be lost, damaged or unreadable. Each case: exit 1, one readable
// sentence naming the problem and the way out, no stack trace, `.dbstack/` byte for byte as it was.

const files = { 's.hcl': STACK_HCL };
const APPLY = ['apply', '-auto-approve', 's.hcl'];
const PLAN = ['plan', '--refresh=false', 's.hcl'];
const LIST = ['state', 'list'];
const key = (dir: string) => join(dir, '.dbstack', 'state.key');
const backup = (dir: string) => `${statePath(dir)}.backup`;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

const cases: BadInputCase[] = [];
const add = (c: BadInputCase) => cases.push({ files, ...c });

// Item 9: a state that existed is never taken for a new one.
const emptyBesideKey = (dir: string) => {
  writeState(dir);
  writeFileSync(statePath(dir), '');
};
for (const [cmd, args] of [['apply', APPLY], ['plan', PLAN], ['state list', LIST], ['output', ['output']], ['show', ['show']]] as const) {
  add({ name: `0-byte state.db beside state.key: ${cmd}`, setup: emptyBesideKey, args: [...args], says: /state\.db is empty \(0 bytes\), but .*dbstack will not start a new state over it.*cp .*state\.db\.backup/s });
}
const missing = (dir: string) => {
  writeState(dir);
  rmSync(statePath(dir));
};
for (const [cmd, args] of [['apply', APPLY], ['plan', PLAN], ['state list', LIST], ['output', ['output']], ['show', ['show']], ['taint', ['taint', 'database_instance.db']]] as const) {
  add({ name: `state.db missing beside its key and last-good copy: ${cmd}`, setup: missing, args: [...args], says: /state\.db does not exist, but its last-good copy .* is beside it.*cp /s });
}
const missingNoBackup = (dir: string) => {
  missing(dir);
  rmSync(backup(dir));
};
add({ name: 'state.db missing beside state.key only: apply', setup: missingNoBackup, args: APPLY, says: /does not exist, but its key file .*state\.key is beside it.*move .*state\.key away/s });
add({ name: 'state.db missing beside state.key only: plan', setup: missingNoBackup, args: PLAN, says: /does not exist, but its key file/ });
add({ name: 'state.db missing beside state.key only: plan --out', setup: missingNoBackup, args: [...PLAN, '--out', 'p.plan'], says: /does not exist, but its key file/ });
add({
  name: '0-byte state.db beside its last-good copy only',
  setup: (dir) => {
    emptyBesideKey(dir);
    rmSync(key(dir));
  },
  args: PLAN,
  says: /is empty \(0 bytes\), but its last-good copy/,
});
const dangling = (dir: string) => {
  writeState(dir);
  renameSync(statePath(dir), join(dir, 'moved.db'));
  rmSync(backup(dir));
  symlinkSync(join(dir, 'elsewhere', 'state.db'), statePath(dir));
};
for (const [cmd, args] of [['apply', APPLY], ['plan', PLAN], ['state list', LIST], ['state rm', ['state', 'rm', 'database_instance.db']]] as const) {
  add({ name: `dangling symlink as state.db: ${cmd}`, setup: dangling, args: [...args], says: /is a symbolic link to .*elsewhere\/state\.db, which does not exist/ });
}
add({
  name: 'dangling symlink as state.db of a never-used directory',
  setup: (dir) => {
    mkdirSync(join(dir, '.dbstack'));
    symlinkSync(join(dir, 'nowhere.db'), statePath(dir));
  },
  args: PLAN,
  says: /symbolic link to .*nowhere\.db, which does not exist/,
});
add({ name: 'symlink loop as --state', setup: (dir) => symlinkSync(join(dir, 'loop.db'), join(dir, 'loop.db')), args: ['state', 'list', '--state', 'loop.db'], says: /symbolic link that loops/ });
for (const [cmd, args] of [['plan', PLAN], ['state list', LIST], ['apply', APPLY]] as const) {
  add({ name: `directory where state.db belongs: ${cmd}`, setup: (dir) => void mkdirSync(statePath(dir), { recursive: true }), args: [...args], says: /the state path .*state\.db is a directory/ });
}
add({
  name: 'named pipe where state.db belongs',
  setup: (dir) => {
    mkdirSync(join(dir, '.dbstack'));
    mkfifo(statePath(dir));
  },
  args: LIST,
  says: /is not a regular file \(it is a named pipe\)/,
});
add({ name: '--state names a directory', setup: (dir) => mkdirSync(join(dir, 'st')), args: ['state', 'list', '--state', 'st'], says: /st is a directory/ });

// Keys.
add({ name: 'state.key missing beside a state', setup: (dir) => (writeState(dir), rmSync(key(dir))), args: PLAN, says: /is encrypted, but no key was found/ });
add({ name: 'state.key of another state', setup: (dir) => (writeState(dir), writeFileSync(key(dir), `${'7'.repeat(64)}\n`, { mode: 0o600 })), args: PLAN, says: /encrypted with a different key \(the key tried was read from .*state\.key\)/ });
add({ name: 'DBSTACK_STATE_KEY of another state', setup: (dir) => void writeState(dir), args: LIST, env: { DBSTACK_STATE_KEY: KEY_HEX }, says: /encrypted with a different key \(the key tried was DBSTACK_STATE_KEY\)/ });
add({ name: 'state.key readable by others', setup: (dir) => (writeState(dir), chmodSync(key(dir), 0o644)), args: LIST, says: /accessible by group or others \(mode 0644\).*chmod 600/s });
add({ name: 'state.key is garbage', setup: (dir) => (writeState(dir), writeFileSync(key(dir), 'not a key\n', { mode: 0o600 })), args: LIST, says: /state\.key is not a valid state key/ });
add({ name: 'state.key is a directory', setup: (dir) => void (writeState(dir), rmSync(key(dir)), mkdirSync(key(dir))), args: LIST, says: /state\.key is not a regular file/ });
add({ name: 'sealed key check tampered', setup: (dir) => (writeState(dir), flipBlobByte(dir, 'meta', 'value', "key = 'key_check'", 20)), args: PLAN, says: /encrypted with a different key/ });

// Truncated at many offsets: the header no longer matches the file.
for (const [label, size] of [
  ['1 byte', 1],
  ['15 bytes (inside the magic)', 15],
  ['50 bytes (inside the header)', 50],
  ['99 bytes', 99],
  ['100 bytes (header only)', 100],
  ['512 bytes', 512],
  ['one page', 4096],
  ['one page and a byte', 4097],
  ['half', (n: number) => Math.floor(n / 2)],
  ['one byte short', (n: number) => n - 1],
  ['one page short', (n: number) => n - 4096],
] as const) {
  add({ name: `state.db truncated to ${label}`, setup: (dir) => (writeState(dir), truncateState(dir, size)), args: PLAN, says: /state\.db (is damaged|is not a dbstack state file: it is not an SQLite database)/ });
}
add({ name: 'state.db truncated, apply', setup: (dir) => (writeState(dir), truncateState(dir, (n) => n - 4096)), args: APPLY, says: /is damaged: .*truncated.*cp .*state\.db\.backup/s });

// Overwritten pages (deterministic random bytes), and overwritten header fields.
for (const page of [1, 2, 3, 4, 5, 6, 8, 10, 12, 14]) {
  add({
    name: `state.db page ${page} overwritten`,
    setup: (dir) => {
      writeState(dir);
      overwrite(statePath(dir), (page - 1) * 4096 + (page === 1 ? 100 : 0), page === 1 ? 3996 : 4096, page);
    },
    args: LIST,
    says: /state\.db is damaged/,
  });
}
add({ name: 'state.db magic overwritten', setup: (dir) => (writeState(dir), overwrite(statePath(dir), 0, 16, 99)), args: LIST, says: /is not a dbstack state file: it is not an SQLite database/ });
add({ name: 'state.db page size overwritten', setup: (dir) => (writeState(dir), overwrite(statePath(dir), 16, 2, 7)), args: LIST, says: /is damaged: its header gives an impossible page size|is damaged/ });
add({ name: 'state.db header fields overwritten', setup: (dir) => (writeState(dir), overwrite(statePath(dir), 18, 6, 3)), args: LIST, says: /is damaged/ });
add({ name: 'a text file as state.db', setup: (dir) => (mkdirSync(join(dir, '.dbstack')), writeFileSync(statePath(dir), 'hello, I am not a database\n')), args: PLAN, says: /is not a dbstack state file: it is not an SQLite database/ });
add({ name: 'an SQLite file of another application', setup: (dir) => (writeState(dir), tamper(dir, 'PRAGMA application_id = 42')), args: PLAN, says: /is not a dbstack state file: it is an SQLite database of another application/ });
for (const [cmd, args] of [['plan', PLAN], ['state list', LIST], ['apply', APPLY]] as const) {
  add({
    name: `state from a future dbstack (schema 99): ${cmd}`,
    setup: (dir) => (writeState(dir), tamper(dir, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01')")),
    args: [...args],
    says: /written by a newer dbstack \(state schema version 99; this dbstack understands up to version \d+\).*upgrade dbstack/s,
  });
}

// Damaged rows: named, with the ways out.
const rowSays = (what: string) => new RegExp(`${what} of stack "s" in the state is damaged: .*(dbstack state rm|dbstack state rollback 2 --stack s)`, 's');
const badJson = (column: string, address = 'database_instance.db') => (dir: string) => (writeState(dir), tamper(dir, `UPDATE resources SET ${column} = '{"oops' WHERE address = ?`, address));
for (const [cmd, args] of [['plan', PLAN], ['state list', LIST], ['show', ['show']], ['output', ['output']], ['apply', APPLY], ['state show', ['state', 'show', 'database_instance.replica']]] as const) {
  add({ name: `bad JSON in attributes: ${cmd}`, setup: badJson('attributes'), args: [...args], says: /resource database_instance\.db of stack "s" in the state is damaged: its stored data does not read back.*dbstack state rm database_instance\.db --stack s.*dbstack state rollback 2 --stack s.*cp /s });
}
for (const column of ['inputs', 'dependencies', 'sensitive_paths', 'lifecycle', 'index_key']) {
  add({ name: `bad JSON in ${column}`, setup: badJson(column, 'database_instance.replica'), args: PLAN, says: rowSays('resource database_instance\\.replica') });
}
add({ name: 'unknown resource status', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE resources SET status = 'exploded' WHERE address = 'database_instance.db'")), args: PLAN, says: /unknown status "exploded"/ });
add({ name: 'address that does not match its type', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE resources SET type = 'network' WHERE address = 'database_instance.db'")), args: LIST, says: /address does not match its type and name/ });
for (const offset of [0, 5, 20, 40, 60]) {
  add({ name: `sealed resource column, byte ${offset} flipped`, setup: (dir) => (writeState(dir), flipBlobByte(dir, 'resources', 'sealed', "address = 'database_instance.db'", offset)), args: PLAN, says: /database_instance\.db of stack "s" in the state is damaged: its sealed values do not decrypt/ });
}
add({ name: 'sealed resource column cleared', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE resources SET sealed = NULL WHERE address = 'database_instance.replica'")), args: PLAN, says: /replica of stack "s" in the state is damaged: a sensitive value has no sealed copy/ });
add({ name: 'sealed resource column copied from another row', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE resources SET sealed = (SELECT sealed FROM resources WHERE address = 'database_instance.db') WHERE address = 'database_instance.replica'")), args: ['output'], says: /replica of stack "s" in the state is damaged: its sealed values do not decrypt/ });
add({ name: 'sealed resource column truncated', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE resources SET sealed = substr(sealed, 1, 10) WHERE address = 'database_instance.db'")), args: LIST, says: /sealed values do not decrypt/ });
add({ name: 'bad JSON in an output', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE outputs SET value = '[1,' WHERE name = 'host'")), args: ['output', 'host'], says: /output host of stack "s" in the state is damaged.*rollback 2/s });
add({ name: 'sealed output cleared', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE outputs SET sealed = NULL WHERE name = 'uri'")), args: ['output', '-raw', 'uri'], says: /output uri of stack "s" in the state is damaged: .*no sealed copy/ });
add({ name: 'sealed output byte flipped', setup: (dir) => (writeState(dir), flipBlobByte(dir, 'outputs', 'sealed', "name = 'uri'", 30)), args: ['output'], says: /output uri of stack "s" in the state is damaged: its sealed values do not decrypt/ });
add({ name: 'taint while another row is damaged', setup: badJson('attributes'), args: ['taint', 'database_instance.replica'], says: /database_instance\.db of stack "s" in the state is damaged/ });
add({ name: 'state mv while another row is damaged', setup: badJson('attributes'), args: ['state', 'mv', 'database_instance.replica', 'database_instance.copy'], says: /database_instance\.db of stack "s" in the state is damaged/ });
add({ name: 'rollback to a damaged snapshot', setup: (dir) => (writeState(dir), tamper(dir, "UPDATE history SET snapshot = '{' WHERE serial = 1")), args: ['state', 'rollback', '1'], says: /the snapshot of serial 1 of stack "s" in the state is damaged/ });
add({
  name: 'an open journal entry with bad JSON, apply',
  setup: (dir) => {
    writeState(dir);
    tamper(dir, "INSERT INTO journal (stack_id, address, action, run_serial, detail, started_at) VALUES (1, 'database_instance.x', 'create', 2, '{bad', '2026-01-01')");
  },
  args: APPLY,
  says: /journal entry \d+ \(create of database_instance\.x\) of stack "s" in the state is damaged/,
});

// Read-only and unreadable.
const readOnly = (dir: string) => (writeState(dir), chmodSync(statePath(dir), 0o444));
for (const [cmd, args] of [['state rm', ['state', 'rm', 'database_instance.db']], ['taint', ['taint', 'database_instance.db']], ['apply', APPLY], ['state rollback', ['state', 'rollback', '1']], ['force-unlock', ['force-unlock', 'x']], ['destroy', ['destroy', '-auto-approve', 's.hcl']]] as const) {
  add({ name: `read-only (0444) state: ${cmd}`, setup: readOnly, args: [...args], says: /the state at .*state\.db is read-only here \(the file is read-only \(mode 0444\)\), and this command changes it.*chmod u\+w/s });
}
const nobodyCase = (dir: string, mode: number) => {
  writeState(dir, { key: Buffer.from(KEY_HEX, 'hex') });
  chmodSync(dir, 0o755);
  chmodSync(join(dir, '.dbstack'), 0o755);
  chmodSync(statePath(dir), mode);
};
add({ name: 'state of another user, unreadable (0600), as nobody: plan', setup: (dir) => nobodyCase(dir, 0o600), prefix: NOBODY, env: { DBSTACK_STATE_KEY: KEY_HEX }, args: PLAN, says: /cannot read the state at .*: permission denied \(mode 0600, owner uid 0\)/ });
add({ name: 'state of another user, unreadable (0600), as nobody: state list', setup: (dir) => nobodyCase(dir, 0o600), prefix: NOBODY, env: { DBSTACK_STATE_KEY: KEY_HEX }, args: LIST, says: /permission denied/ });
add({
  name: 'state of another user, readable (0644), as nobody: state rm',
  setup: (dir) => nobodyCase(dir, 0o644),
  prefix: NOBODY,
  env: { DBSTACK_STATE_KEY: KEY_HEX },
  args: ['state', 'rm', 'database_instance.db'],
  says: /is read-only here \(this user cannot write the file\), and this command changes it/,
});
add({
  name: 'state of another user, readable (0644), as nobody: apply',
  setup: (dir) => nobodyCase(dir, 0o644),
  prefix: NOBODY,
  env: { DBSTACK_STATE_KEY: KEY_HEX },
  args: APPLY,
  says: /is read-only here/,
});
add({
  name: 'key file of another user, as nobody',
  setup: (dir) => {
    writeState(dir);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, '.dbstack'), 0o755);
    chmodSync(statePath(dir), 0o644);
  },
  prefix: NOBODY,
  args: LIST,
  says: /cannot read the state key file .*state\.key/,
});
add({
  name: 'a copy of the state without its key',
  setup: (dir) => {
    writeState(dir);
    mkdirSync(join(dir, 'other'));
    copyFileSync(statePath(dir), join(dir, 'other', 'state.db'));
  },
  args: ['state', 'list', '--state', 'other/state.db'],
  says: /is encrypted, but no key was found/,
});
add({
  name: 'a state file with a trailing partial page',
  setup: (dir) => {
    writeState(dir);
    writeFileSync(statePath(dir), Buffer.concat([readFileSync(statePath(dir)), Buffer.alloc(100, 7)]));
  },
  args: LIST,
  says: /is not a whole number of 4096-byte pages/,
});

badInputTests(limited(test), 'state files', cases);
