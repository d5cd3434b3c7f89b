import { ShoalError, assertNever, internalError, type ErrorCode } from '../common/index.js';
import type { EvalContext } from '../functions/index.js';
import {
  BOOLEAN, andBitmaps, broadcastScalar, clearTail, concatColumns, getBit, isNestedKind, makeColumn, newBitmap, scalarAt, setBit,
  takeColumn, validity, arrayValue, scalarValue, type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../types/index.js';
import type { CompareOp, Expr } from './expr.js';
import { referencedIds } from './expr-walk.js';
import { arithmetic } from './kernels/arith-kernel.js';
import { decimalArithExpr } from './decimal-tree.js';
import type { ExactNumbers } from './kernels/decimal-arith.js';
import { andColumns, isNullColumn, notColumn, orColumns } from './kernels/boolean-kernel.js';
import { canFail } from './can-fail.js';
import { castColumn } from './kernels/cast-kernel.js';
import { compareColumnScalar, compareColumns, compareScalars, flipOp, type PlainCompareOp } from './kernels/compare-kernel.js';
import { inListColumn } from './kernels/in-list-kernel.js';
import { compareNestedValues } from './kernels/nested-compare.js';
import { compileLike, likeColumn, type LikeMatcher } from './kernels/like-kernel.js';

/**
 * The columns an expression is evaluated over: position i holds the batch's column i, or undefined where the
 * expression does not read it (sub-batches for lazy evaluation copy only what is read).
 */
export interface EvalInput {
  readonly columns: readonly (Column | undefined)[];
  readonly rows: number;
}

/** A compiled expression: synchronous over whole batches. */
export interface PhysicalExpr {
  readonly type: SqlType;
  /** Input positions this expression reads. */
  readonly refs: readonly number[];
  evaluate(input: EvalInput): ColumnarValue;
  /**
   * Decimal + - * only: the result as exact doubles without writing a column, or null (then use evaluate).
   * `transient`: the caller is done with the result before it evaluates this expression again, so the view may be
   * scratch the expression reuses; without it the view is the caller's to keep.
   */
  evaluateExact?(input: EvalInput, transient?: boolean): ExactNumbers | null;
}

/** The value as a column of `rows` rows (scalars are broadcast). */
export function materialize(v: ColumnarValue, type: SqlType, rows: number): Column {
  return v.kind === 'array' ? v.column : broadcastScalar(type, v.value, rows);
}

/**
 * Compiles a bound expression against a batch layout (symbol id → column position). CASE, COALESCE, AND and OR
 * evaluate later operands only on the rows that still need them, so `CASE WHEN x <> 0 THEN 1 / x END` never
 * divides by zero and selective predicates skip work.
 */
export function compileExpr(e: Expr, layout: ReadonlyMap<number, number>, ctx: EvalContext): PhysicalExpr {
  const refs = [...referencedIds(e)].map((id) => {
    const pos = layout.get(id);
    if (pos === undefined) throw internalError(`column #${id} is not in the input of ${e.kind}`);
    return pos;
  });
  const c = (x: Expr): PhysicalExpr => compileExpr(x, layout, ctx);
  const make = (evaluate: (input: EvalInput) => ColumnarValue): PhysicalExpr => ({ type: e.type, refs, evaluate });

  switch (e.kind) {
    case 'column': {
      const pos = layout.get(e.id)!;
      return make((input) => {
        const col = input.columns[pos];
        if (col === undefined) throw internalError(`column ${e.name} missing from evaluation input`);
        return arrayValue(col);
      });
    }
    case 'literal': {
      const value = e.value;
      return make(() => scalarValue(value));
    }
    case 'compare': {
      const l = c(e.left), r = c(e.right);
      const type = e.left.type;
      const op = e.op;
      return make((input) => compareValues(op, l.evaluate(input), r.evaluate(input), type, input.rows));
    }
    case 'arith': {
      const l = c(e.left), r = c(e.right);
      const types = { left: e.left.type, right: e.right.type, result: e.type };
      const { op, span } = e;
      const general = (input: EvalInput): ColumnarValue => arithmetic(op, l.evaluate(input), r.evaluate(input), types, input.rows, span);
      if (e.type.kind === 'decimal' && (op === '+' || op === '-' || op === '*')) return decimalArithExpr(op, l, r, types, refs, span, general);
      return make(general);
    }
    case 'negate': {
      const o = c(e.operand);
      const zero = e.type.kind === 'decimal' || e.type.kind === 'bigint' || e.type.kind === 'interval_day_time' ? 0n : 0;
      const types = { left: e.type, right: e.type, result: e.type };
      const span = e.span;
      return make((input) => arithmetic('-', scalarValue(zero), o.evaluate(input), types, input.rows, span));
    }
    case 'not': {
      const o = c(e.operand);
      return make((input) => {
        const v = o.evaluate(input);
        if (v.kind === 'scalar') return scalarValue(v.value === null ? null : !v.value);
        return arrayValue(notColumn(v.column));
      });
    }
    case 'is_null': {
      const o = c(e.operand);
      const negated = e.negated;
      return make((input) => {
        const v = o.evaluate(input);
        if (v.kind === 'scalar') return scalarValue((v.value === null) !== negated);
        return arrayValue(isNullColumn(v.column, negated));
      });
    }
    case 'and':
    case 'or': {
      const args = e.args.map(c);
      // When no operand after the first can fail, whole columns combine bytewise; otherwise later operands run
      // only on the rows still undecided (so `x <> 0 AND 10 / x > 1` never divides by zero).
      if (!e.args.slice(1).some(canFail)) {
        const combine = e.kind === 'and' ? andColumns : orColumns;
        return make((input) => {
          const vals = args.map((a) => a.evaluate(input));
          if (vals.every((v) => v.kind === 'scalar')) {
            const col = combine(vals.map((v) => materialize(v, BOOLEAN, 1)), 1);
            return scalarValue(scalarAt(col, BOOLEAN, 0));
          }
          return arrayValue(combine(vals.map((v) => materialize(v, BOOLEAN, input.rows)), input.rows));
        });
      }
      return compileLogical(e.kind, args, refs);
    }
    case 'in_list': {
      const o = c(e.operand);
      const items = e.list.map((x) => {
        if (x.kind !== 'literal') throw internalError('IN list items must be constants after binding');
        return x.value;
      });
      const { negated } = e;
      const type = e.operand.type;
      return make((input) => {
        const v = o.evaluate(input);
        if (v.kind === 'scalar') {
          const col = inListColumn(materialize(v, type, 1), type, items, negated);
          return scalarValue(scalarAt(col, BOOLEAN, 0));
        }
        return arrayValue(inListColumn(v.column, type, items, negated));
      });
    }
    case 'case':
      return compileCase(e.type, e.whens.map((w) => ({ when: c(w.when), then: c(w.then) })), e.else === undefined ? undefined : c(e.else), refs);
    case 'coalesce':
      return compileCoalesce(e.type, e.args.map(c), refs);
    case 'cast': {
      const o = c(e.operand);
      const from = e.operand.type, to = e.type;
      const { span } = e;
      const tryCast = e.try;
      return make((input) => {
        const v = o.evaluate(input);
        if (v.kind === 'scalar') {
          if (v.value === null) return scalarValue(null);
          const col = castColumn(materialize(v, from, 1), from, to, tryCast, span, ctx.timeZone);
          return scalarValue(scalarAt(col, to, 0));
        }
        return arrayValue(castColumn(v.column, from, to, tryCast, span, ctx.timeZone));
      });
    }
    case 'like': {
      const o = c(e.operand), p = c(e.pattern);
      const { escape, negated, caseInsensitive, span } = e;
      let cached: { pattern: string; matcher: LikeMatcher } | undefined;
      const matcherFor = (pattern: string): LikeMatcher => {
        if (cached?.pattern !== pattern) cached = { pattern, matcher: compileLike(pattern, escape, caseInsensitive, span) };
        return cached.matcher;
      };
      return make((input) => {
        const pv = p.evaluate(input);
        if (pv.kind !== 'scalar') {
          // Per-row patterns: rare; evaluate row by row.
          const col = materialize(o.evaluate(input), e.operand.type, input.rows);
          const out = newBitmap(input.rows);
          const valid = andBitmaps(validity(col), validity(pv.column), input.rows);
          for (let i = 0; i < input.rows; i++) {
            if (valid !== null && !getBit(valid, i)) continue;
            const s = scalarAt(col, e.operand.type, i) as string;
            const pat = scalarAt(pv.column, e.pattern.type, i) as string;
            const one = likeColumn(materialize(scalarValue(s), e.operand.type, 1), matcherFor(pat), negated);
            if (getBit(one.values as Uint8Array, 0)) setBit(out, i);
          }
          return arrayValue(makeColumn(BOOLEAN, input.rows, out, valid));
        }
        if (pv.value === null) return scalarValue(null);
        const m = matcherFor(pv.value as string);
        const v = o.evaluate(input);
        if (v.kind === 'scalar') {
          if (v.value === null) return scalarValue(null);
          const one = likeColumn(materialize(v, e.operand.type, 1), m, negated);
          return scalarValue(getBit(one.values as Uint8Array, 0));
        }
        return arrayValue(likeColumn(v.column, m, negated));
      });
    }
    case 'call': {
      const args = e.args.map(c);
      const kernel = e.resolved.kernel;
      const { span } = e;
      // Kernels raise errors without positions; the call's span points the caret at the offending call.
      return make((input) => {
        const vals = args.map((a) => a.evaluate(input));
        try {
          return kernel(vals, input.rows, ctx);
        } catch (err) {
          throw err instanceof ShoalError ? err.withSpan(span) : err;
        }
      });
    }
    case 'try':
      return compileTry(e.type, c(e.operand), refs);
    default:
      return assertNever(e, 'expression');
  }
}

function compareValues(op: CompareOp, l: ColumnarValue, r: ColumnarValue, type: SqlType, rows: number): ColumnarValue {
  if (isNestedKind(type.kind)) return compareNestedValues(op, l, r, type, rows);
  if (op === 'is_distinct_from' || op === 'is_not_distinct_from') {
    const distinct = op === 'is_distinct_from';
    if (l.kind === 'scalar' && r.kind === 'scalar') {
      if (l.value === null || r.value === null) return scalarValue((l.value === null) !== (r.value === null) === distinct);
      return scalarValue(compareScalars('=', l.value, r.value) !== distinct);
    }
    const a = materialize(l, type, rows), b = materialize(r, type, rows);
    const eq = compareColumns('=', a, b, type);
    const va = validity(a), vb = validity(b);
    const out = newBitmap(rows);
    const eqBits = eq.values as Uint8Array;
    for (let i = 0; i < rows; i++) {
      const na = va !== null && !getBit(va, i), nb = vb !== null && !getBit(vb, i);
      const same = na || nb ? na === nb : getBit(eqBits, i);
      if (same !== distinct) setBit(out, i);
    }
    return arrayValue(makeColumn(BOOLEAN, rows, out, null));
  }
  const pop: PlainCompareOp = op;
  if (l.kind === 'scalar' && r.kind === 'scalar') {
    if (l.value === null || r.value === null) return scalarValue(null);
    return scalarValue(compareScalars(pop, l.value, r.value));
  }
  if (r.kind === 'scalar') {
    if (r.value === null) return scalarValue(null);
    return arrayValue(compareColumnScalar(pop, (l as { column: Column }).column, r.value, type));
  }
  if (l.kind === 'scalar') {
    if (l.value === null) return scalarValue(null);
    return arrayValue(compareColumnScalar(flipOp(pop), r.column, l.value, type));
  }
  return arrayValue(compareColumns(pop, l.column, r.column, type));
}

/** Rows `sel[0..count)` of the input, copying only the columns in `refs`. */
export function selectInput(input: EvalInput, refs: readonly number[], sel: Int32Array, count: number): EvalInput {
  const columns: (Column | undefined)[] = new Array(input.columns.length);
  for (const r of refs) {
    const col = input.columns[r];
    if (col !== undefined) columns[r] = takeColumn(col, sel, count);
  }
  return { columns, rows: count };
}

/** Truth of a boolean value per row: 1 true, 0 false, -1 null. */
function truthAt(v: ColumnarValue, i: number): number {
  if (v.kind === 'scalar') return v.value === null ? -1 : v.value ? 1 : 0;
  const valid = validity(v.column);
  if (valid !== null && !getBit(valid, i)) return -1;
  return getBit(v.column.values as Uint8Array, i) ? 1 : 0;
}

function compileLogical(kind: 'and' | 'or', args: readonly PhysicalExpr[], refs: readonly number[]): PhysicalExpr {
  // For AND a row is decided once false; for OR once true.
  const decided = kind === 'and' ? 0 : 1;
  return {
    type: BOOLEAN,
    refs,
    evaluate(input) {
      const n = input.rows;
      const first = args[0]!.evaluate(input);
      if (args.length === 1) return first;
      if (first.kind === 'scalar' && first.value === (decided === 1)) return first;
      // T and F bits of the running result.
      const t = newBitmap(n), f = newBitmap(n);
      for (let i = 0; i < n; i++) {
        const x = truthAt(first, i);
        if (x === 1) setBit(t, i);
        else if (x === 0) setBit(f, i);
      }
      for (let a = 1; a < args.length; a++) {
        const sel = new Int32Array(n);
        let count = 0;
        const stop = decided === 0 ? f : t;
        for (let i = 0; i < n; i++) if (!getBit(stop, i)) sel[count++] = i;
        if (count === 0) break;
        const arg = args[a]!;
        const v = count === n ? arg.evaluate(input) : arg.evaluate(selectInput(input, arg.refs, sel, count));
        for (let j = 0; j < count; j++) {
          const i = sel[j]!;
          const x = truthAt(v, j);
          if (kind === 'and') {
            if (x === 0) { f[i >>> 3]! |= 1 << (i & 7); t[i >>> 3]! &= ~(1 << (i & 7)); }
            else if (x === -1) t[i >>> 3]! &= ~(1 << (i & 7));
          } else {
            if (x === 1) { t[i >>> 3]! |= 1 << (i & 7); f[i >>> 3]! &= ~(1 << (i & 7)); }
            else if (x === -1) f[i >>> 3]! &= ~(1 << (i & 7));
          }
        }
      }
      const valid = newBitmap(n);
      let allValid = true;
      for (let k = 0; k < valid.length; k++) valid[k] = t[k]! | f[k]!;
      clearTail(valid, n);
      for (let i = 0; i < n && allValid; i++) if (!getBit(valid, i)) allValid = false;
      return arrayValue(makeColumn(BOOLEAN, n, t, allValid ? null : valid));
    },
  };
}

interface Piece {
  readonly sel: Int32Array;
  readonly count: number;
  readonly value: ColumnarValue;
}

/** Builds the full-length result from pieces evaluated on disjoint row subsets; unassigned rows are NULL. */
function assemble(type: SqlType, pieces: readonly Piece[], rows: number): ColumnarValue {
  if (pieces.length === 1 && pieces[0]!.count === rows) {
    const p = pieces[0]!;
    let identity = true;
    for (let j = 0; j < rows && identity; j++) if (p.sel[j] !== j) identity = false;
    if (identity) return p.value;
  }
  if (pieces.length === 0) return scalarValue(null);
  const cols: Column[] = [];
  const gather = new Int32Array(rows).fill(-1);
  let base = 0;
  for (const p of pieces) {
    cols.push(materialize(p.value, type, p.count));
    for (let j = 0; j < p.count; j++) gather[p.sel[j]!] = base + j;
    base += p.count;
  }
  return arrayValue(takeColumn(concatColumns(cols, type), gather, rows));
}

function identitySel(n: number): Int32Array {
  const s = new Int32Array(n);
  for (let i = 0; i < n; i++) s[i] = i;
  return s;
}

function compileCase(type: SqlType, whens: readonly { when: PhysicalExpr; then: PhysicalExpr }[], els: PhysicalExpr | undefined, refs: readonly number[]): PhysicalExpr {
  return {
    type,
    refs,
    evaluate(input) {
      const n = input.rows;
      let sel = identitySel(n);
      let count = n;
      const pieces: Piece[] = [];
      const sub = (p: PhysicalExpr, s: Int32Array, k: number): EvalInput => (k === n ? input : selectInput(input, p.refs, s, k));
      for (const w of whens) {
        if (count === 0) break;
        const cond = w.when.evaluate(sub(w.when, sel, count));
        const matched = new Int32Array(count);
        const rest = new Int32Array(count);
        let m = 0, r = 0;
        for (let j = 0; j < count; j++) {
          if (truthAt(cond, j) === 1) matched[m++] = sel[j]!;
          else rest[r++] = sel[j]!;
        }
        if (m > 0) pieces.push({ sel: matched, count: m, value: w.then.evaluate(sub(w.then, matched, m)) });
        sel = rest;
        count = r;
      }
      if (count > 0 && els !== undefined) pieces.push({ sel, count, value: els.evaluate(sub(els, sel, count)) });
      return assemble(type, pieces, n);
    },
  };
}

function compileCoalesce(type: SqlType, args: readonly PhysicalExpr[], refs: readonly number[]): PhysicalExpr {
  return {
    type,
    refs,
    evaluate(input) {
      const n = input.rows;
      let sel = identitySel(n);
      let count = n;
      const pieces: Piece[] = [];
      for (const a of args) {
        if (count === 0) break;
        const v = a.evaluate(count === n ? input : selectInput(input, a.refs, sel, count));
        if (v.kind === 'scalar') {
          if (v.value !== null) {
            pieces.push({ sel, count, value: v });
            count = 0;
          }
          continue;
        }
        const valid = validity(v.column);
        if (valid === null) {
          pieces.push({ sel, count, value: v });
          count = 0;
          continue;
        }
        const keep = new Int32Array(count), keepLocal = new Int32Array(count), rest = new Int32Array(count);
        let k = 0, r = 0;
        for (let j = 0; j < count; j++) {
          if (getBit(valid, j)) { keep[k] = sel[j]!; keepLocal[k] = j; k++; }
          else rest[r++] = sel[j]!;
        }
        if (k > 0) pieces.push({ sel: keep, count: k, value: arrayValue(k === count ? v.column : takeColumn(v.column, keepLocal, k)) });
        sel = rest;
        count = r;
      }
      return assemble(type, pieces, n);
    },
  };
}

/** The errors try() turns into NULL: the ones that depend on the values of a row (Trino's list). */
const TRY_CATCHABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DIVISION_BY_ZERO', 'INVALID_CAST_ARGUMENT', 'INVALID_FUNCTION_ARGUMENT', 'NUMERIC_VALUE_OUT_OF_RANGE',
]);

function catchable(e: unknown): boolean {
  return e instanceof ShoalError && TRY_CATCHABLE.has(e.code);
}

/**
 * try(x): evaluates x on the whole batch; when that fails with a catchable error, bisects the rows so the failing
 * ones become NULL and the rest keep their values. k failing rows cost O(k log n) evaluations of x.
 */
function compileTry(type: SqlType, inner: PhysicalExpr, refs: readonly number[]): PhysicalExpr {
  return {
    type,
    refs,
    evaluate(input) {
      try {
        return inner.evaluate(input);
      } catch (e) {
        if (!catchable(e)) throw e;
      }
      // A constant fails the same way for every row.
      if (inner.refs.length === 0 || input.rows <= 1) return scalarValue(null);
      const pieces: Piece[] = [];
      const attempt = (sel: Int32Array, count: number): void => {
        try {
          pieces.push({ sel, count, value: inner.evaluate(selectInput(input, inner.refs, sel, count)) });
        } catch (e) {
          if (!catchable(e)) throw e;
          if (count === 1) return;
          const half = count >>> 1;
          attempt(sel.subarray(0, half), half);
          attempt(sel.subarray(half, count), count - half);
        }
      };
      const all = identitySel(input.rows);
      const half = input.rows >>> 1;
      attempt(all.subarray(0, half), half);
      attempt(all.subarray(half), input.rows - half);
      return assemble(type, pieces, input.rows);
    },
  };
}

/** Evaluates a constant expression (no column references) to a Scalar. */
export function evaluateConstant(e: Expr, ctx: EvalContext): Scalar {
  const p = compileExpr(e, new Map(), ctx);
  const v = p.evaluate({ columns: [], rows: 1 });
  return v.kind === 'scalar' ? v.value : scalarAt(v.column, e.type, 0);
}
