import { inputsOf, withInputs, type LogicalPlan } from '../plan/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * LIMIT n (with OFFSET k) below the operators that preserve row order and count: a Sort keeps only the first
 * k+n rows (top-N), each input of UNION ALL is limited, and a scan without filters stops planning splits once it
 * has enough rows. The Limit itself stays where it was.
 */
export const pushDownLimit: OptimizerRule = {
  name: 'push_down_limit',
  apply(plan) {
    return rewrite(plan);
  },
};

function rewrite(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'limit' && p.fetch !== undefined) {
    const input = limitInput(rewrite(p.input), p.offset + p.fetch);
    return input === p.input ? p : { ...p, input };
  }
  return withInputs(p, inputsOf(p).map(rewrite));
}

function limitInput(p: LogicalPlan, n: number): LogicalPlan {
  switch (p.kind) {
    case 'sort':
      return p.fetch !== undefined && p.fetch <= n ? p : { ...p, fetch: n };
    case 'project': {
      const input = limitInput(p.input, n);
      return input === p.input ? p : { ...p, input };
    }
    case 'scan':
      return p.filters.length > 0 || (p.limit !== undefined && p.limit <= n) ? p : { ...p, limit: n };
    case 'union': {
      const inputs = p.inputs.map((i) => (i.kind === 'limit' && i.offset === 0 && i.fetch !== undefined && i.fetch <= n ? i : ({ kind: 'limit', input: limitInput(i, n), offset: 0, fetch: n } as LogicalPlan)));
      return { ...p, inputs };
    }
    case 'limit':
      return p;
    default:
      return p;
  }
}
