import { assertNever } from '../common/index.js';
import { conjuncts, type Expr } from '../expr/index.js';
import { inputsOf, outputOf, type LogicalPlan } from '../plan/index.js';

/**
 * A subplan's estimated rows, and for each output column an estimate of how many distinct values its source can
 * hold (its "domain"): a column read from a table has at most as many values as the table's unfiltered rows, and
 * a filter does not shrink that bound (a key column keeps its full range of values to match against).
 */
export interface Cardinality {
  readonly rows: number;
  readonly domain: ReadonlyMap<number, number>;
}

/**
 * The share of `rows` rows a filter keeps (there are no column statistics): each conjunct half, an equality one
 * row in min(rows, 20): one row of a 5-row region, a category of a large table (TPC-H's p_type has 150 values,
 * c_mktsegment 5: a guess between them).
 */
export function selectivity(predicates: readonly Expr[], rows: number): number {
  let s = 1;
  for (const p of predicates) for (const c of conjuncts(p)) s *= c.kind === 'compare' && c.op === '=' ? 1 / Math.max(1, Math.min(rows, 20)) : 0.5;
  return s;
}

/**
 * The estimate for a plan from its tables' unfiltered row counts (`tableRows`, by TableProvider.name); undefined
 * when a scanned table has no count.
 */
export function estimateCardinality(p: LogicalPlan, tableRows: ReadonlyMap<string, number>): Cardinality | undefined {
  const inputs: Cardinality[] = [];
  for (const i of inputsOf(p)) {
    const c = estimateCardinality(i, tableRows);
    if (c === undefined) return undefined;
    inputs.push(c);
  }
  const ownDomain = (rows: number, keep: ReadonlyMap<number, number>): Map<number, number> => {
    const d = new Map<number, number>();
    for (const c of outputOf(p)) d.set(c.id, keep.get(c.id) ?? rows);
    return d;
  };
  const merged = new Map<number, number>();
  for (const i of inputs) for (const [k, v] of i.domain) merged.set(k, v);
  const first = inputs[0];
  switch (p.kind) {
    case 'scan': {
      const base = tableRows.get(p.table.name);
      if (base === undefined) return undefined;
      // The scan's filters only prune; the Filter above the scan (kept unless exact) is what counts them.
      return { rows: Math.max(1, base), domain: ownDomain(base, new Map()) };
    }
    case 'values':
      return { rows: Math.max(1, p.rows.length), domain: ownDomain(Math.max(1, p.rows.length), new Map()) };
    case 'filter':
      return { rows: Math.max(1, first!.rows * selectivity([p.predicate], first!.rows)), domain: first!.domain };
    case 'project': {
      const keep = new Map<number, number>();
      for (const it of p.items) {
        const d = it.expr.kind === 'column' ? first!.domain.get(it.expr.id) : undefined;
        if (d !== undefined) keep.set(it.col.id, d);
      }
      return { rows: first!.rows, domain: ownDomain(first!.rows, keep) };
    }
    case 'aggregate': {
      const rows = p.groups.length === 0 ? 1 : Math.max(1, first!.rows * 0.1);
      return { rows, domain: ownDomain(rows, new Map()) };
    }
    case 'join': {
      const [l, r] = [inputs[0]!, inputs[1]!];
      switch (p.joinType) {
        case 'inner': {
          const keys = p.equi.map((e) => [e.left, e.right] as const);
          return { rows: joinRows(l, r, keys, p.filter), domain: ownDomain(l.rows, joinDomain(l, r, keys)) };
        }
        case 'left':
        case 'mark':
          return { rows: l.rows, domain: ownDomain(l.rows, merged) };
        case 'full': return { rows: l.rows + r.rows, domain: ownDomain(l.rows + r.rows, merged) };
        case 'cross': return { rows: l.rows * r.rows, domain: ownDomain(l.rows * r.rows, merged) };
        default: return assertNever(p.joinType, 'join type');
      }
    }
    case 'sort':
    case 'window':
      return { rows: first!.rows, domain: ownDomain(first!.rows, merged) };
    case 'limit': {
      const rows = Math.min(first!.rows, p.fetch ?? Infinity);
      return { rows, domain: ownDomain(rows, merged) };
    }
    case 'union': {
      const rows = inputs.reduce((a, b) => a + b.rows, 0);
      return { rows, domain: ownDomain(rows, new Map()) };
    }
    case 'unnest':
      return { rows: first!.rows * 4, domain: ownDomain(first!.rows * 4, merged) };
    default:
      return assertNever(p, 'plan node');
  }
}

/**
 * The column domains after an inner join: both columns of an equality key hold only the values they share, at
 * most the smaller domain (supplier ⋈ nation: s_nationkey then has nation's 25 values, not supplier's 10k rows).
 */
export function joinDomain(l: Cardinality, r: Cardinality, keys: readonly (readonly [Expr, Expr])[]): Map<number, number> {
  const out = new Map([...l.domain, ...r.domain]);
  for (const [a, b] of keys) {
    if (a.kind !== 'column' || b.kind !== 'column') continue;
    const d = Math.min(l.domain.get(a.id) ?? l.rows, r.domain.get(b.id) ?? r.rows);
    out.set(a.id, d);
    out.set(b.id, d);
  }
  return out;
}

/**
 * Rows of an inner join: |L| × |R| / the larger key domain bound, where a key pair's bound is the smaller of its
 * two domains (a foreign key joined to a primary key: the primary key's table), and half for a residual filter.
 */
export function joinRows(l: Cardinality, r: Cardinality, keys: readonly (readonly [Expr, Expr])[], filter: Expr | undefined): number {
  let divisor = 1;
  for (const [a, b] of keys) {
    const da = a.kind === 'column' ? l.domain.get(a.id) ?? l.rows : l.rows;
    const db = b.kind === 'column' ? r.domain.get(b.id) ?? r.rows : r.rows;
    divisor = Math.max(divisor, Math.min(da, db));
  }
  const rows = (l.rows * r.rows) / divisor;
  return Math.max(1, filter === undefined ? rows : rows * selectivity([filter], rows));
}
