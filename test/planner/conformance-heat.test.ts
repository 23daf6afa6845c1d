import test from 'ava';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadYamlStack } from '../../planner/load/yaml/load.js';
import { resolveStack } from '../../planner/resolve/resolve.js';
import { corpusFileReader } from '../support/heat-corpus.js';
import { conformanceDir, filesUnder } from '../support/paths.js';
import { describe, errorsOf } from '../support/validate.js';
import { checkSupport } from '../../planner/plan/support-check.js';
import { capabilitiesOf } from '../../providers/capabilities.js';
import type { Diagnostic } from '../../core/diagnostics.js';

// Every Heat template in the corpus either validates, or — when it uses resource types dbstack
// does not manage — fails with exactly one message per such type, naming it, its location and
// the supported list. No template may fail for any other reason. (Files a template reads with
// get_file but the corpus lacks are supplied as stand-ins; hot-conformance covers their absence.)
const heatDir = `${conformanceDir}/heat`;
const templates = filesUnder(heatDir, ['.yaml', '.yml', '.json', '.template']);
const counts = { valid: 0, unsupported: 0, refusedByOpenStack: 0 };
const openstack = capabilitiesOf('openstack')!;

/** What `validate` says: load + resolve, then (when that is clean) the OpenStack provider's capability check. */
function checkTemplate(file: string): { resolve: Diagnostic[]; provider: Diagnostic[] } {
  const readFile = corpusFileReader(relative(heatDir, file));
  const loaded = loadYamlStack(readFileSync(file, 'utf8'), file, readFile ? { readFile } : undefined);
  if (errorsOf(loaded.diagnostics).length) return { resolve: loaded.diagnostics, provider: [] };
  const config = resolveStack(loaded.document, { baseDir: heatDir });
  const resolved = [...loaded.diagnostics, ...config.diagnostics];
  return { resolve: resolved, provider: errorsOf(resolved).length ? [] : checkSupport(config, openstack) };
}

const validateTemplate = (file: string) => checkTemplate(file).resolve;

/** A provider refusal must name what is refused, at its place in the template, and say what to do. */
const PROVIDER_REFUSAL = /^(`[^`]+`( \([^)]+\))? is not supported by the openstack provider yet|`[^`]+` has no effect on \w+|deletion_policy \w+ is not supported by the openstack provider yet)$/;

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

  test.serial(`heat on openstack: ${relative(conformanceDir, file)}`, (t) => {
    const { provider } = checkTemplate(file);
    for (const d of provider) {
      t.regex(d.summary, PROVIDER_REFUSAL);
      t.is(d.range?.file, file, d.summary);
      t.regex(d.detail ?? '', /Remove|Use Retain/, d.summary);
    }
    if (provider.length) counts.refusedByOpenStack++;
    else t.pass();
  });
}

test.after.always(() => {
  console.log(`heat conformance: ${templates.length} templates, ${counts.valid} valid, ${counts.unsupported} refused for unsupported types; ${counts.refusedByOpenStack} valid ones refused by the OpenStack provider for features it lacks`);
});

test('heat: the Trove templates are among the valid ones', (t) => {
  const trove = templates.filter((f) => /trove/i.test(f) && !/wp_template|cfn_rds/.test(f));
  t.true(trove.length >= 8);
  for (const f of trove) t.deepEqual(errorsOf(validateTemplate(f)).map((d) => d.summary), [], f);
});

test('heat: on OpenStack, the Trove templates that replicate or cluster are refused by name, the others are accepted', (t) => {
  const trove = templates.filter((f) => /trove/i.test(f) && !/wp_template|cfn_rds/.test(f));
  const refused = new Map(trove.map((f) => [relative(heatDir, f), checkTemplate(f).provider.map((d) => `${d.range!.line}: ${d.summary}`)]));
  t.deepEqual(refused.get('openstack-heat-tests/trove_instance_with_replication.yaml'), [
    '11: `replica_of` is not supported by the openstack provider yet',
    '12: `replica_count` is not supported by the openstack provider yet',
  ]);
  t.regex(refused.get('openstack-heat-tests/trove_cluster_with_networks.yaml')!.join('\n'), /`OS::Trove::Cluster` \(database_cluster\) is not supported by the openstack provider yet/);
  t.true([...refused.values()].filter((r) => r.length === 0).length >= 3, JSON.stringify([...refused], null, 1));
});
