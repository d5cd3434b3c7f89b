/**
 * Splitting an aggregation into a partial step (on each worker, over its splits) and a final step (on the main
 * thread, over the workers' partial rows), as Trino's partial/final aggregation does. Both threads derive the
 * split from the same logical AggregateNode, so they agree on the partial columns without exchanging them.
 *
 *   sum(x)            partial sum(x)                      final sum(partial)
 *   count(x), count(*), count_if(c)
 *                     partial count…                      final sum(partial)   (every final group has a partial row)
 *   min(x), max(x), bool_and(c), bool_or(c), every(c)
 *                     the same function                   the same function
 *   avg(x)            partial sum(x) and count(x)         final avg-merge (avg-merge.ts)
 *                     (integers and doubles summed as double, as avg does)
 *
 * Not split (the aggregation then runs on the main thread over the gathered rows): DISTINCT, ordered aggregates,
 * grouping sets, real (its sums round to real at each step), and every other function.
 */
import { internalError } from '../common/index.js';
import { columnRef, type Expr } from '../expr/index.js';
import { builtinFunctions, type AggregateFunction, type ResolvedAggregate } from '../functions/index.js';
import type { AggregateNode, OutCol } from '../plan/index.js';
import { BIGINT, DOUBLE, isIntegerKind, type SqlType } from '../types/index.js';
import { avgMerge } from './avg-merge.js';

export interface PartialCall {
  readonly resolved: ResolvedAggregate;
  readonly args: readonly Expr[];
  readonly star: boolean;
  readonly filter?: Expr | undefined;
  readonly text: string;
}

export interface FinalCall {
  readonly resolved: ResolvedAggregate;
  /** Positions in the partial output. */
  readonly inputs: readonly number[];
  readonly text: string;
}

export interface SplitAggregate {
  /** The partial step's output: the group columns (the aggregate's own ids), then one column per partial call. */
  readonly partialOutput: readonly OutCol[];
  readonly partials: readonly PartialCall[];
  readonly finals: readonly FinalCall[];
}

let registry: ReturnType<typeof builtinFunctions> | undefined;
function aggregateFn(name: string): AggregateFunction {
  registry ??= builtinFunctions();
  const f = registry.lookup(name);
  if (f?.kind !== 'aggregate') throw internalError(`the aggregate ${name} is not registered`);
  return f;
}

function resolve(fn: AggregateFunction, types: readonly SqlType[], star = false): ResolvedAggregate | undefined {
  return fn.resolve(types, { star, distinct: false });
}

/** The partial/final split of an aggregation, or undefined when some call cannot be split. */
export function splitAggregate(plan: AggregateNode): SplitAggregate | undefined {
  if (plan.groupingSets !== undefined) return undefined;
  const partials: PartialCall[] = [];
  const finals: FinalCall[] = [];
  const partialCols: OutCol[] = [];
  const addPartial = (p: PartialCall): number => {
    partials.push(p);
    // Ids of partial columns are negative: they never meet the plan's own (positive) ids.
    partialCols.push({ id: -partials.length, name: `partial_${partials.length}`, type: p.resolved.returnType });
    return plan.groups.length + partials.length - 1;
  };
  for (const a of plan.aggregates) {
    if (a.distinct || a.orderBy !== undefined) return undefined;
    const name = a.fn.name;
    const argTypes = a.args.map((x) => x.type);
    const text = `${name}(${a.star ? '*' : a.args.map((x) => (x.kind === 'column' ? x.name : '…')).join(', ')})`;
    const same = { args: a.args, star: a.star, filter: a.filter, text };
    switch (name) {
      case 'sum': {
        if (argTypes[0]?.kind === 'real') return undefined;
        const at = addPartial({ resolved: a.resolved, ...same });
        const final = resolve(a.fn, [a.resolved.returnType]);
        if (final === undefined) return undefined;
        finals.push({ resolved: final, inputs: [at], text });
        break;
      }
      case 'count':
      case 'count_if': {
        const at = addPartial({ resolved: a.resolved, ...same });
        const final = resolve(aggregateFn('sum'), [BIGINT]);
        if (final === undefined) return undefined;
        finals.push({ resolved: final, inputs: [at], text });
        break;
      }
      case 'min':
      case 'max':
      case 'bool_and':
      case 'bool_or':
      case 'every': {
        if (a.args.length !== 1) return undefined;
        const at = addPartial({ resolved: a.resolved, ...same });
        finals.push({ resolved: a.resolved, inputs: [at], text });
        break;
      }
      case 'avg': {
        const t = argTypes[0];
        if (t === undefined || a.args.length !== 1) return undefined;
        let sumArg: Expr = a.args[0]!;
        if (isIntegerKind(t.kind)) sumArg = { kind: 'cast', operand: sumArg, try: false, type: DOUBLE };
        else if (t.kind !== 'double' && t.kind !== 'decimal') return undefined;
        const partialSum = resolve(aggregateFn('sum'), [sumArg.type]);
        const partialCount = resolve(aggregateFn('count'), [t]);
        if (partialSum === undefined || partialCount === undefined) return undefined;
        const s = addPartial({ resolved: partialSum, args: [sumArg], star: false, filter: a.filter, text: `sum(${text})` });
        const c = addPartial({ resolved: partialCount, args: a.args, star: false, filter: a.filter, text: `count(${text})` });
        finals.push({ resolved: avgMerge(partialSum.returnType, a.resolved.returnType), inputs: [s, c], text });
        break;
      }
      default:
        return undefined;
    }
  }
  return { partialOutput: [...plan.groups.map((g) => g.col), ...partialCols], partials, finals };
}

/** Column references to the partial output, for compiling the final step's inputs. */
export function partialColumn(s: SplitAggregate, position: number): Expr {
  const c = s.partialOutput[position]!;
  return columnRef(c.id, c.name, c.type);
}
