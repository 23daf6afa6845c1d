import test from 'ava';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseHcl } from '../../planner/load/hcl/parse.js';
import { conformanceDir, filesUnder } from '../support/paths.js';
import { describe, errorsOf, validateFiles } from '../support/validate.js';
import { checkSupport } from '../../planner/plan/support-check.js';
import { capabilitiesOf } from '../../providers/capabilities.js';

// Every Terraform file parses; those using only the openstack_db_* and networking types that
// dbstack maps validate. Documentation examples are fragments that reference resources
// declared in other examples, so they are validated in fragment mode (undeclared → warning).
const files = filesUnder(`${conformanceDir}/terraform`, ['.tf', '.hcl']);
const mapped = /^openstack_(db_(instance|database|user|configuration)_v1|networking_(network|subnet|secgroup|secgroup_rule)_v2)$/;
const mappedData = /^openstack_(networking_(network|subnet|secgroup)_v2|images_image_v2|compute_flavor_v2)$/;

function usesOnlyMappedTypes(text: string): boolean {
  const types = [...text.matchAll(/^\s*(resource|data)\s+"([^"]+)"/gm)].map((m) => ({ mode: m[1], type: m[2]! }));
  return types.length > 0 && types.every((t) => (t.mode === 'data' ? mappedData : mapped).test(t.type));
}

let validated = 0;
let refusedByOpenStack = 0;
const openstack = capabilitiesOf('openstack')!;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  // A few documentation extracts are shell commands (`terraform import …`), not HCL: they must
  // be refused with a located syntax error, not parsed.
  const shell = /^terraform import /m.test(text);
  test(`terraform ${shell ? 'refuses shell text' : 'parses'}: ${relative(conformanceDir, file)}`, (t) => {
    const { diagnostics } = parseHcl(text, file);
    if (!shell) return t.deepEqual(errorsOf(diagnostics), [], describe(diagnostics));
    const errors = errorsOf(diagnostics);
    t.true(errors.length > 0);
    t.is(errors[0]!.range?.line, text.split('\n').findIndex((l) => l.startsWith('terraform import')) + 1);
  });
  if (usesOnlyMappedTypes(text)) {
    validated++;
    test(`terraform validates: ${relative(conformanceDir, file)}`, (t) => {
      const { diagnostics, config } = validateFiles([file], { allowUndeclared: true });
      t.deepEqual(errorsOf(diagnostics), [], describe(errorsOf(diagnostics)));
      // What the OpenStack provider lacks (configuration groups, some data sources) is refused by name, in the file.
      const refused = config ? checkSupport(config, openstack) : [];
      for (const d of refused) {
        t.regex(d.summary, /^(data source )?`[^`]+`( \([^)]+\))? is not supported by the openstack provider yet$/);
        t.is(d.range?.file, file);
      }
      if (refused.length) refusedByOpenStack++;
    });
  }
}

test('terraform: on OpenStack, the acceptance test instance is refused for its configuration group only', (t) => {
  const file = files.find((f) => f.endsWith('acctest/db_v1__testAccDatabaseV1InstanceBasic.tf'))!;
  const { config } = validateFiles([file], { allowUndeclared: true });
  const refused = checkSupport(config!, openstack).map((d) => `${d.range!.line}: ${d.summary}`).sort();
  t.deepEqual(refused, [
    '39: `openstack_db_configuration_v1` (database_configuration) is not supported by the openstack provider yet',
    '4: `configuration_id` (configuration) is not supported by the openstack provider yet',
  ]);
});

test('terraform corpus is present and the db files are among the validated ones', (t) => {
  t.true(files.length > 50);
  t.true(validated >= 15, `validated ${validated}`);
});

test.after.always(() => {
  console.log(`terraform conformance: ${files.length} files parsed, ${validated} validated as native types, ${refusedByOpenStack} of them refused by the OpenStack provider for what it lacks`);
});
