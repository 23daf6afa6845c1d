import test from 'ava';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadYamlStack } from '../planner/load/yaml/load.js';
import { resolveStack } from '../planner/resolve/resolve.js';
import { corpusFileReader } from './support/heat-corpus.js';
import { conformanceDir, filesUnder } from './support/paths.js';
import { describe, errorsOf } from './support/validate.js';

// Every Heat template in the corpus either validates, or — when it uses resource types dbstack
// does not manage — fails with exactly one message per such type, naming it, its location and
// the supported list. No template may fail for any other reason. (Files a template reads with
// get_file but the corpus lacks are supplied as stand-ins; hot-conformance covers their absence.)
const heatDir = `${conformanceDir}/heat`;
const templates = filesUnder(heatDir, ['.yaml', '.yml', '.json', '.template']);
const counts = { valid: 0, unsupported: 0 };

function validateTemplate(file: string) {
  const readFile = corpusFileReader(relative(heatDir, file));
  const loaded = loadYamlStack(readFileSync(file, 'utf8'), file, readFile ? { readFile } : undefined);
  if (errorsOf(loaded.diagnostics).length) return loaded.diagnostics;
  return [...loaded.diagnostics, ...resolveStack(loaded.document, { baseDir: heatDir }).diagnostics];
}

test.before(() => {
  if (templates.length === 0) throw new Error(`no Heat templates found under ${heatDir}`);
});

for (const file of templates) {
  test.serial(`heat: ${relative(conformanceDir, file)}`, (t) => {
    const errors = errorsOf(validateTemplate(file));
    const unsupported = errors.filter((d) => d.summary.startsWith('unsupported resource type'));
    const other = errors.filter((d) => !unsupported.includes(d));
    t.deepEqual(other, [], `unexpected errors:\n${describe(other)}`);
    const types = unsupported.map((d) => /`([^`]+)`/.exec(d.summary)![1]);
    t.is(new Set(types).size, types.length, 'one message per unsupported type');
    for (const d of unsupported) {
      t.truthy(d.range, 'located');
      t.is(d.range!.file, file);
      t.regex(d.detail ?? '', /supported types: .*database_instance/);
      t.regex(d.detail ?? '', /OS::Trove::Instance/);
    }
    if (unsupported.length) counts.unsupported++;
    else counts.valid++;
  });
}

test.after.always(() => {
  console.log(`heat conformance: ${templates.length} templates, ${counts.valid} valid, ${counts.unsupported} refused for unsupported types`);
});

test('heat: the Trove templates are among the valid ones', (t) => {
  const trove = templates.filter((f) => /trove/i.test(f) && !/wp_template|cfn_rds/.test(f));
  t.true(trove.length >= 8);
  for (const f of trove) t.deepEqual(errorsOf(validateTemplate(f)).map((d) => d.summary), [], f);
});
