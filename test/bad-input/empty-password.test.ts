import test from 'ava';
import { badInputTests } from '../support/bad-input.js';

const instance = (password: string, extra = '') => `${extra}resource "database_instance" "db" {
  name      = "db"
  datastore = { type = "redis", version = "7" }
  flavor    = "db.small"
  volume    = { size = 1 }
  user "app" {
    password = ${password}
  }
}
`;

// Empty passwords are refused at plan time (schema minLength); the engines' drivers refuse them
// again for values known only at apply time (guest/datastores/user-checks.ts).
badInputTests(test, 'empty password', [
  { name: 'literal empty password', files: { 's.hcl': instance('""') }, args: ['plan', 's.hcl'], says: /`users\[0\]\.password` must not be empty/ },
  { name: 'empty password from a variable', files: { 's.hcl': instance('var.pw', 'variable "pw" {\n  type    = string\n  default = ""\n}\n') }, args: ['plan', 's.hcl'], says: /`users\[0\]\.password` must not be empty/ },
  {
    name: 'empty password of a database_user',
    files: { 's.hcl': `${instance('"x"')}resource "database_user" "u" {\n  instance = database_instance.db.id\n  name     = "u"\n  password = ""\n}\n` },
    args: ['plan', 's.hcl'],
    says: /`password` must not be empty/,
  },
]);
