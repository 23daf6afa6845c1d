import type { Expr } from '../../planner/expr/ast.js';

/**
 * A one-line printer of what the YAML loaders compile to, for assertions: refs as `@root.a[b]`,
 * calls by registry name, HOT/CFN conditionals as `if(c, a, b)` (native YAML's `${}` ones as
 * `(c ? a : b)`), index over a literal mapping (Fn::FindInMap) as `<map>[k]`.
 */
export function showYamlExpr(e: Expr | undefined, conditional: 'if' | 'ternary' = 'if'): string {
  const show = (x: Expr | undefined): string => showYamlExpr(x, conditional);
  if (!e) return '-';
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'tuple':
      return `[${e.items.map(show).join(', ')}]`;
    case 'object':
      return `{${e.items.map((i) => `${show(i.key)}: ${show(i.value)}`).join(', ')}}`;
    case 'ref':
      return `@${e.root}${e.steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : `[${show(s.key)}]`)).join('')}`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'template':
      return `tpl${e.single ? '!' : ''}(${e.parts.map(show).join(' + ')})`;
    case 'conditional':
      return conditional === 'if' ? `if(${show(e.cond)}, ${show(e.then)}, ${show(e.else)})` : `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'index':
      return `${e.target.kind === 'object' ? '<map>' : show(e.target)}[${show(e.key)}]`;
    default:
      return e.kind;
  }
}
