import { ShoalError, type SourceSpan } from '../common/index.js';
import { columnRef, type Expr } from '../expr/index.js';
import { outputOf, type IdGen, type OutCol } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { BOOLEAN } from '../types/index.js';
import type { Relation } from './binder-env.js';
import type { Binder, CteScope } from './binder.js';
import type { Scope } from './scope.js';

/**
 * A subquery used in an expression. Binding replaces it by a column (`col`) that the planner makes available
 * by joining the subquery's plan to the query's (see apply-subqueries.ts): the scalar's value, or the boolean
 * mark of IN / EXISTS.
 */
export type SubqueryUse =
  | { readonly kind: 'scalar'; readonly rel: Relation; readonly col: OutCol; readonly span: SourceSpan }
  | { readonly kind: 'exists'; readonly rel: Relation; readonly col: OutCol; readonly span: SourceSpan }
  | { readonly kind: 'in'; readonly rel: Relation; readonly operand: Expr; readonly negated: boolean; readonly col: OutCol; readonly span: SourceSpan };

type SubqueryNode = ast.InSubqueryExpr | ast.ExistsExpr | ast.ScalarSubqueryExpr;

function isSubqueryNode(x: { readonly kind?: unknown }): x is SubqueryNode {
  return x.kind === 'in_subquery' || x.kind === 'exists' || x.kind === 'scalar_subquery';
}

/** The subquery nodes in expressions, outermost only (a subquery's own subqueries are its binder's business). */
function findSubqueries(x: unknown, into: SubqueryNode[]): void {
  if (Array.isArray(x)) {
    for (const y of x) findSubqueries(y, into);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const o = x as { readonly kind?: unknown };
  if (isSubqueryNode(o)) {
    into.push(o);
    if (o.kind === 'in_subquery') findSubqueries(o.operand, into);
    return;
  }
  for (const [k, v] of Object.entries(o)) if (k !== 'span') findSubqueries(v, into);
}

/**
 * Binds the subqueries found in `exprs` ahead of the (synchronous) expression binder, each with `scope` as its
 * outer scope. Expression binding then only looks them up.
 */
export async function prebindSubqueries(b: Binder, exprs: readonly unknown[], scope: Scope, ctes: CteScope): Promise<ReadonlyMap<ast.Expr, Relation>> {
  const nodes: SubqueryNode[] = [];
  findSubqueries(exprs, nodes);
  const out = new Map<ast.Expr, Relation>();
  if (nodes.length === 0) return out;
  const child = b.withOuterScope(scope);
  for (const n of nodes) out.set(n, await child.bindQuery(n.query, ctes));
  return out;
}

/** Collects the subqueries an expression uses, standing in for each with a column. */
export class SubqueryCollector {
  readonly uses: SubqueryUse[] = [];

  constructor(private readonly bound: ReadonlyMap<ast.Expr, Relation>, private readonly ids: IdGen) {}

  private relation(node: SubqueryNode): Relation {
    const rel = this.bound.get(node);
    if (rel === undefined) throw new ShoalError('NOT_SUPPORTED', 'A subquery is not allowed here', { span: node.span });
    return rel;
  }

  private singleColumn(rel: Relation, span: SourceSpan): OutCol {
    const cols = outputOf(rel.plan);
    if (cols.length !== 1) {
      throw new ShoalError('NOT_SUPPORTED', `Multiple columns returned by subquery are not yet supported. Found ${cols.length}`, { span, hint: 'A subquery used as a value or with IN must return one column' });
    }
    return cols[0]!;
  }

  scalar(node: ast.ScalarSubqueryExpr): Expr {
    const rel = this.relation(node);
    const c = this.singleColumn(rel, node.span);
    const col = this.ids.col(c.name, c.type);
    this.uses.push({ kind: 'scalar', rel, col, span: node.span });
    return { ...columnRef(col.id, col.name, col.type), span: node.span };
  }

  exists(node: ast.ExistsExpr): Expr {
    const col = this.ids.col('exists', BOOLEAN);
    this.uses.push({ kind: 'exists', rel: this.relation(node), col, span: node.span });
    const mark: Expr = { ...columnRef(col.id, col.name, col.type), span: node.span };
    return node.negated ? { kind: 'not', operand: mark, type: BOOLEAN, span: node.span } : mark;
  }

  /** `operand` is already bound in the outer scope. */
  in(node: ast.InSubqueryExpr, operand: Expr): Expr {
    const rel = this.relation(node);
    this.singleColumn(rel, node.query.span);
    const col = this.ids.col('in', BOOLEAN);
    this.uses.push({ kind: 'in', rel, operand, negated: node.negated, col, span: node.span });
    const mark: Expr = { ...columnRef(col.id, col.name, col.type), span: node.span };
    return node.negated ? { kind: 'not', operand: mark, type: BOOLEAN, span: node.span } : mark;
  }

  /** The ids standing for subquery results (allowed over an aggregation's output). */
  resultIds(): Set<number> {
    return new Set(this.uses.map((u) => u.col.id));
  }
}
