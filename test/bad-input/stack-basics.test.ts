import test from 'ava';
import { badInputTests } from '../support/bad-input.js';

// The first cases of the bad-input corpus; the per-topic files beside this one hold the rest.
badInputTests(test, 'stack', [
  { name: 'missing stack file', args: ['plan', 'nope.hcl'], says: /no such file or directory: nope\.hcl/ },
  { name: 'unclosed block', files: { 's.hcl': 'resource "database_instance" "db" {\n' }, args: ['plan', 's.hcl'], says: /s\.hcl:\d+:\d+/ },
  { name: 'unknown attribute', files: { 's.hcl': 'resource "database_instance" "db" {\n  flavour = "x"\n}\n' }, args: ['validate', 's.hcl'], says: /unknown attribute `flavour`/ },
  { name: 'garbage bytes', files: { 's.hcl': '\u0000\u0001{{{"${' }, args: ['plan', 's.hcl'], says: /s\.hcl/ },
]);
