/**
 * Bound, typed expressions. Columns are referenced by symbol id, never by position, so optimizer rules can move
 * expressions between plan nodes without renumbering; the physical planner maps ids to batch positions.
 *
 * Invariants established by the binder: operands of comparisons, arithmetic, IN lists and CASE branches have
 * already been coerced (explicit `cast` nodes) to the types the operation is defined on, so kernels never
 * coerce. `type` on every node is the result type.
 */
import type { SourceSpan } from '../common/index.js';
import type { ResolvedScalar, ScalarFunction } from '../functions/index.js';
import { BOOLEAN, type Scalar, type SqlType } from '../types/index.js';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'is_distinct_from' | 'is_not_distinct_from';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | ColumnRef
  | Literal
  | Compare
  | Arith
  | Negate
  | And
  | Or
  | Not
  | IsNull
  | InList
  | Case
  | Coalesce
  | Cast
  | Like
  | Call
  | Try;

interface Base {
  readonly type: SqlType;
  /** Where the expression came from in the SQL text, for runtime errors (division by zero, bad cast). */
  readonly span?: SourceSpan | undefined;
}

export interface ColumnRef extends Base {
  readonly kind: 'column';
  readonly id: number;
  /** Display name only (EXPLAIN, errors). */
  readonly name: string;
}

export interface Literal extends Base {
  readonly kind: 'literal';
  readonly value: Scalar;
}

export interface Compare extends Base {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** Numeric and temporal arithmetic; operand types fixed by the binder (see planner/arithmetic-types.ts). */
export interface Arith extends Base {
  readonly kind: 'arith';
  readonly op: ArithOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface Negate extends Base {
  readonly kind: 'negate';
  readonly operand: Expr;
}

/** SQL three-valued AND over two or more boolean operands. */
export interface And extends Base {
  readonly kind: 'and';
  readonly args: readonly Expr[];
}

export interface Or extends Base {
  readonly kind: 'or';
  readonly args: readonly Expr[];
}

export interface Not extends Base {
  readonly kind: 'not';
  readonly operand: Expr;
}

export interface IsNull extends Base {
  readonly kind: 'is_null';
  readonly operand: Expr;
  readonly negated: boolean;
}

/** x [NOT] IN (v1, v2, …): the list items have the operand's type. */
export interface InList extends Base {
  readonly kind: 'in_list';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
}

/** Searched CASE (simple CASE is bound to this with equality conditions). Branches are evaluated lazily. */
export interface Case extends Base {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr | undefined;
}

/** COALESCE: later arguments are evaluated only for rows still NULL. */
export interface Coalesce extends Base {
  readonly kind: 'coalesce';
  readonly args: readonly Expr[];
}

export interface Cast extends Base {
  readonly kind: 'cast';
  readonly operand: Expr;
  /** TRY_CAST: NULL where the value does not convert. */
  readonly try: boolean;
}

/** LIKE with a pattern; `escape` is a single character or undefined. */
export interface Like extends Base {
  readonly kind: 'like';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly escape?: string | undefined;
  readonly negated: boolean;
  readonly caseInsensitive: boolean;
}

export interface Call extends Base {
  readonly kind: 'call';
  readonly fn: ScalarFunction;
  readonly resolved: ResolvedScalar;
  readonly args: readonly Expr[];
}

/**
 * try(x): x, except that rows where evaluating x raises one of the errors Trino's try catches (division by zero,
 * invalid cast or function argument, numeric value out of range) are NULL. See TRY_CATCHABLE in evaluate.ts.
 */
export interface Try extends Base {
  readonly kind: 'try';
  readonly operand: Expr;
}

export function columnRef(id: number, name: string, type: SqlType): ColumnRef {
  return { kind: 'column', id, name, type };
}

export function literal(value: Scalar, type: SqlType, span?: SourceSpan): Literal {
  return { kind: 'literal', value, type, span };
}

export function and(args: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.kind === 'and') flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind: 'and', args: flat, type: BOOLEAN };
}

export function or(args: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.kind === 'or') flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind: 'or', args: flat, type: BOOLEAN };
}

/** The conjuncts of a predicate (a AND b AND c → [a, b, c]). */
export function conjuncts(e: Expr): readonly Expr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}
