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
  const evaluateExact = (input: EvalInput): ExactNumbers | null => {
    const a = operand(l, types.left, input);
    if (a === null) return null;
    const b = operand(r, types.right, input);
    if (b === null) return null;
    return decimalArithExact(op, a, b, types, input.rows, span);
  };
  return {
    type: types.result,
    refs,
    evaluateExact,
    evaluate(input) {
      const x = evaluateExact(input);
      return x === null ? general(input) : arrayValue(exactToColumn(types.result, input.rows, x));
    },
  };
}

function operand(e: PhysicalExpr, type: SqlType, input: EvalInput): ExactOperand | null {
  if (e.evaluateExact !== undefined) {
    const x = e.evaluateExact(input);
    return x === null ? null : { kind: 'array', view: x.view, maxAbs: x.maxAbs, valid: x.valid };
  }
  return exactOperand(e.evaluate(input), type);
}
