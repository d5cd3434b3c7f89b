import type { SourceSpan } from '../common/index.js';
import { arrayValue, type ColumnarValue, type SqlType } from '../types/index.js';
import type { EvalInput, PhysicalExpr } from './evaluate.js';
import {
  decimalArithExact, exactOperand, exactToColumn, type DecimalArithTypes, type ExactNumbers, type ExactOperand,
} from './kernels/decimal-arith.js';

/**
 * Decimal + - * whose operands may themselves be decimal + - *: the inner results stay exact doubles and are
 * never written as Decimal128 words (q01's sum(price * (1 - discount) * (1 + tax)) writes one column, not
 * four). Only the outermost node writes words. Whenever a node cannot prove its result exact, it evaluates the
 * ordinary way (`general`), children included, with the BigInt path where needed.
 */
export function decimalArithExpr(
  op: '+' | '-' | '*', l: PhysicalExpr, r: PhysicalExpr, types: DecimalArithTypes, refs: readonly number[],
  span: SourceSpan | undefined, general: (input: EvalInput) => ColumnarValue,
): PhysicalExpr {
  /**
   * Scratch for this node's result while it is an operand of an enclosing decimal + - * node: that node reads it
   * within its own synchronous evaluation, before this node is evaluated again, so one array serves every batch.
   * A result that leaves the tree (evaluate, or evaluateExact without `transient`) gets a fresh array.
   */
  let scratch: Float64Array | undefined;
  const exact = (input: EvalInput, reuse: boolean): ExactNumbers | null => {
    const a = operand(l, types.left, input);
    if (a === null) return null;
    const b = operand(r, types.right, input);
    if (b === null) return null;
    const n = input.rows;
    let out: Float64Array;
    if (reuse) {
      if (scratch === undefined || scratch.length < n) scratch = new Float64Array(n);
      out = scratch.length === n ? scratch : scratch.subarray(0, n);
    } else out = new Float64Array(n);
    return decimalArithExact(op, a, b, types, n, span, out);
  };
  return {
    type: types.result,
    refs,
    evaluateExact: (input, transient) => exact(input, transient === true),
    evaluate(input) {
      const x = exact(input, false);
      return x === null ? general(input) : arrayValue(exactToColumn(types.result, input.rows, x));
    },
  };
}

function operand(e: PhysicalExpr, type: SqlType, input: EvalInput): ExactOperand | null {
  if (e.evaluateExact !== undefined) {
    const x = e.evaluateExact(input, true);
    return x === null ? null : { kind: 'array', view: x.view, maxAbs: x.maxAbs, valid: x.valid };
  }
  return exactOperand(e.evaluate(input), type);
}
