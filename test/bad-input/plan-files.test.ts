import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore } from '../../state/index.js';
import { badInputTests, type BadInputCase } from '../support/bad-input.js';
import { limited, mkfifo, savePlan, STACK, STACK_HCL, statePath, writeState } from '../support/state-fixture.js';
import { KEY_HEX } from '../support/state.js';

// Saved plans that are damaged, stale, foreign or not files at all. Each is refused with one
// sentence; none is ever read as a stack file (an empty stack would plan to destroy everything).

const files = { 's.hcl': STACK_HCL };
const cases: BadInputCase[] = [];
const add = (c: BadInputCase) => cases.push({ files, ...c });

/** A state at serial 2 and a plan against it in `name`; returns the plan's bytes. */
const planned = (dir: string, name = 'p.plan'): Buffer => {
  writeState(dir);
  savePlan(dir, join(dir, name));
  return readFileSync(join(dir, name));
};
/** Where the sealed body starts and ends in a plan file's bytes. */
const regions = (b: Buffer) => {
  const start = b.indexOf(',"sealed":"') + ',"sealed":"'.length;
  return { headerEnd: start - ',"sealed":"'.length, start, end: b.length - '"}\n'.length };
};
/** One byte replaced by a different printable byte of the same kind. */
const edited = (b: Buffer, at: number): Buffer => {
  const out = Buffer.from(b);
  const c = out[at]!;
  out[at] = c >= 0x30 && c <= 0x39 ? 0x30 + ((c - 0x30 + 1) % 10) : c >= 0x61 && c <= 0x7a ? 0x61 + ((c - 0x61 + 1) % 26) : c >= 0x41 && c <= 0x5a ? 0x41 + ((c - 0x41 + 1) % 26) : c === 0x78 ? 0x79 : 0x78;
  return out;
};
const DAMAGED = /p\.plan (is damaged|cannot be opened with this state's key)|the plan file .*p\.plan (is damaged|cannot be opened)/;

// One-byte edits at many offsets of the header (every field, the summary included) and of the sealed body.
for (let k = 0; k < 16; k++) {
  add({
    name: `header byte ${k}/16 edited`,
    setup: (dir) => {
      const b = planned(dir);
      const { headerEnd } = regions(b);
      writeFileSync(join(dir, 'p.plan'), edited(b, Math.floor((headerEnd * k) / 16) + (k === 0 ? 0 : 1)));
    },
    args: k % 4 === 3 ? ['show', 'p.plan'] : ['apply', 'p.plan'],
    says: DAMAGED,
  });
}
for (let k = 0; k < 16; k++) {
  add({
    name: `sealed body byte ${k}/16 edited`,
    setup: (dir) => {
      const b = planned(dir);
      const { start, end } = regions(b);
      writeFileSync(join(dir, 'p.plan'), edited(b, k === 15 ? end - 1 : start + Math.floor(((end - start) * k) / 15)));
    },
    args: ['apply', 'p.plan'],
    says: DAMAGED,
  });
}
add({
  name: 'summary count edited (one byte)',
  setup: (dir) => {
    const b = planned(dir);
    const at = b.indexOf('"summary":{') + '"summary":{'.length;
    const digit = b.indexOf(':', at) + 1;
    writeFileSync(join(dir, 'p.plan'), edited(b, digit));
  },
  args: ['apply', 'p.plan'],
  says: /cannot be opened with this state's key: .*or it was modified/,
});

// Changes that keep the JSON valid and its values equal: refused byte for byte.
for (const [label, change] of [
  ['a space after the first comma', (t: string) => t.replace(',', ', ')],
  ['keys reordered', (t: string) => t.replace(/"stack":("[^"]*"),"lineage":("[^"]*")/, '"lineage":$2,"stack":$1')],
  ['a letter written as a \\u escape', (t: string) => t.replace('"format":"dbstack-plan"', '"format":"dbstack-\\u0070lan"')],
  ['a second trailing newline', (t: string) => `${t}\n`],
  ['CRLF line end', (t: string) => t.replace(/\n$/, '\r\n')],
  ['no trailing newline', (t: string) => t.replace(/\n$/, '')],
  ['base64 with a non-canonical last character', (t: string) => t.replace(/([A-Za-z0-9+/])(=*)"}\n$/, (_m, c: string, pad: string) => `${ALPHABET[ALPHABET.indexOf(c) ^ 1]}${pad}"}\n`)],
  ['base64 with a character the decoder would skip', (t: string) => t.replace(',"sealed":"', ',"sealed":"!')],
] as const) {
  add({
    name: `valid JSON, ${label}`,
    setup: (dir) => {
      const text = planned(dir).toString('utf8');
      const changed = change(text);
      if (changed === text) throw new Error(`the change "${label}" did not apply`);
      writeFileSync(join(dir, 'p.plan'), changed);
    },
    args: ['apply', 'p.plan'],
    says: /the plan file .*p\.plan (is damaged: it is not exactly as dbstack wrote it|cannot be opened with this state's key)/,
  });
}
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Truncated at many offsets.
for (const [label, at] of [
  ['1 byte', () => 1],
  ['5 bytes', () => 5],
  ['10 bytes', () => 10],
  ['24 bytes', () => 24],
  ['50 bytes', () => 50],
  ['the end of the header', (b: Buffer) => regions(b).headerEnd],
  ['5 bytes into the body', (b: Buffer) => regions(b).start + 5],
  ['half', (b: Buffer) => Math.floor(b.length / 2)],
  ['two bytes short', (b: Buffer) => b.length - 2],
  ['one byte short', (b: Buffer) => b.length - 1],
] as const) {
  add({
    name: `truncated to ${label}`,
    setup: (dir) => {
      const b = planned(dir);
      writeFileSync(join(dir, 'p.plan'), b.subarray(0, at(b)));
    },
    args: ['apply', 'p.plan'],
    says: /the plan file .*p\.plan is damaged/,
  });
}

// A plan saved with a stack-file extension is still read as a plan, damaged or not.
for (const [label, damage] of [
  ['truncated to 1 byte', (b: Buffer) => b.subarray(0, 1)],
  ['truncated to 30 bytes', (b: Buffer) => b.subarray(0, 30)],
  ['truncated to half', (b: Buffer) => b.subarray(0, b.length >> 1)],
  ['one header byte edited', (b: Buffer) => edited(b, 40)],
  ['one body byte edited', (b: Buffer) => edited(b, regions(b).start + 40)],
] as const) {
  add({
    name: `plan saved as p.json, ${label}`,
    setup: (dir) => writeFileSync(join(dir, 'p.json'), damage(planned(dir, 'p.json'))),
    args: ['apply', 'p.json'],
    says: /p\.json (is damaged|cannot be opened)|the plan file .*p\.json (is damaged|cannot be opened)/,
  });
}
for (const name of ['p.plan', 'p.json', 'p.yaml', 'empty.hcl']) {
  add({ name: `empty file ${name}`, setup: (dir) => (writeState(dir), writeFileSync(join(dir, name), '')), args: ['apply', '-auto-approve', name], says: new RegExp(`${name.replace('.', '\\.')} is empty: it is neither a saved plan nor a stack.*dbstack destroy`, 's') });
}
add({ name: 'show an empty plan file', setup: (dir) => (writeState(dir), writeFileSync(join(dir, 'p.plan'), '')), args: ['show', 'p.plan'], says: /p\.plan is empty/ });

// Stale, another state's, another key's.
add({
  name: 'stale: the state moved on since the plan',
  setup: (dir) => {
    planned(dir);
    const store = StateStore.open(statePath(dir));
    store.taint(STACK, 'database_instance.db');
    store.close();
  },
  args: ['apply', 'p.plan'],
  says: /the state of stack "s" changed since the plan was made: the plan was made against serial 2, the state is now at serial 3/,
});
add({
  name: 'stale: a plan of another state with the same key',
  setup: (dir) => {
    writeState(dir, { key: Buffer.from(KEY_HEX, 'hex') });
    StateStore.open(statePath(join(dir, 'o')), { key: Buffer.from(KEY_HEX, 'hex') }).close();
    savePlan(dir, join(dir, 'p.plan'), { stateDir: join(dir, 'o'), key: Buffer.from(KEY_HEX, 'hex') });
  },
  env: { DBSTACK_STATE_KEY: KEY_HEX },
  args: ['apply', 'p.plan'],
  says: /changed since the plan was made: the plan was made against lineage .*, the state has lineage .* \(a different state\)/,
});
for (const cmd of ['apply', 'show']) {
  add({
    name: `${cmd}: a plan sealed with another state's key`,
    setup: (dir) => {
      writeState(dir);
      writeState(join(dir, 'o'));
      savePlan(dir, join(dir, 'p.plan'), { stateDir: join(dir, 'o') });
    },
    args: [cmd, 'p.plan'],
    says: /the plan file .*p\.plan cannot be opened with this state's key: it was made for another state, with another key, or it was modified/,
  });
  add({
    name: `${cmd}: a plan and no state`,
    setup: (dir) => {
      writeState(join(dir, 'o'));
      savePlan(dir, join(dir, 'p.plan'), { stateDir: join(dir, 'o') });
    },
    args: [cmd, 'p.plan'],
    says: /there is no state at \.dbstack\/state\.db to (apply|open) the saved plan p\.plan/,
  });
}
add({
  name: 'a plan of format 1',
  setup: (dir) => {
    writeState(dir);
    writeFileSync(join(dir, 'p.plan'), `${JSON.stringify({ format: 'dbstack-plan', version: 1, stack: 's', lineage: 'x', serial: 2, createdAt: 'now', summary: {}, sealed: 'AAAA' })}\n`);
  },
  args: ['apply', 'p.plan'],
  says: /p\.plan was written by a dbstack with plan format 1; this one reads format 2.*make the plan again/s,
});

// Foreign files and things that are not files.
for (const [label, bytes] of [
  ['random bytes', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 131 + 7) & 0xff))],
  ['a zip archive (a terraform plan)', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 1)])],
  ['a JSON object', Buffer.from('{"a":1}\n')],
  ['a JSON array', Buffer.from('[1,2,3]\n')],
  ['JSON null', Buffer.from('null\n')],
  ['a stack file', Buffer.from(STACK_HCL)],
  ['UTF-16 text', Buffer.from('\ufeff{"format":"dbstack-plan"}', 'utf16le')],
] as const) {
  add({ name: `foreign file: ${label}`, setup: (dir) => (writeState(dir), writeFileSync(join(dir, 'p.plan'), bytes)), args: ['apply', 'p.plan'], says: /p\.plan is not a dbstack plan file.*Give a plan saved with `dbstack plan --out FILE`, or stack files/s });
}
for (const cmd of ['apply', 'show']) {
  add({ name: `${cmd}: a named pipe as the plan`, setup: (dir) => (writeState(dir), mkfifo(join(dir, 'p.plan'))), args: [cmd, 'p.plan'], says: /p\.plan is not a saved plan: it is a named pipe/ });
}
add({ name: 'show: a directory as the plan', setup: (dir) => (writeState(dir), mkdirSync(join(dir, 'p.plan'))), args: ['show', 'p.plan'], says: /p\.plan is a directory, not a saved plan/ });
add({ name: 'apply: a directory named like a plan', setup: (dir) => (writeState(dir), mkdirSync(join(dir, 'p.plan'))), args: ['apply', 'p.plan'], says: /p\.plan holds no \.hcl or \.tf files/ });
add({ name: 'plan --out into a directory', setup: (dir) => (writeState(dir), mkdirSync(join(dir, 'out'))), args: ['plan', '--refresh=false', 's.hcl', '--out', 'out'], says: /cannot save the plan to out: it is a directory/ });
add({ name: 'plan --out into a missing directory', setup: (dir) => void writeState(dir), args: ['plan', '--refresh=false', 's.hcl', '--out', 'nowhere/p.plan'], says: /cannot save the plan to nowhere\/p\.plan: .*no such file or directory/ });

badInputTests(limited(test), 'plan files', cases);
