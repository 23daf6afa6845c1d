import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInputTests, type BadInputCase } from '../support/bad-input.js';

// Wrong stack files in every language dbstack reads: HCL (.hcl, .tf), native YAML, Heat HOT,
// CloudFormation-format JSON. Each must fail with one located sentence, never a trace or a hang.

const REDIS = 'resource "database_instance" "cache" {\n  name      = "cache"\n  datastore = { type = "redis", version = "7" }\n  flavor    = "db.small"\n  volume    = { size = 1 }\n}\n';
const HOT_HEAD = 'heat_template_version: 2018-08-31\n';
const utf16 = (s: string, be: boolean): Buffer => {
  const le = Buffer.from(`\ufeff${s}`, 'utf16le');
  return be ? le.swap16() : le;
};
const hcl = (name: string, text: string | Buffer, says: RegExp, command = 'validate'): BadInputCase => ({ name: `hcl: ${name}`, files: { 's.hcl': text }, args: [command, 's.hcl'], says });
const yaml = (name: string, text: string | Buffer, says: RegExp, command = 'validate'): BadInputCase => ({ name: `yaml: ${name}`, files: { 's.yaml': text }, args: [command, 's.yaml'], says });
const hot = (name: string, text: string, says: RegExp, command = 'validate'): BadInputCase => ({ name: `hot: ${name}`, files: { 's.yaml': HOT_HEAD + text }, args: [command, 's.yaml'], says });
const json = (name: string, text: string | Buffer, says: RegExp, command = 'validate'): BadInputCase => ({ name: `json: ${name}`, files: { 's.json': text }, args: [command, 's.json'], says });
const locals = (body: string): string => `locals {\n${body}\n}\n`;

// Serial: each case is a CLI process, and CI has two cores.
badInputTests(test.serial, 'stack files', [
  // HCL syntax
  hcl('unclosed string', 'locals {\n  a = "x\n}\n', /s\.hcl:2:\d+/),
  hcl('attribute without =', locals('  a 1'), /s\.hcl:2:\d+/),
  hcl('unknown block type', 'resourc "database_instance" "x" {\n}\n', /s\.hcl:1:1[\s\S]*resource/),
  hcl('resource without its name label', 'resource "database_instance" {\n}\n', /s\.hcl:1:\d+/),
  hcl('unknown resource type, with did-you-mean', REDIS.replace('database_instance', 'database_instanse'), /database_instanse[\s\S]*database_instance/),
  hcl('attribute given twice', REDIS.replace('flavor    = "db.small"', 'flavor = "db.small"\n  flavor = "db.large"'), /s\.hcl:5:\d+/),
  hcl('two resources with one address', REDIS + REDIS, /database_instance\.cache[\s\S]*s\.hcl:7:\d+/),
  hcl('a block where an attribute belongs', REDIS.replace('flavor    = "db.small"', 'flavor {\n  }'), /s\.hcl:\d+:\d+/),
  hcl('a number literal with two dots', locals('  a = 1.2.3'), /s\.hcl:2:\d+/),
  hcl('an unterminated heredoc', locals('  a = <<EOT\nhello\n'), /s\.hcl:2:\d+[\s\S]*EOT|heredoc/),
  hcl('a stray closing brace', '}\n' + REDIS, /s\.hcl:1:1/),
  hcl('a tab-broken template directive', locals('  a = "%{ if }x%{ endif }"'), /s\.hcl:2:\d+/),
  // HCL types and references
  hcl('unknown function, with did-you-mean', locals('  a = upperr("x")') + 'output "o" {\n  value = local.a\n}\n', /upperr[\s\S]*upper/, 'plan'),
  hcl('wrong number of arguments', locals('  a = upper()') + 'output "o" {\n  value = local.a\n}\n', /upper\(\) takes/, 'plan'),
  hcl('adding a string that is not a number', locals('  a = 1 + "x"') + 'output "o" {\n  value = local.a\n}\n', /s\.hcl:2:\d+/, 'plan'),
  hcl('a string where a number belongs', REDIS.replace('size = 1', 'size = "big"'), /whole number[\s\S]*s\.hcl:5:\d+/, 'plan'),
  hcl('a reference to an undeclared local', locals('  a = local.nope') + 'output "o" {\n  value = local.a\n}\n', /nope/),
  hcl('a reference to an undeclared variable', 'output "o" {\n  value = var.nope\n}\n', /nope/),
  hcl('a reference to an undeclared resource', 'output "o" {\n  value = database_instance.nope.host\n}\n', /database_instance\.nope/),
  hcl('a cycle between locals', locals('  a = local.b\n  b = local.a'), /cycle/i),
  hcl('a cycle between resources', REDIS.replace('name      = "cache"', 'name = "cache"\n  depends_on = [database_instance.other]') + REDIS.replace('"cache" {', '"other" {').replace('name      = "cache"', 'name = "other"\n  depends_on = [database_instance.cache]'), /cycle/i),
  hcl('a resource that refers to itself', REDIS.replace('name      = "cache"', 'name = database_instance.cache.host'), /cycle|itself|self/i),
  hcl('a count that is not a whole number', REDIS.replace('name      = "cache"', 'count = 1.5\n  name = "cache"'), /count/, 'plan'),
  hcl('a negative count', REDIS.replace('name      = "cache"', 'count = -1\n  name = "cache"'), /count/, 'plan'),
  hcl('a huge number for count', REDIS.replace('name      = "cache"', 'count = 1e400\n  name = "cache"'), /count|number/, 'plan'),
  hcl('a huge number for a size', REDIS.replace('size = 1', 'size = 1e400'), /s\.hcl:5:\d+/, 'plan'),
  hcl('for_each over a number', REDIS.replace('name      = "cache"', 'for_each = 3\n  name = "cache"'), /for_each/, 'plan'),
  hcl('an index out of range', locals('  a = [1, 2][5]') + 'output "o" {\n  value = local.a\n}\n', /s\.hcl:2:\d+/, 'plan'),
  hcl('an attribute of a string', locals('  a = "x".y') + 'output "o" {\n  value = local.a\n}\n', /s\.hcl:2:\d+/, 'plan'),
  // HCL nesting: each of these overflowed the stack before
  hcl('5,000 chained +', locals(`  a = 1${' + 1'.repeat(5000)}`), /nesting deeper than 500 levels[\s\S]*s\.hcl:2:\d+/),
  hcl('20,000 chained &&', locals(`  a = true${' && true'.repeat(20000)}`), /nesting deeper than 500 levels[\s\S]*s\.hcl:2:\d+/),
  hcl('20,000 chained [0]', locals(`  a = [1]${'[0]'.repeat(20000)}`), /nesting deeper than 500 levels[\s\S]*s\.hcl:2:\d+/),
  hcl('5,000 nested parentheses', locals(`  a = ${'('.repeat(5000)}1${')'.repeat(5000)}`), /nesting deeper than 500 levels[\s\S]*s\.hcl:2:\d+/),
  hcl('5,000 nested lists', locals(`  a = ${'['.repeat(5000)}${']'.repeat(5000)}`), /nesting deeper than 500 levels[\s\S]*s\.hcl:2:\d+/),
  hcl('3,000 nested interpolations', locals(`  a = ${'"${'.repeat(3000)}1${'}"'.repeat(3000)}`), /nesting deeper than 500 levels/),
  hcl('3,000 nested conditionals', locals(`  a = ${'true ? 1 : '.repeat(3000)}1`), /nesting deeper than 500 levels/),
  hcl('2,000 nested blocks', `${'b {\n'.repeat(2000)}${'}\n'.repeat(2000)}`, /nesting deeper than 500 levels/),
  hcl('a value nested 600 deep through locals', locals(['  l0 = 1', ...Array.from({ length: 600 }, (_, i) => `  l${i + 1} = [local.l${i}]`)].join('\n')) + 'output "o" {\n  value = local.l600\n}\n', /value nests deeper than 500 levels[\s\S]*s\.hcl:\d+:\d+/, 'plan'),
  hcl('jsondecode of JSON nested 20,000 deep', locals(`  a = jsondecode("${'['.repeat(20000)}${']'.repeat(20000)}")`) + 'output "o" {\n  value = local.a\n}\n', /jsondecode\(\): the JSON nests deeper than 500 levels[\s\S]*s\.hcl:2:\d+/, 'plan'),
  hcl('yamldecode of YAML nested 20,000 deep', locals(`  a = yamldecode("${'['.repeat(20000)}${']'.repeat(20000)}")`) + 'output "o" {\n  value = local.a\n}\n', /yamldecode\(\): the YAML nests deeper than 200 levels[\s\S]*s\.hcl:2:\d+/, 'plan'),
  // Regular expressions: RE2 syntax, linear time
  hcl('a backreference in regex()', locals('  a = regex("(a)\\\\1", "aa")') + 'output "o" {\n  value = local.a\n}\n', /regex\(\): invalid regexp pattern[\s\S]*s\.hcl:2:\d+/, 'plan'),
  hcl('a lookahead in regexall()', locals('  a = regexall("a(?=b)", "ab")') + 'output "o" {\n  value = local.a\n}\n', /regexall\(\): invalid regexp pattern[\s\S]*s\.hcl:2:\d+/, 'plan'),
  hcl('an unclosed group in replace()', locals('  a = replace("ab", "/(a/", "x")') + 'output "o" {\n  value = local.a\n}\n', /replace\(\): invalid regexp pattern[\s\S]*s\.hcl:2:\d+/, 'plan'),
  hcl('a catastrophic pattern in a validation ends at once', 'variable "s" {\n  type    = string\n  default = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"\n  validation {\n    condition     = can(regex("^(a+)+$", var.s))\n    error_message = "s must be only a letters."\n  }\n}\n', /s must be only a letters/, 'plan'),
  // Bytes and encodings
  hcl('invalid UTF-8', Buffer.concat([Buffer.from('locals {\n  a = "x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"\n}\n')]), /not valid UTF-8[\s\S]*s\.hcl:2:9/),
  hcl('a truncated UTF-8 sequence', Buffer.concat([Buffer.from('locals {\n  a = "é'), Buffer.from([0xc3]), Buffer.from('"\n}\n')]), /not valid UTF-8[\s\S]*s\.hcl:2:9/),
  hcl('an overlong UTF-8 encoding', Buffer.concat([Buffer.from('locals {\n  a = "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"\n}\n')]), /not valid UTF-8[\s\S]*s\.hcl:2:8/),
  hcl('UTF-16 (little-endian, with BOM)', utf16(REDIS, false), /UTF-16[\s\S]*s\.hcl:1:1/),
  hcl('UTF-16 (big-endian, with BOM)', utf16(REDIS, true), /UTF-16[\s\S]*s\.hcl:1:1/),
  hcl('a UTF-8 BOM then a syntax error', `\ufeff${locals('  a = ')}`, /s\.hcl:2:7/),
  hcl('a NUL byte', locals('  a = "x\u0000y"'), /NUL byte[\s\S]*s\.hcl:2:9/),
  hcl('a binary file', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]), /NUL byte|not valid UTF-8/),
  // Wrong kinds of file
  { name: 'a FIFO given as a stack file is refused, not waited on', setup: (d) => {
    execFileSync('mkfifo', [join(d, 'f.hcl')]);
  }, args: ['validate', 'f.hcl'], says: /f\.hcl is a named pipe \(FIFO\), not a regular file/ },
  { name: 'a character device given as a stack file', setup: (d) => symlinkSync('/dev/zero', join(d, 'zero.hcl')), args: ['plan', 'zero.hcl'], says: /zero\.hcl is a character device, not a regular file/ },
  { name: 'a file over 64 MiB', setup: (d) => { writeFileSync(join(d, 'big.hcl'), ''); truncateSync(join(d, 'big.hcl'), 65 * 1024 * 1024); }, args: ['validate', 'big.hcl'], says: /big\.hcl is 65\.0 MiB, over the limit of 64 MiB/ },
  { name: 'a directory without stack files', setup: (d) => mkdirSync(join(d, 'empty')), args: ['validate', 'empty'], says: /empty holds no \.hcl or \.tf files/ },
  { name: 'a directory named like a stack file', setup: (d) => mkdirSync(join(d, 'dir.yaml')), args: ['validate', 'dir.yaml'], says: /dir\.yaml holds no \.hcl or \.tf files/ },
  { name: 'an unknown file extension', files: { 's.txt': REDIS }, args: ['validate', 's.txt'], says: /unknown stack file type `\.txt`/ },
  { name: 'a missing file', args: ['plan', 'missing.hcl'], says: /no such file or directory: missing\.hcl/ },
  { name: 'a resource declared in two files of a directory', files: { 'a.hcl': REDIS, 'b.hcl': REDIS }, setup: (d) => { mkdirSync(join(d, 'st')); writeFileSync(join(d, 'st', 'a.hcl'), REDIS); writeFileSync(join(d, 'st', 'b.hcl'), REDIS); }, args: ['validate', 'st'], says: /declared twice/ },
  // Terraform .tf
  { name: 'tf: a module block', files: { 'main.tf': 'module "m" {\n  source = "./m"\n}\n' }, args: ['validate', 'main.tf'], says: /modules are not supported[\s\S]*main\.tf:1:1/ },
  { name: 'tf: an aws_instance resource', files: { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "x"\n}\n' }, args: ['validate', 'main.tf'], says: /aws_instance/ },
  { name: 'tf: a syntax error in a .tf file', files: { 'main.tf': 'variable "x" {\n  type = list(\n}\n' }, args: ['validate', 'main.tf'], says: /main\.tf:\d+:\d+/ },
  // Native YAML
  yaml('an unclosed flow sequence', 'resources:\n  a: [1, 2\n', /s\.yaml:\d+:\d+/),
  yaml('a tab used for indentation', 'resources:\n\tcache:\n\t\ttype: database_instance\n', /s\.yaml:\d+:\d+/),
  yaml('a key given twice', 'resources:\n  a: {type: database_instance}\n  a: {type: database_instance}\n', /"a" appears more than once/),
  yaml('a misspelled section, with did-you-mean', 'resorces:\n  a: {type: database_instance}\n', /Did you mean "resources"/),
  yaml('a resource without a type', 'resources:\n  a:\n    properties: {}\n', /has no type/),
  yaml('two documents in one file', 'resources: {}\n---\nresources: {}\n', /single YAML document/),
  yaml('a list at the top level', '- a\n- b\n', /must be a mapping/),
  yaml('an alias bomb', `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n`, /too many nodes|alias/i),
  yaml('flow collections nested 20,000 deep', `resources: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, /YAML nests deeper than 200 levels[\s\S]*s\.yaml:1:\d+/),
  yaml('block mappings nested 3,000 deep', `resources:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n`, /YAML nests deeper than 200 levels[\s\S]*s\.yaml:\d+:\d+/),
  yaml('block sequences nested 3,000 deep on one line', `resources: \n  x:\n    ${'- '.repeat(3000)}1\n`, /YAML nests deeper than 200 levels/),
  yaml('invalid UTF-8', Buffer.concat([Buffer.from('description: "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]), /not valid UTF-8[\s\S]*s\.yaml:1:18/),
  yaml('a NUL byte', 'description: "a\u0000b"\n', /NUL byte[\s\S]*s\.yaml:1:16/),
  yaml('UTF-16', utf16('resources: {}\n', false), /UTF-16/),
  yaml('an undeclared variable in an expression', 'outputs:\n  o: {value: "${var.nope}"}\n', /nope/),
  yaml('an HCL syntax error inside a string', 'outputs:\n  o: {value: "${1 +}"}\n', /s\.yaml:2:\d+/),
  // Heat HOT
  { name: 'hot: an unknown template version', files: { 's.yaml': 'heat_template_version: 2099-01-01\nresources: {}\n' }, args: ['validate', 's.yaml'], says: /2099-01-01[\s\S]*s\.yaml:1:\d+/ },
  hot('a get_param of an undeclared parameter', 'resources:\n  pw:\n    type: OS::Heat::RandomString\n    properties:\n      length: {get_param: nope}\n', /nope/),
  hot('a get_resource of an undeclared resource', 'resources:\n  pw:\n    type: OS::Heat::RandomString\noutputs:\n  o:\n    value: {get_resource: nope}\n', /nope/),
  hot('a get_attr of an undeclared resource', 'resources: {}\noutputs:\n  o:\n    value: {get_attr: [nope, first_address]}\n', /nope/),
  hot('list_join with a number', 'resources: {}\noutputs:\n  o:\n    value: {list_join: 1}\n', /list_join/),
  hot('a resource without a type', 'resources:\n  x:\n    properties: {}\n', /Resource "x" has no type[\s\S]*s\.yaml:3:3/),
  hot('a resource type Heat does not have', 'resources:\n  x:\n    type: OS::Nova::Flavour\n', /OS::Nova::Flavour/),
  hot('depends_on in a cycle', 'resources:\n  a:\n    type: OS::Heat::RandomString\n    depends_on: b\n  b:\n    type: OS::Heat::RandomString\n    depends_on: a\n', /cycle/i),
  hot('a default that breaks its own constraint', 'parameters:\n  n:\n    type: string\n    default: "UPPER"\n    constraints:\n      - allowed_pattern: "[a-z]+"\nresources: {}\n', /pattern/, 'plan'),
  { name: 'hot: a catastrophic allowed_pattern ends at once', files: { 's.yaml': `${HOT_HEAD}parameters:\n  n:\n    type: string\n    constraints:\n      - allowed_pattern: "(a+)+$"\n        description: only a letters\nresources: {}\n` }, args: ['plan', 's.yaml', '-var', `n=${'a'.repeat(40)}!`], says: /only a letters|pattern/ },
  hot('a parameter of an unknown type', 'parameters:\n  n:\n    type: strang\nresources: {}\n', /strang/),
  hot('intrinsics nested 3,000 deep', `resources: {}\noutputs:\n  o:\n    value: ${'{list_join: [",", ['.repeat(3000)}${']]}'.repeat(3000)}\n`, /nests deeper than 200 levels/),
  // CloudFormation-format JSON
  json('a JSON syntax error', '{"Resources": {"a": }}\n', /s\.json:1:\d+/),
  json('an unsupported AWSTemplateFormatVersion', '{"AWSTemplateFormatVersion": "2011-01-01", "Resources": {}}\n', /2011-01-01 is not supported/),
  json('a Ref to nothing', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"pw": {"Type": "OS::Heat::RandomString"}}, "Outputs": {"o": {"Value": {"Ref": "Nope"}}}}\n', /Nope/),
  json('arrays nested 20,000 deep', `{"Resources": ${'['.repeat(20000)}${']'.repeat(20000)}}`, /nests deeper than 200 levels[\s\S]*s\.json:1:\d+/),
  json('invalid UTF-8', Buffer.concat([Buffer.from('{"Description": "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), /not valid UTF-8[\s\S]*s\.json:1:18/),
  { name: 'json: an unclosed list in a .template file', files: { 's.template': '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"a": [}}\n' }, args: ['validate', 's.template'], says: /s\.template:1:\d+/ },
]);
