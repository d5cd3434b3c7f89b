import { columnRef, referencedIds, type Expr } from '../expr/index.js';
import { outputOf, type LogicalPlan } from '../plan/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * Column pruning: each node keeps only the columns someone above reads, so scans decode only the needed columns
 * (Parquet column chunks that are never fetched). The root keeps its whole output.
 */
export const pushDownProjection: OptimizerRule = {
  name: 'push_down_projection',
  apply(plan) {
    return prune(plan, new Set(outputOf(plan).map((c) => c.id)));
  },
};

function refsOf(exprs: readonly Expr[], into: Set<number>): Set<number> {
  for (const e of exprs) referencedIds(e, into);
  return into;
}

function prune(p: LogicalPlan, required: ReadonlySet<number>): LogicalPlan {
  switch (p.kind) {
    case 'scan': {
      const need = refsOf(p.filters, new Set(required));
      const columns = p.columns.filter((c) => need.has(c.col.id));
      return columns.length === p.columns.length ? p : { ...p, columns };
    }
    case 'values':
      return p;
    case 'filter': {
      const input = prune(p.input, refsOf([p.predicate], new Set(required)));
      const node = input === p.input ? p : { ...p, input };
      // Columns only the predicate reads end at a projection right above the filter, so that the filter copies
      // just the columns read above it (the physical planner hands the projection's needs to FilterExec).
      const out = outputOf(node);
      const kept = out.filter((c) => required.has(c.id));
      if (kept.length === 0 || kept.length === out.length) return node;
      return { kind: 'project', input: node, items: kept.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) })) };
    }
    case 'project': {
      const items = p.items.filter((i) => required.has(i.col.id));
      let input = prune(p.input, refsOf(items.map((i) => i.expr), new Set()));
      // A projection that only passes columns through (as the filter case adds) is subsumed by this one.
      if (input.kind === 'project' && input.items.every((i) => i.expr.kind === 'column' && i.expr.id === i.col.id)) input = input.input;
      return items.length === p.items.length && input === p.input ? p : { ...p, items, input };
    }
    case 'aggregate': {
      const aggregates = p.aggregates.filter((a) => required.has(a.col.id));
      const need = refsOf(p.groups.map((g) => g.expr), new Set());
      for (const a of aggregates) refsOf([...a.args, ...(a.filter === undefined ? [] : [a.filter]), ...(a.orderBy ?? []).map((k) => k.expr)], need);
      const input = prune(p.input, need);
      return aggregates.length === p.aggregates.length && input === p.input ? p : { ...p, aggregates, input };
    }
    case 'sort': {
      const input = prune(p.input, refsOf(p.keys.map((k) => k.expr), new Set(required)));
      return input === p.input ? p : { ...p, input };
    }
    case 'limit': {
      const input = prune(p.input, required);
      return input === p.input ? p : { ...p, input };
    }
    case 'join': {
      const need = refsOf([...p.equi.flatMap((e) => [e.left, e.right]), ...(p.filter === undefined ? [] : [p.filter])], new Set(required));
      const leftIds = new Set(outputOf(p.left).map((c) => c.id));
      const left = prune(p.left, new Set([...need].filter((i) => leftIds.has(i))));
      const rightIds = new Set(outputOf(p.right).map((c) => c.id));
      const right = prune(p.right, new Set([...need].filter((i) => rightIds.has(i))));
      return left === p.left && right === p.right ? p : { ...p, left, right };
    }
    case 'unnest': {
      // The unnested columns stay (they decide the row count); the input keeps what is read above or unnested.
      const inputIds = new Set(outputOf(p.input).map((c) => c.id));
      const need = refsOf(p.exprs, new Set([...required].filter((i) => inputIds.has(i))));
      const input = prune(p.input, need);
      return input === p.input ? p : { ...p, input };
    }
    case 'window': {
      // A call nobody reads is dropped; a window node with no calls left is dropped altogether.
      const calls = p.calls.filter((c) => required.has(c.col.id));
      if (calls.length === 0) return prune(p.input, required);
      const need = new Set(required);
      refsOf([...p.partitionBy, ...p.orderBy.map((k) => k.expr), ...calls.flatMap((c) => c.args)], need);
      const input = prune(p.input, need);
      return calls.length === p.calls.length && input === p.input ? p : { ...p, calls, input };
    }
    case 'union': {
      const keep = p.output.map((c, i) => (required.has(c.id) ? i : -1)).filter((i) => i >= 0);
      const output = keep.map((i) => p.output[i]!);
      const inputs = p.inputs.map((input) => {
        const cols = outputOf(input);
        const wanted = keep.map((i) => cols[i]!);
        const pruned = prune(input, new Set(wanted.map((c) => c.id)));
        const got = outputOf(pruned);
        // UNION ALL maps columns by position: the input must output exactly the kept columns, in order.
        if (got.length === wanted.length && got.every((c, i) => c.id === wanted[i]!.id)) return pruned;
        return { kind: 'project' as const, input: pruned, items: wanted.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) })) };
      });
      return output.length === p.output.length && inputs.every((x, i) => x === p.inputs[i]) ? p : { ...p, output, inputs };
    }
  }
}
