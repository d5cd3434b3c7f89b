import { inputsOf, outputOf, type LogicalPlan } from '../plan/index.js';

/**
 * A canonical text of a subplan such that two subplans with the same text compute the same rows: the plan's
 * structure with column ids renumbered by first appearance (two expansions of one view differ only in their
 * ids), tables by name. Undefined when the subplan may differ between two runs or reads columns it does not
 * define: a non-deterministic call (random()), a correlated reference to an outer column, or anything the text
 * cannot hold (a cycle).
 */
export function subplanKey(plan: LogicalPlan): string | undefined {
  const defined = new Set<number>();
  const walk = (p: LogicalPlan): void => {
    for (const c of outputOf(p)) defined.add(c.id);
    for (const i of inputsOf(p)) walk(i);
  };
  walk(plan);
  const canonical = new Map<number, number>();
  let ok = true;
  const replacer = (key: string, value: unknown): unknown => {
    if (!ok) return undefined;
    if (key === 'table' && typeof value === 'object' && value !== null && 'name' in value) return `table ${String(value.name)}`;
    if (typeof value === 'object' && value !== null) {
      const o = value as Readonly<Record<string, unknown>>;
      if (o['kind'] === 'column' && typeof o['id'] === 'number' && !defined.has(o['id'])) ok = false;
      if (o['deterministic'] === false) ok = false;
    }
    if (key === 'id' && typeof value === 'number') {
      let c = canonical.get(value);
      if (c === undefined) canonical.set(value, (c = canonical.size));
      return c;
    }
    return typeof value === 'bigint' ? `${value}n` : value;
  };
  try {
    const text = JSON.stringify(plan, replacer);
    return ok ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keys of the aggregations that appear more than once in `plan` (a view or CTE referenced twice, TPC-H q15's
 * revenue0): each is computed once and read by every copy (SharedSubplanExec). Only aggregations: they are the
 * expensive subplans worth keeping whole, and their results are small next to their inputs.
 */
export function repeatedAggregates(plan: LogicalPlan): ReadonlyMap<LogicalPlan, string> {
  const seen = new Map<string, LogicalPlan[]>();
  const walk = (p: LogicalPlan): void => {
    if (p.kind === 'aggregate') {
      const k = subplanKey(p);
      if (k !== undefined) {
        const list = seen.get(k) ?? [];
        list.push(p);
        seen.set(k, list);
      }
    }
    for (const i of inputsOf(p)) walk(i);
  };
  walk(plan);
  const out = new Map<LogicalPlan, string>();
  for (const [k, list] of seen) if (list.length > 1) for (const p of list) out.set(p, k);
  return out;
}
