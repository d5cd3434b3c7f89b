import { assertNever } from '../common/index.js';
import type { Expr } from '../expr/index.js';
import type { LogicalPlan } from './logical-plan.js';

/** Applies `f` to every expression held by this node (not its inputs); returns `p` when nothing changed. */
export function mapNodeExprs(p: LogicalPlan, f: (e: Expr) => Expr): LogicalPlan {
  const list = (xs: readonly Expr[]): readonly Expr[] => {
    const ys = xs.map(f);
    return ys.every((y, i) => y === xs[i]) ? xs : ys;
  };
  switch (p.kind) {
    case 'scan': {
      const filters = list(p.filters);
      return filters === p.filters ? p : { ...p, filters };
    }
    case 'values': {
      const rows = p.rows.map(list);
      return rows.every((r, i) => r === p.rows[i]) ? p : { ...p, rows };
    }
    case 'filter': {
      const predicate = f(p.predicate);
      return predicate === p.predicate ? p : { ...p, predicate };
    }
    case 'project': {
      const items = p.items.map((it) => {
        const expr = f(it.expr);
        return expr === it.expr ? it : { ...it, expr };
      });
      return items.every((it, i) => it === p.items[i]) ? p : { ...p, items };
    }
    case 'aggregate': {
      const groups = p.groups.map((g) => {
        const expr = f(g.expr);
        return expr === g.expr ? g : { ...g, expr };
      });
      const aggregates = p.aggregates.map((a) => {
        const args = list(a.args);
        const filter = a.filter === undefined ? undefined : f(a.filter);
        const orderBy = a.orderBy?.map((k) => {
          const expr = f(k.expr);
          return expr === k.expr ? k : { ...k, expr };
        });
        const sameOrder = orderBy === undefined || orderBy.every((k, i) => k === a.orderBy![i]);
        return args === a.args && filter === a.filter && sameOrder ? a : { ...a, args, filter, orderBy: sameOrder ? a.orderBy : orderBy };
      });
      return groups.every((g, i) => g === p.groups[i]) && aggregates.every((a, i) => a === p.aggregates[i]) ? p : { ...p, groups, aggregates };
    }
    case 'sort': {
      const keys = p.keys.map((k) => {
        const expr = f(k.expr);
        return expr === k.expr ? k : { ...k, expr };
      });
      return keys.every((k, i) => k === p.keys[i]) ? p : { ...p, keys };
    }
    case 'window': {
      const partitionBy = list(p.partitionBy);
      const orderBy = p.orderBy.map((k) => {
        const expr = f(k.expr);
        return expr === k.expr ? k : { ...k, expr };
      });
      const calls = p.calls.map((c) => {
        const args = list(c.args);
        return args === c.args ? c : { ...c, args };
      });
      const same = partitionBy === p.partitionBy && orderBy.every((k, i) => k === p.orderBy[i]) && calls.every((c, i) => c === p.calls[i]);
      return same ? p : { ...p, partitionBy, orderBy, calls };
    }
    case 'limit':
    case 'union':
      return p;
    case 'unnest': {
      const exprs = list(p.exprs);
      return exprs === p.exprs ? p : { ...p, exprs };
    }
    case 'join': {
      const equi = p.equi.map((e) => {
        const l = f(e.left), r = f(e.right);
        return l === e.left && r === e.right ? e : { left: l, right: r };
      });
      const filter = p.filter === undefined ? undefined : f(p.filter);
      return equi.every((e, i) => e === p.equi[i]) && filter === p.filter ? p : { ...p, equi, filter };
    }
    default:
      return assertNever(p, 'plan node');
  }
}

/** The expressions held by this node (not its inputs). */
export function nodeExprs(p: LogicalPlan): Expr[] {
  const out: Expr[] = [];
  mapNodeExprs(p, (e) => {
    out.push(e);
    return e;
  });
  return out;
}
