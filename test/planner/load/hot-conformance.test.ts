import test from 'ava';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadYamlStack } from '../../../planner/load/yaml/load.js';
import type { Language } from '../../../planner/model/document.js';
import { conformanceDir, filesUnder } from '../../support/paths.js';
import { MISSING_FILES } from '../../support/heat-corpus.js';

// Every Heat template of the corpus loads with no error diagnostics — except where it reads a
// file with get_file that the corpus does not carry (the original repositories ship those files
// beside the templates; Heat's client would fail the same way without them). Those templates
// must fail with exactly that error, and load cleanly once the file is provided.
const heatDir = `${conformanceDir}/heat`;
const files = filesUnder(heatDir, ['.yaml', '.yml', '.json', '.template']);
const counts: Record<string, number> = {};


/** The format each file must be detected as (by its content, not its name). */
function expectedLanguage(rel: string): Language {
  if (rel.startsWith('fragments/')) return 'yaml'; // a resources: section cut out of a spec, no version key
  if (/\.cfn\.json$|cfn_|_cfn_/.test(rel)) return 'cfn';
  return 'hot';
}

test.before(() => {
  if (files.length < 30) throw new Error(`expected the Heat corpus under ${heatDir}, found ${files.length} files`);
});

for (const file of files) {
  const rel = relative(heatDir, file);
  test(`heat corpus: ${rel}`, (t) => {
    const text = readFileSync(file, 'utf8');
    const { document, diagnostics } = loadYamlStack(text, file);
    const language = document.files[0]!.language;
    counts[language] = (counts[language] ?? 0) + 1;
    t.is(language, expectedLanguage(rel));
    for (const d of diagnostics) {
      t.truthy(d.range, `every diagnostic is located: ${d.summary}`);
      t.is(d.range!.file, file);
      t.true(d.range!.line >= 1 && d.range!.line <= text.split('\n').length);
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);
    const missing = MISSING_FILES[rel] ?? [];
    t.deepEqual(errors, missing.map((p) => `get_file cannot read "${p}": the file does not exist.`));
    t.true(document.resources.length >= 1, 'every template declares resources');
    for (const r of document.resources) t.truthy(r.sourceType, `${r.name} has its type as written`);
  });
}

test('heat corpus: templates using get_file load cleanly when the files exist', (t) => {
  for (const rel of Object.keys(MISSING_FILES)) {
    const file = `${heatDir}/${rel}`;
    const read: string[] = [];
    const { diagnostics } = loadYamlStack(readFileSync(file, 'utf8'), file, {
      readFile: (p) => {
        read.push(p);
        return '#!/bin/sh\necho hello\n';
      },
    });
    t.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], rel);
    t.is(read.length, MISSING_FILES[rel]!.length);
  }
});

test('heat corpus: the Trove templates map their instances', (t) => {
  const trove = files.filter((f) => /trove/i.test(f));
  t.true(trove.length >= 8);
  let instances = 0;
  for (const f of trove) {
    const { document } = loadYamlStack(readFileSync(f, 'utf8'), f);
    for (const r of document.resources) {
      if (r.sourceType !== 'OS::Trove::Instance') continue;
      instances++;
      t.true(r.body.attributes.some((a) => a.name === 'flavor'), `${f}: ${r.name} has a flavor`);
    }
  }
  t.true(instances >= 8);
});

test.after.always('counts by format', () => {
  const summary = Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`heat corpus: ${files.length} files loaded (${summary})`);
});
