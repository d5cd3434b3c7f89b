import { ShoalError, assertNever, type SourceSpan } from '../common/index.js';
import { and, columnRef, conjuncts, referencedIds, type Expr } from '../expr/index.js';
import { inputsOf, nodeExprs, outputOf, withInputs, type IdGen, type LogicalPlan, type ProjectItem } from '../plan/index.js';
import { BOOLEAN } from '../types/index.js';

/** Ids defined by the nodes of a plan (every node's output). */
export function definedIds(p: LogicalPlan, into: Set<number> = new Set()): Set<number> {
  for (const c of outputOf(p)) into.add(c.id);
  for (const i of inputsOf(p)) definedIds(i, into);
  return into;
}

/** Whether some expression in the plan reads a column the plan does not define (an outer reference). */
export function isCorrelated(p: LogicalPlan): boolean {
  const defined = definedIds(p);
  const visit = (n: LogicalPlan): boolean =>
    nodeExprs(n).some((e) => [...referencedIds(e)].some((id) => !defined.has(id))) || inputsOf(n).some(visit);
  return visit(p);
}

export interface Decorrelated {
  /** The subquery's plan without its correlated conjuncts (and grouped by their inner sides, see below). */
  readonly plan: LogicalPlan;
  /** The correlated conjuncts, over `plan`'s output and outer columns: the join condition. */
  readonly preds: readonly Expr[];
  /** A global aggregation became a grouped one: outer rows without a group see no row instead of one. */
  readonly globalAggregate: boolean;
}

/**
 * Pulls the correlated conjuncts of a subquery's filters up to its root, so that the subquery can be planned once
 * and joined to the outer query instead of being run per outer row. Through an aggregation a correlated
 * equality `inner = outer` turns the inner side into a group key (the aggregate is then computed per outer key).
 * Shapes this cannot handle are NOT_SUPPORTED errors at the subquery's span, never wrong answers.
 */
export function decorrelate(plan: LogicalPlan, ids: IdGen, span: SourceSpan): Decorrelated {
  const defined = definedIds(plan);
  const isOuter = (e: Expr): boolean => [...referencedIds(e)].some((id) => !defined.has(id));
  const unsupported = (why: string): ShoalError =>
    new ShoalError('NOT_SUPPORTED', `This correlated subquery is not supported: ${why}`, { span, hint: 'Rewrite it as a join' });
  let globalAggregate = false;

  const pull = (p: LogicalPlan): { plan: LogicalPlan; preds: Expr[] } => {
    switch (p.kind) {
      case 'scan':
      case 'values':
        if (nodeExprs(p).some(isOuter)) throw unsupported('outer references in a table');
        return { plan: p, preds: [] };
      case 'filter': {
        const r = pull(p.input);
        const cs = conjuncts(p.predicate);
        const local = cs.filter((c) => !isOuter(c));
        const corr = cs.filter(isOuter);
        const plan: LogicalPlan = local.length === 0 ? r.plan : { kind: 'filter', input: r.plan, predicate: and(local) };
        return { plan, preds: [...r.preds, ...corr] };
      }
      case 'project': {
        if (p.items.some((i) => isOuter(i.expr))) throw unsupported('outer references in the select list');
        const r = pull(p.input);
        if (r.preds.length === 0) return { plan: withInputs(p, [r.plan]), preds: [] };
        // Pass through the inner columns the correlated conjuncts read.
        const have = new Set(p.items.map((i) => i.col.id));
        const inner = new Map(outputOf(r.plan).map((c) => [c.id, c]));
        const extra: ProjectItem[] = [];
        for (const pr of r.preds) {
          for (const id of referencedIds(pr)) {
            const c = inner.get(id);
            if (c !== undefined && !have.has(id)) {
              have.add(id);
              extra.push({ col: c, expr: columnRef(c.id, c.name, c.type) });
            }
          }
        }
        return { plan: { ...p, input: r.plan, items: [...p.items, ...extra] }, preds: r.preds };
      }
      case 'aggregate': {
        if (nodeExprs(p).some(isOuter)) throw unsupported('outer references in an aggregation');
        const r = pull(p.input);
        if (r.preds.length === 0) return { plan: withInputs(p, [r.plan]), preds: [] };
        if (p.groupingSets !== undefined) throw unsupported('GROUPING SETS over correlated rows');
        const groups = [...p.groups];
        const preds: Expr[] = [];
        for (const pr of r.preds) {
          if (pr.kind !== 'compare' || pr.op !== '=') throw unsupported('below an aggregation, correlated conditions must be equalities');
          const [innerSide, outerSide] = !isOuter(pr.left) ? [pr.left, pr.right] : [pr.right, pr.left];
          if (isOuter(innerSide) || [...referencedIds(outerSide)].some((id) => defined.has(id)) || referencedIds(innerSide).size === 0) {
            throw unsupported('below an aggregation, a correlated equality must compare an inner expression with an outer one');
          }
          const col = ids.col(innerSide.kind === 'column' ? innerSide.name : `_corr${groups.length}`, innerSide.type);
          groups.push({ col, expr: innerSide });
          preds.push({ kind: 'compare', op: '=', left: columnRef(col.id, col.name, col.type), right: outerSide, type: BOOLEAN, span: pr.span });
        }
        if (p.groups.length === 0) globalAggregate = true;
        // Group keys come first in an aggregate's output; the added ones follow the original keys.
        return { plan: { ...p, input: r.plan, groups }, preds };
      }
      case 'sort': {
        const r = pull(p.input);
        if (r.preds.length === 0) return { plan: withInputs(p, [r.plan]), preds: [] };
        if (p.fetch !== undefined) throw unsupported('ORDER BY … LIMIT over correlated rows');
        return r; // the order of a subquery's rows does not matter to its use
      }
      case 'limit': {
        const r = pull(p.input);
        if (r.preds.length > 0) throw unsupported('LIMIT over correlated rows');
        return { plan: withInputs(p, [r.plan]), preds: [] };
      }
      case 'join': {
        const l = pull(p.left), r = pull(p.right);
        const cond = [...p.equi.map((e): Expr => ({ kind: 'compare', op: '=', left: e.left, right: e.right, type: BOOLEAN })), ...(p.filter === undefined ? [] : conjuncts(p.filter))];
        const corr = cond.filter(isOuter);
        const innerJoin = p.joinType === 'inner' || p.joinType === 'cross';
        if (!innerJoin && (corr.length > 0 || r.preds.length > 0 || (p.joinType === 'full' && l.preds.length > 0))) throw unsupported(`outer references inside a ${p.joinType.toUpperCase()} join`);
        if (corr.length === 0) return { plan: withInputs(p, [l.plan, r.plan]), preds: [...l.preds, ...r.preds] };
        const equi = p.equi.filter((e) => !isOuter(e.left) && !isOuter(e.right));
        const rest = (p.filter === undefined ? [] : conjuncts(p.filter)).filter((c) => !isOuter(c));
        const plan: LogicalPlan = {
          ...p, left: l.plan, right: r.plan, equi, filter: rest.length === 0 ? undefined : and(rest),
          joinType: equi.length === 0 && rest.length === 0 ? 'cross' : 'inner',
        };
        return { plan, preds: [...l.preds, ...r.preds, ...corr] };
      }
      case 'union': {
        const rs = p.inputs.map(pull);
        if (rs.some((x) => x.preds.length > 0)) throw unsupported('outer references inside UNION');
        return { plan: withInputs(p, rs.map((x) => x.plan)), preds: [] };
      }
      case 'window': {
        const r = pull(p.input);
        if (r.preds.length > 0 || nodeExprs(p).some(isOuter)) throw unsupported('window functions over correlated rows');
        return { plan: withInputs(p, [r.plan]), preds: [] };
      }
      case 'unnest': {
        if (nodeExprs(p).some(isOuter)) throw unsupported('UNNEST of outer columns');
        // UNNEST keeps its input's columns: conjuncts over them stay valid above it.
        const r = pull(p.input);
        return { plan: withInputs(p, [r.plan]), preds: r.preds };
      }
      default:
        return assertNever(p, 'plan node');
    }
  };
  const r = pull(plan);
  return { plan: r.plan, preds: r.preds, globalAggregate };
}
