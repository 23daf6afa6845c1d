import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInputTests, type BadInputCase } from '../support/bad-input.js';

// Wrong variable values: -var syntax, undeclared names, type mismatches, failing validations,
// broken variables files in each format, and names that would reach into JavaScript prototypes.

const STACK = `variable "replicas" {
  type     = number
  default  = 1
  nullable = false
  validation {
    condition     = var.replicas >= 1 && var.replicas <= 5
    error_message = "replicas must be between 1 and 5."
  }
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "owner" {
  type    = object({ name = string, uid = number })
  default = { name = "ops", uid = 1 }
}

variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = can(regex("^(a+)+$", var.env)) || contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

output "all" {
  value = [var.replicas, var.tags, var.owner, var.env]
}
`;
const REQUIRED = 'variable "region" {\n  type = string\n}\noutput "r" {\n  value = var.region\n}\n';

const v = (name: string, args: string[], says: RegExp, extra: Partial<BadInputCase> = {}): BadInputCase => ({ name, files: { 's.hcl': STACK, ...extra.files }, args: ['plan', 's.hcl', ...args], says, ...(extra.env ? { env: extra.env } : {}), ...(extra.setup ? { setup: extra.setup } : {}) });
const file = (name: string, fileName: string, text: string | Buffer, says: RegExp): BadInputCase => v(name, ['-var-file', fileName], says, { files: { [fileName]: text } });

badInputTests(test.serial, 'variables', [
  // -var syntax and names
  v('-var without =', ['-var', 'replicas'], /-var needs NAME=VALUE, got `replicas`/),
  v('-var with an empty name', ['-var', '=3'], /-var needs NAME=VALUE, got `=3`/),
  v('-var __proto__', ['-var', '__proto__={"polluted":true}'], /`__proto__` \(from -var\) is not a valid variable name/),
  v('-var constructor', ['-var', 'constructor=1'], /`constructor` \(from -var\) is not a valid variable name/),
  v('-var prototype', ['-var', 'prototype=1'], /`prototype` \(from -var\) is not a valid variable name/),
  v('TF_VAR___proto__ in the environment', [], /`__proto__` \(from TF_VAR___proto__\) is not a valid variable name/, { env: { TF_VAR___proto__: '1' } }),
  v('DBSTACK_VAR_constructor in the environment', [], /`constructor` \(from DBSTACK_VAR_constructor\) is not a valid variable name/, { env: { DBSTACK_VAR_constructor: '1' } }),
  v('an undeclared variable, with did-you-mean', ['-var', 'replica=2'], /declares no such variable[\s\S]*Did you mean `replicas`\?/),
  v('an undeclared variable from the environment', [], /a value was given for `nope` \(TF_VAR_nope\)/, { env: { TF_VAR_nope: 'x' } }),
  v('a required variable without a value', [], /no value for required variable `region`/, { files: { 's.hcl': REQUIRED } }),
  // Type mismatches
  v('a list for a number', ['-var', 'replicas=[1]'], /invalid value for variable `replicas` \(-var\): a number is required, got list/),
  v('a word for a number', ['-var', 'replicas=three'], /replicas|three/),
  v('an empty value for a number', ['-var', 'replicas='], /a number is required, got ""/),
  v('null for a variable that is not nullable', ['-var', 'replicas=null'], /variable `replicas` is not nullable, but -var gives it null/),
  v('a number too large for a double', ['-var', 'replicas=1e999'], /`1e999` is too large a number/),
  v('a string for a map', ['-var', 'tags=notamap'], /tags|notamap/),
  v('a list inside a map of strings', ['-var', 'tags={a=[1]}'], /invalid value for variable `tags` \(-var\): element "a": a string is required, got list/),
  v('an object missing an attribute', ['-var', 'owner={name="x"}'], /invalid value for variable `owner` \(-var\): attribute "uid" is required/),
  v('an object attribute of the wrong type', ['-var', 'owner={name="x",uid="y"}'], /attribute "uid": a number is required, got "y"/),
  v('an unclosed brace', ['-var', 'owner={'], /invalid value for variable `owner`/),
  v('a type mismatch from the environment', [], /invalid value for variable `replicas`|abc/, { env: { TF_VAR_replicas: '[1, 2]' } }),
  // Validations
  v('a failing validation', ['-var', 'replicas=9'], /invalid value for variable `replicas`: replicas must be between 1 and 5\.[\s\S]*s\.hcl:6:\d+/),
  v('a catastrophic regex in a validation ends at once', ['-var', `env=${'a'.repeat(40)}!`], /env must be dev or prod\./),
  v('a validation fed by a variables file', ['-var-file', 'v.tfvars'], /replicas must be between 1 and 5/, { files: { 'v.tfvars': 'replicas = 0\n' } }),
  // Variables files that cannot be read
  v('a missing variables file', ['-var-file', 'nope.tfvars'], /variables file nope\.tfvars does not exist/),
  v('a directory as a variables file', ['-var-file', 'dir.tfvars'], /variables file dir\.tfvars is a directory, not a regular file/, { setup: (d) => mkdirSync(join(d, 'dir.tfvars')) }),
  v('a FIFO as a variables file', ['-var-file', 'f.tfvars'], /variables file f\.tfvars is a named pipe \(FIFO\), not a regular file/, { setup: (d) => { execFileSync('mkfifo', [join(d, 'f.tfvars')]); } }),
  v('/dev/stdin-like device as a variables file', ['-var-file', '/dev/zero'], /variables file \/dev\/zero is a character device, not a regular file/),
  v('a variables file over 64 MiB', ['-var-file', 'big.tfvars'], /big\.tfvars is 65\.0 MiB, over the limit of 64 MiB/, { setup: (d) => { writeFileSync(join(d, 'big.tfvars'), ''); truncateSync(join(d, 'big.tfvars'), 65 * 1024 * 1024); } }),
  file('invalid UTF-8 in a .tfvars file', 'v.tfvars', Buffer.concat([Buffer.from('tags = { a = "caf'), Buffer.from([0xe9]), Buffer.from('" }\n')]), /variables file v\.tfvars is not valid UTF-8[\s\S]*v\.tfvars:1:18/),
  file('a UTF-16 .tfvars.json file', 'v.tfvars.json', Buffer.from('\ufeff{"replicas": 2}', 'utf16le'), /variables file v\.tfvars\.json is UTF-16 encoded/),
  file('a NUL byte in a YAML variables file', 'v.yaml', 'replicas: 2\nenv: "d\u0000ev"\n', /variables file v\.yaml contains a NUL byte[\s\S]*v\.yaml:2:8/),
  // .tfvars (HCL)
  file('a .tfvars syntax error', 'v.tfvars', 'replicas = \n', /v\.tfvars:1:\d+/),
  file('a .tfvars value that refers to a variable', 'v.tfvars', 'replicas = var.x\n', /v\.tfvars:1:\d+/),
  file('a block in a .tfvars file', 'v.tfvars', 'tags {\n  a = "b"\n}\n', /a variables file holds only `name = value` lines[\s\S]*v\.tfvars:1:1/),
  file('a variable set twice in a .tfvars file', 'v.tfvars', 'replicas = 1\nreplicas = 2\n', /the argument `replicas` is set twice[\s\S]*v\.tfvars:2:1/),
  file('__proto__ in a .tfvars file', 'v.tfvars', '__proto__ = 1\n', /`__proto__` \(from v\.tfvars\) is not a valid variable name[\s\S]*v\.tfvars:1:1/),
  file('a failing function in a .tfvars file', 'v.tfvars', 'replicas = max()\n', /max\(\)[\s\S]*v\.tfvars:1:\d+/),
  file('a .tfvars value nested 5,000 deep', 'v.tfvars', `tags = ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /nesting deeper than 500 levels[\s\S]*v\.tfvars:1:\d+/),
  file('a type mismatch in a .tfvars file', 'v.tfvars', 'owner = "root"\n', /invalid value for variable `owner` \(v\.tfvars:1\)/),
  // JSON
  file('a JSON syntax error', 'v.tfvars.json', '{"replicas": }\n', /cannot parse variables file v\.tfvars\.json: Unexpected token/),
  file('__proto__ as a JSON key', 'v.tfvars.json', '{"__proto__": {"polluted": true}}\n', /`__proto__` \(from v\.tfvars\.json\) is not a valid variable name/),
  file('__proto__ inside a JSON map value', 'v.tfvars.json', '{"tags": {"__proto__": {"polluted": "yes"}}}\n', /element "__proto__": a string is required/),
  file('JSON nested 20,000 deep', 'v.tfvars.json', `{"tags": ${'['.repeat(20000)}${']'.repeat(20000)}}`, /variables file v\.tfvars\.json nests deeper than 200 levels[\s\S]*v\.tfvars\.json:1:\d+/),
  file('a JSON list at the top', 'v.tfvars.json', '[1, 2]\n', /must be a mapping of names to values/),
  file('a JSON type mismatch', 'v.tfvars.json', '{"owner": {"name": "x", "uid": "y"}}\n', /attribute "uid": a number is required/),
  // YAML and Heat environment files
  file('a YAML syntax error', 'v.yaml', 'tags: [a\n', /cannot parse variables file v\.yaml[\s\S]*v\.yaml:\d+:\d+/),
  file('constructor as a YAML key', 'v.yaml', 'constructor: {prototype: {polluted: true}}\n', /`constructor` \(from v\.yaml\) is not a valid variable name/),
  file('YAML nested 3,000 deep', 'v.yaml', `tags:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n`, /variables file v\.yaml nests deeper than 200 levels/),
  file('a YAML alias bomb', 'v.yaml', `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n`, /alias|too many|cannot parse/i),
  file('a Heat environment with an undeclared parameter', 'env.yaml', 'parameters:\n  flavour: db.small\n', /a value was given for `flavour`/),
  file('a YAML scalar at the top', 'v.yaml', 'just text\n', /must be a mapping of names to values/),
  file('a YAML type mismatch', 'v.yaml', 'replicas: many\n', /invalid value for variable `replicas` \(v\.yaml\): a number is required, got "many"/),
]);
