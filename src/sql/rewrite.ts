/**
 * Token-level rewrite of a query (or an expression) into text that node-sql-parser's postgresql grammar parses
 * correctly and quickly. Contracts:
 *  - It never looks inside literals: every string, number, boolean, NULL, typed literal and interval becomes a
 *    literal placeholder; every name an identifier placeholder; every function call a function placeholder
 *    (tables.ts lists the encodings). So quoting is never lost and every name and literal keeps an exact span.
 *  - The query structure (rewrite-query.ts, rewrite-clauses.ts) and the boolean layer (`expr` below) are parsed
 *    here; the grammar only sees predicates inside them (rewrite-predicate.ts), which it gets right.
 *  - Constructs the grammar lacks or gets wrong become `__shoal_*` calls or markers that the adapter maps back.
 *  - Parenthesised expressions become `__shoal_paren(e)` and subqueries in expressions are parsed on their own:
 *    the grammar backtracks on nested parentheses (7.8 s at depth 20); this keeps every parse linear.
 *  - Each output token remembers the script region it stands for, so positions map back (RewrittenText).
 */
import { ShoalError, type SourceSpan } from '../common/index.js';
import { emitPredicate } from './rewrite-predicate.js';
import { emitQuery } from './rewrite-query.js';
import { typeText } from './rewrite-literals.js';
import { hintFor } from './hints.js';
import { nearMessage, syntaxError } from './syntax-error.js';
import { emptyTables, LIMIT_BASE, MAX_PLACEHOLDERS, RewrittenText, TYPE_BASE, type IdentEntry, type MetaEntry, type OutToken, type Tables } from './tables.js';
import type { Literal } from './ast.js';
import type { Tokens } from './tokens.js';

/** Bracket nesting the front end accepts; deeper input is rejected before the grammar can overflow its stack. */
export const MAX_NESTING = 120;
/** Expression nesting (brackets, CASE, NOT, calls) the rewrite accepts. */
export const MAX_EXPR_DEPTH = 200;

export interface RewriteResult {
  readonly rewritten: RewrittenText;
  readonly tables: Tables;
  /** Spans of unqualified `*` select items of this text, in source order (the grammar gives them no location). */
  readonly stars: readonly SourceSpan[];
}

/** Per-expression scan state: where the latest primary started in the output (for postfix wrappers). */
export interface SeqState {
  primStart: number;
  /** Index after the field of the latest `(expr).field`, so `.field2` can follow it. */
  derefEnd?: number;
}

export class Rewriter {
  readonly ts: Tokens;
  readonly out: OutToken[] = [];
  readonly tables: Tables = emptyTables();
  readonly stars: SourceSpan[] = [];
  /** Current expression nesting, bounded so that neither this code nor the grammar can exhaust the stack. */
  private depth = 0;

  constructor(ts: Tokens) {
    this.ts = ts;
  }

  result(): RewriteResult {
    return { rewritten: new RewrittenText(this.out), tables: this.tables, stars: this.stars };
  }

  /** Emits the placeholder for the subquery in the brackets at `open` (parsed later, on its own). */
  subquery(open: number): void {
    const ts = this.ts;
    const close = ts.match(open);
    this.tables.subqueries.push({ from: open + 1, to: close, span: ts.spanOf(open, close) });
    this.synthSpan(`'__q${this.tables.subqueries.length - 1}__'`, ts.start(open), ts.end(close));
  }

  // ---- emission primitives -------------------------------------------------------------------------------

  copy(i: number): void {
    const t = this.ts.tok(i);
    if (t === undefined) throw this.errorAt(i);
    this.out.push({ text: t.text, start: t.start, end: t.end, copy: true });
  }

  /** A token the user did not write, standing for the empty region at script offset `at`. */
  synth(text: string, at: number): void {
    this.out.push({ text, start: at, end: at, copy: false });
  }

  /** A token standing for the script region [start, end). */
  synthSpan(text: string, start: number, end: number): void {
    this.out.push({ text, start, end, copy: false });
  }

  /** Inserts synthetic tokens at output position `pos` (the start of a primary being wrapped). */
  wrapFrom(pos: number, texts: readonly string[]): void {
    const at = this.out[pos]?.start ?? this.lastEnd();
    this.out.splice(pos, 0, ...texts.map((text) => ({ text, start: at, end: at, copy: false })));
  }

  lastEnd(): number {
    return this.out[this.out.length - 1]?.end ?? 0;
  }

  private checkCapacity(n: number, i: number): void {
    if (n >= MAX_PLACEHOLDERS) {
      throw new ShoalError('QUERY_TEXT_TOO_LARGE', 'The statement has too many names and literals', {
        span: this.ts.spanOf(i, i),
        hint: 'Split the statement or load large value lists from a file',
      });
    }
  }

  /** Emits an identifier placeholder for the name token at i. */
  ident(i: number, extra?: Partial<IdentEntry>): IdentEntry {
    const t = this.ts.tok(i);
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'qident')) throw this.errorAt(i);
    const quoted = t.kind === 'qident';
    const entry: IdentEntry = { value: quoted ? t.value : t.text.toLowerCase(), quoted, span: this.ts.spanOf(i, i), ...extra };
    this.checkCapacity(this.tables.idents.length, i);
    this.tables.idents.push(entry);
    this.synthSpan(`__i${this.tables.idents.length - 1}__`, t.start, t.end);
    return entry;
  }

  /** The identifier for name token i without emitting anything. */
  identOf(i: number): IdentEntry {
    const t = this.ts.tok(i);
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'qident')) throw this.errorAt(i);
    const quoted = t.kind === 'qident';
    return { value: quoted ? t.value : t.text.toLowerCase(), quoted, span: this.ts.spanOf(i, i) };
  }

  /** Emits a literal placeholder standing for the script region [start, end). */
  literal(literal: Literal, start: number, end: number): void {
    this.checkCapacity(this.tables.literals.length, this.ts.indexAt(start));
    this.tables.literals.push({ literal, span: this.ts.src.span(start, end) });
    this.synthSpan(`'__s${this.tables.literals.length - 1}__'`, start, end);
  }

  /** Emits a LIMIT/OFFSET count: the grammar only takes a number there, so the literal index is encoded in it. */
  limitLiteral(literal: Literal, start: number, end: number): void {
    this.tables.literals.push({ literal, span: this.ts.src.span(start, end) });
    this.synthSpan(String(LIMIT_BASE + this.tables.literals.length - 1), start, end);
  }

  meta(m: MetaEntry, start: number, end: number): void {
    this.tables.metas.push(m);
    this.synthSpan(`'__m${this.tables.metas.length - 1}__'`, start, end);
  }

  /** Emits the encoded type for the type text in tokens [from, to). */
  type(from: number, to: number, tryCast: boolean, castSpan?: { start: number; end: number }): void {
    if (from >= to) throw this.errorAt(from, 'Expected a type name');
    this.tables.types.push({
      text: typeText(this.ts, from, to),
      try: tryCast,
      span: this.ts.spanOf(from, to - 1),
      castSpan: castSpan === undefined ? undefined : this.ts.src.span(castSpan.start, castSpan.end),
    });
    this.synthSpan(`VARCHAR(${TYPE_BASE + this.tables.types.length - 1})`, this.ts.start(from), this.ts.end(to - 1));
  }

  errorAt(i: number, hint?: string): ShoalError {
    const t = this.ts.tok(i);
    hint ??= hintFor(this.ts, i, this.ts.length);
    if (t === undefined) {
      const end = this.ts.end(this.ts.length - 1);
      return syntaxError(this.ts.src, end, end, nearMessage(undefined), hint);
    }
    return syntaxError(this.ts.src, t.start, t.end, nearMessage(t.text), hint);
  }

  // ---- structure -----------------------------------------------------------------------------------------

  /** A query in tokens [from, to): WITH, body, set operations, ORDER BY, LIMIT/OFFSET/FETCH. */
  query(from: number, to: number): void {
    emitQuery(this, from, to);
  }

  /**
   * An expression in tokens [from, to). The boolean layer (OR < AND < NOT) is parsed here, not by the grammar:
   * node-sql-parser gives AND and OR equal precedence in WHERE/ON/HAVING (`a OR b AND c` became
   * `(a OR b) AND c`) and lets an IN predicate swallow a following OR. Connectives become variadic
   * `__shoal_or(…)`, `__shoal_and(…)` and `__shoal_not(…)` calls, so the grammar only ever parses predicates.
   */
  expr(from: number, to: number): void {
    if (from >= to) throw this.errorAt(from);
    if (++this.depth > MAX_EXPR_DEPTH) {
      throw new ShoalError('QUERY_REJECTED', `The expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, {
        span: this.ts.spanOf(from, from),
        hint: 'Simplify the expression or split the query',
      });
    }
    try {
      this.exprAt(from, to);
    } finally {
      this.depth--;
    }
  }

  private exprAt(from: number, to: number): void {
    const ors = this.splitBool(from, to, 'or');
    if (ors.length > 1) return this.connective('__shoal_or', ors);
    const ands = this.splitBool(from, to, 'and');
    if (ands.length > 1) return this.connective('__shoal_and', ands);
    if (this.ts.isKw(from, 'not')) {
      this.synth('__shoal_not', this.ts.start(from));
      this.synthSpan('(', this.ts.start(from), this.ts.end(from));
      this.expr(from + 1, to);
      this.synth(')', this.ts.end(to - 1));
      return;
    }
    this.seq(from, to);
  }

  /** Splits [from, to) at top-level OR or AND (not inside brackets or CASE … END; not a BETWEEN's AND). */
  private splitBool(from: number, to: number, word: 'or' | 'and'): [number, number][] {
    const ts = this.ts;
    const parts: [number, number][] = [];
    let start = from;
    let cases = 0;
    let betweens = 0;
    let k = from;
    while (k < to) {
      const w = ts.kw(k);
      if (w === 'case') cases++;
      else if (w === 'end' && cases > 0) cases--;
      else if (cases === 0) {
        if (w === 'between') betweens++;
        else if (w === 'and' && betweens > 0) betweens--;
        else if (w === word) {
          if (k === start || k + 1 >= to) throw this.errorAt(k === start ? k : k + 1);
          parts.push([start, k]);
          start = k + 1;
        }
      }
      const m = ts.isOp(k, '(') || ts.isOp(k, '[') ? ts.match(k) : -1;
      k = m > k ? m + 1 : k + 1;
    }
    parts.push([start, to]);
    return parts;
  }

  private connective(name: string, parts: readonly [number, number][]): void {
    const first = parts[0];
    if (first === undefined) return;
    this.synth(name, this.ts.start(first[0]));
    this.synth('(', this.ts.start(first[0]));
    parts.forEach(([a, b], k) => {
      if (k > 0) this.synthSpan(',', this.ts.start(a - 1), this.ts.end(a - 1));
      this.expr(a, b);
    });
    this.synth(')', this.ts.end((parts[parts.length - 1]?.[1] ?? 1) - 1));
  }

  /** Expressions separated by top-level commas (emitted with commas). */
  exprList(from: number, to: number): void {
    const parts = this.ts.splitTop(from, to);
    parts.forEach(([a, b], k) => {
      if (k > 0) this.copy(a - 1);
      this.expr(a, b);
    });
  }

  /** Sort items `expr [ASC|DESC] [NULLS FIRST|LAST]` separated by commas. */
  orderItems(from: number, to: number): void {
    const ts = this.ts;
    ts.splitTop(from, to).forEach(([a, b], k) => {
      if (k > 0) this.copy(a - 1);
      let end = b;
      if (ts.isKw(end - 2, 'nulls') && ts.isKw(end - 1, 'first', 'last')) end -= 2;
      if (ts.isKw(end - 1, 'asc', 'desc') && end - 1 > a) end -= 1;
      this.expr(a, end);
      for (let x = end; x < b; x++) this.copy(x);
    });
  }

  /** The predicate level of an expression (see rewrite-predicate.ts). */
  seq(from: number, to: number): void {
    emitPredicate(this, from, to);
  }

  /** Whether the bracket group at `open` holds a query (possibly itself parenthesised, with set operations). */
  isQueryGroup(open: number): boolean {
    const ts = this.ts;
    const first = open + 1;
    if (ts.isKw(first, 'select', 'with', 'values', 'table')) return true;
    if (ts.isOp(first, '(') && this.isQueryGroup(first)) {
      const after = ts.match(first) + 1;
      return after === ts.match(open) || ts.isKw(after, 'union', 'intersect', 'except', 'order', 'limit', 'offset', 'fetch');
    }
    return false;
  }
}

/** Rewrites the query in tokens [from, to). */
export function rewriteQuery(ts: Tokens, from: number, to: number): RewriteResult {
  const rw = new Rewriter(ts);
  rw.query(from, to);
  return rw.result();
}

/** Rewrites the expression in tokens [from, to) as `SELECT <expr>`. */
export function rewriteExpression(ts: Tokens, from: number, to: number): RewriteResult {
  const rw = new Rewriter(ts);
  rw.synth('SELECT', ts.start(from));
  rw.expr(from, to);
  return rw.result();
}
