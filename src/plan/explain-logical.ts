import { assertNever } from '../common/index.js';
import { exprToString, type Expr } from '../expr/index.js';
import type { FrameBound, LogicalPlan, SortKey, WindowCall } from './logical-plan.js';
import { inputsOf } from './plan-output.js';

/** One line per node, children indented: the logical part of EXPLAIN. */
export function explainLogical(p: LogicalPlan, indent = 0): string {
  const pad = '  '.repeat(indent);
  const line = `${pad}${describeNode(p)}`;
  return [line, ...inputsOf(p).map((c) => explainLogical(c, indent + 1))].join('\n');
}

export function describeNode(p: LogicalPlan): string {
  switch (p.kind) {
    case 'scan': {
      const filters = p.filters.length === 0 ? '' : ` filters=[${p.filters.map((f) => exprToString(f)).join(' AND ')}]`;
      const limit = p.limit === undefined ? '' : ` limit=${p.limit}`;
      return `Scan ${p.table.name} columns=[${p.columns.map((c) => c.col.name).join(', ')}]${filters}${limit}`;
    }
    case 'values': return `Values rows=${p.rows.length} columns=[${p.output.map((c) => c.name).join(', ')}]`;
    case 'filter': return `Filter ${exprToString(p.predicate)}`;
    case 'project': return `Project [${p.items.map((i) => (i.expr.kind === 'column' && i.expr.name === i.col.name ? i.col.name : `${i.col.name} := ${exprToString(i.expr)}`)).join(', ')}]`;
    case 'aggregate': {
      const groups = p.groups.map((g) => exprToString(g.expr)).join(', ');
      const aggs = p.aggregates.map((a) => {
        const order = a.orderBy === undefined ? '' : ` ORDER BY ${a.orderBy.map((k) => `${exprToString(k.expr)}${k.descending ? ' DESC' : ''}`).join(', ')}`;
        return `${a.col.name} := ${a.fn.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map((x) => exprToString(x)).join(', ')}${order})${a.filter === undefined ? '' : ` FILTER (WHERE ${exprToString(a.filter)})`}`;
      }).join(', ');
      const sets = p.groupingSets === undefined ? '' : ` sets=[${p.groupingSets.sets.map((s) => `(${s.map((i) => exprToString(p.groups[i]!.expr)).join(', ')})`).join(', ')}]`;
      return `Aggregate groups=[${groups}]${sets} aggregates=[${aggs}]`;
    }
    case 'sort': return `Sort [${p.keys.map((k) => `${exprToString(k.expr)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}]${p.fetch === undefined ? '' : ` fetch=${p.fetch}`}`;
    case 'limit': return `Limit${p.offset > 0 ? ` offset=${p.offset}` : ''}${p.fetch === undefined ? '' : ` fetch=${p.fetch}`}`;
    case 'join': {
      const on = p.equi.map((e) => `${exprToString(e.left)} = ${exprToString(e.right)}`);
      if (p.filter !== undefined) on.push(exprToString(p.filter));
      const extra = [p.mark === undefined ? '' : `mark=${p.mark.name}`, p.nullAware === true ? 'null-aware' : '', p.singleMatch === true ? 'single match' : ''].filter((x) => x !== '');
      const name = p.joinType === 'cross' ? 'CrossJoin' : `${p.equi.length === 0 ? 'NestedLoopJoin' : 'HashJoin'} ${p.joinType.toUpperCase()}`;
      return `${name}${on.length === 0 ? '' : ` on [${on.join(' AND ')}]`}${extra.length === 0 ? '' : ` (${extra.join(', ')})`}`;
    }
    case 'union': return `UnionAll columns=[${p.output.map((c) => c.name).join(', ')}]`;
    case 'unnest': return `Unnest [${p.exprs.map((e) => exprToString(e)).join(', ')}] columns=[${p.columns.map((c) => c.name).join(', ')}]${p.ordinality === undefined ? '' : ` ordinality=${p.ordinality.name}`}${p.outer === true ? ' outer' : ''}`;
    case 'window': return describeWindow(p.partitionBy, p.orderBy, p.calls);
    default: return assertNever(p, 'plan node');
  }
}

function boundText(b: FrameBound): string {
  switch (b.kind) {
    case 'unbounded_preceding': return 'UNBOUNDED PRECEDING';
    case 'preceding': return `${b.text} PRECEDING`;
    case 'current_row': return 'CURRENT ROW';
    case 'following': return `${b.text} FOLLOWING`;
    case 'unbounded_following': return 'UNBOUNDED FOLLOWING';
    default: return assertNever(b, 'frame bound');
  }
}

/** `rank()`, `sum(x) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW`: one window call for EXPLAIN. */
export function describeWindowCall(c: WindowCall): string {
  const f = c.function;
  const args = f.kind === 'aggregate' && f.star ? '*' : c.args.map((a) => exprToString(a)).join(', ');
  const nulls = c.ignoreNulls ? ' IGNORE NULLS' : '';
  const frame = f.kind === 'aggregate' || FRAMED.has(f.fn.name) ? ` ${c.frame.unit.toUpperCase()} BETWEEN ${boundText(c.frame.start)} AND ${boundText(c.frame.end)}` : '';
  return `${c.col.name} := ${f.fn.name}(${args})${nulls}${frame}`;
}

/** Window functions whose result depends on the frame (the others ignore it, so EXPLAIN does not show it). */
const FRAMED: ReadonlySet<string> = new Set(['first_value', 'last_value', 'nth_value']);

export function describeWindow(partitionBy: readonly Expr[], orderBy: readonly SortKey[], calls: readonly WindowCall[]): string {
  const part = partitionBy.length === 0 ? '' : ` partition=[${partitionBy.map((e) => exprToString(e)).join(', ')}]`;
  const order = orderBy.length === 0 ? '' : ` order=[${orderBy.map((k) => `${exprToString(k.expr)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}]`;
  return `Window${part}${order} functions=[${calls.map(describeWindowCall).join(', ')}]`;
}
