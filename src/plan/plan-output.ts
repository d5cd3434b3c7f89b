import { assertNever } from '../common/index.js';
import type { LogicalPlan, OutCol } from './logical-plan.js';

/** The columns a node produces, in order. */
export function outputOf(p: LogicalPlan): readonly OutCol[] {
  switch (p.kind) {
    case 'scan': return p.columns.map((c) => c.col);
    case 'values': return p.output;
    case 'filter':
    case 'sort':
    case 'limit':
      return outputOf(p.input);
    case 'project': return p.items.map((i) => i.col);
    case 'aggregate': return [...p.groups.map((g) => g.col), ...(p.groupingSets === undefined ? [] : [p.groupingSets.idCol]), ...p.aggregates.map((a) => a.col)];
    case 'join': return p.joinType === 'mark' ? [...outputOf(p.left), p.mark!] : [...outputOf(p.left), ...outputOf(p.right)];
    case 'union': return p.output;
    case 'unnest': return [...outputOf(p.input), ...p.columns, ...(p.ordinality === undefined ? [] : [p.ordinality])];
    case 'window': return [...outputOf(p.input), ...p.calls.map((c) => c.col)];
    default: return assertNever(p, 'plan node');
  }
}

export function inputsOf(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case 'scan':
    case 'values':
      return [];
    case 'filter':
    case 'sort':
    case 'limit':
    case 'project':
    case 'aggregate':
    case 'unnest':
    case 'window':
      return [p.input];
    case 'join': return [p.left, p.right];
    case 'union': return p.inputs;
    default: return assertNever(p, 'plan node');
  }
}

/** Same node with new inputs (in inputsOf order); returns `p` when the inputs are unchanged. */
export function withInputs(p: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  const old = inputsOf(p);
  if (old.length === inputs.length && old.every((x, i) => x === inputs[i])) return p;
  switch (p.kind) {
    case 'scan':
    case 'values':
      return p;
    case 'filter':
    case 'sort':
    case 'limit':
    case 'project':
    case 'aggregate':
    case 'unnest':
    case 'window':
      return { ...p, input: inputs[0]! };
    case 'join': return { ...p, left: inputs[0]!, right: inputs[1]! };
    case 'union': return { ...p, inputs };
    default: return assertNever(p, 'plan node');
  }
}

/** Hands out column ids unique within one query. */
export class IdGen {
  private next = 1;
  col(name: string, type: OutCol['type']): OutCol {
    return { id: this.next++, name, type };
  }
}
