import { ShoalError } from '../common/index.js';
import type { Expr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { BIGINT, typeName, type SqlType } from '../types/index.js';
import { bindExpr, type ExprContext } from './bind-expr.js';
import type { BinderEnv, Relation } from './binder-env.js';
import { Scope, type ScopeField } from './scope.js';

/** Names and types of the columns one unnested expression yields (see UnnestNode). */
function columnsOf(t: SqlType): { name: string | undefined; type: SqlType }[] {
  if (t.kind === 'map') return [{ name: undefined, type: t.key }, { name: undefined, type: t.value }];
  if (t.kind === 'array' && t.element.kind === 'row') return t.element.fields.map((f) => ({ name: f.name, type: f.type }));
  if (t.kind === 'array') return [{ name: undefined, type: t.element }];
  return [];
}

/**
 * `left CROSS JOIN UNNEST(…) [WITH ORDINALITY] [AS t(c, …)]` (or `left, UNNEST(…)`): the expressions are bound in
 * the left side's scope (a lateral reference). A FROM item of its own unnests over one row without columns.
 * `outer` (LEFT JOIN UNNEST … ON true) keeps left rows that unnest to nothing, with NULLs.
 */
export function bindUnnest(env: BinderEnv, left: Relation, item: ast.UnnestRef, outer = false): Relation {
  const ctx: ExprContext = { scope: left.scope, functions: env.functions, evalCtx: env.evalCtx, clause: 'UNNEST' };
  const exprs: Expr[] = item.exprs.map((x) => {
    const e = bindExpr(x, ctx);
    if (e.type.kind !== 'array' && e.type.kind !== 'map') {
      throw new ShoalError('TYPE_MISMATCH', `Cannot unnest type: ${typeName(e.type)}`, { span: x.span, hint: 'UNNEST takes arrays and maps' });
    }
    return e;
  });
  const produced = exprs.flatMap((e) => columnsOf(e.type));
  const aliases = item.alias?.columns;
  const width = produced.length + (item.withOrdinality ? 1 : 0);
  if (aliases !== undefined && aliases.length !== width) {
    throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `UNNEST yields ${width} columns but the alias lists ${aliases.length}`, { span: item.span });
  }
  const name = (i: number, fallback: string | undefined): string => aliases?.[i]?.value ?? fallback ?? `_col${i}`;
  const columns: OutCol[] = produced.map((c, i) => env.ids.col(name(i, c.name), c.type));
  const ordinality = item.withOrdinality ? env.ids.col(name(produced.length, 'ordinality'), BIGINT) : undefined;
  const qualifier = item.alias === undefined ? [] : [item.alias.name.value.toLowerCase()];
  const fields: ScopeField[] = [...columns, ...(ordinality === undefined ? [] : [ordinality])].map((col) => ({ col, name: col.name.toLowerCase(), qualifier }));
  return {
    plan: { kind: 'unnest', input: left.plan, exprs, columns, ordinality, outer },
    scope: left.scope.concat(new Scope(fields)),
  };
}

/** The one-row, no-column relation a standalone UNNEST in FROM unnests over. */
export function singleRow(): Relation {
  return { plan: { kind: 'values', output: [], rows: [[]] }, scope: Scope.empty() };
}
