import test from 'ava';
import { renderString, renderValue } from '../../../planner/expr/render.js';
import { unknown } from '../../../core/value.js';
import { value } from '../../support/expr-builders.js';

test('scalars in HCL literal syntax', (t) => {
  t.is(renderValue(null), 'null');
  t.is(renderValue(true), 'true');
  t.is(renderValue(1e21), '1000000000000000000000');
  t.is(renderValue(0.5), '0.5');
  t.is(renderValue('say "hi"\n${x} %{y} $z'), '"say \\"hi\\"\\n$${x} %%{y} $z"');
  t.is(renderValue(unknown), '(known after apply)');
  t.is(renderString('\u0001\\'), '"\\u0001\\\\"');
});

test('collections: sorted keys, short ones inline, long ones one item per line', (t) => {
  t.is(renderValue(value([])), '[]');
  t.is(renderValue(value({})), '{}');
  t.is(renderValue(value(['a', 1, unknown])), '["a", 1, (known after apply)]');
  t.is(renderValue(value({ port: 5432, host: 'db', 'needs-quote?': true })), '{ host = "db", "needs-quote?" = true, port = 5432 }');
  t.is(
    renderValue(value({ datastore: { type: 'postgresql', version: '15' }, users: [{ name: 'app', databases: ['orders'] }], size: 20 })),
    [
      '{',
      '  datastore = { type = "postgresql", version = "15" }',
      '  size      = 20',
      '  users     = [',
      '    {',
      '      databases = ["orders"]',
      '      name      = "app"',
      '    },',
      '  ]',
      '}',
    ].join('\n'),
  );
  const long = renderValue(value(['x'.repeat(40), 'y'.repeat(40)]));
  t.is(long, `[\n  "${'x'.repeat(40)}",\n  "${'y'.repeat(40)}",\n]`);
});

test('stable output regardless of key insertion order', (t) => {
  t.is(renderValue(value({ b: 1, a: 2 })), renderValue(value({ a: 2, b: 1 })));
});
