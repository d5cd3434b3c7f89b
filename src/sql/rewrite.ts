/**
 * Token-level rewrite of a query (or an expression) into text node-sql-parser's postgresql grammar parses
 * correctly and quickly. Contracts:
 *  - It never looks inside literals: every string, number, boolean, NULL, typed literal and interval becomes a
 *    literal placeholder; every name becomes an identifier placeholder; every function call a function
 *    placeholder (tables.ts lists the encodings). So quoting is never lost and every name and literal keeps an
 *    exact span.
 *  - Constructs the grammar lacks or gets wrong are rewritten into `__shoal_*` calls or markers, which the
 *    adapter maps back (rewrite-calls.ts, rewrite-clauses.ts).
 *  - Every parenthesised expression `(e)` becomes `__shoal_paren(e)`: the grammar backtracks on nested
 *    parenthesised boolean expressions and takes exponential time (7.8 s at depth 20); a call's argument list
 *    has one parse, which makes nesting linear.
 *  - Each output token remembers the script region it stands for, so positions map back (RewrittenText).
 */
import { ShoalError } from '../common/index.js';
import { CALLABLE_RESERVED, NILADIC, RESERVED, TYPED_LITERAL_TYPES } from './keywords.js';
import { emitArrayConstructor, emitCall, emitNiladic } from './rewrite-calls.js';
import { emitQuery } from './rewrite-query.js';
import { emitInterval, emitTypedLiteral, numberLiteral, typeExtent, typeText } from './rewrite-literals.js';
import { hintFor } from './hints.js';
import { nearMessage, syntaxError } from './syntax-error.js';
import { emptyTables, LIMIT_BASE, MAX_PLACEHOLDERS, RewrittenText, TYPE_BASE, type IdentEntry, type MetaEntry, type OutToken, type Tables } from './tables.js';
import type { Literal } from './ast.js';
import type { Tokens } from './tokens.js';

/** Operators and words that separate the operands of a predicate (for `||` grouping). */
const PREDICATE_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const PREDICATE_WORDS = new Set(['is', 'in', 'not', 'like', 'ilike', 'between', 'and', 'escape', 'distinct', 'from', 'null', 'true', 'false', 'unknown']);

/** Bracket nesting the front end accepts; deeper input is rejected before the grammar can overflow its stack. */
export const MAX_NESTING = 120;

export interface RewriteResult {
  readonly rewritten: RewrittenText;
  readonly tables: Tables;
}

/** Per-expression scan state: where the latest primary started in the output (for postfix wrappers). */
export interface SeqState {
  primStart: number;
}

export class Rewriter {
  readonly ts: Tokens;
  readonly out: OutToken[] = [];
  readonly tables: Tables = emptyTables();

  constructor(ts: Tokens) {
    this.ts = ts;
  }

  result(): RewriteResult {
    return { rewritten: new RewrittenText(this.out), tables: this.tables };
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

  /**
   * The predicate level: comparisons, IN, LIKE, BETWEEN, IS, arithmetic and primaries in tokens [from, to),
   * which the grammar parses correctly. Constructs it cannot parse are rewritten on the way.
   */
  seq(from: number, to: number): void {
    const ts = this.ts;
    const st: SeqState = { primStart: -1 };
    const concat = this.concatPlan(from, to);
    let i = from;
    while (i < to) {
      const t = ts.tok(i);
      if (t === undefined) break;
      for (let n = concat.ends.get(i) ?? 0; n > 0; n--) this.synth(')', this.lastEnd());
      if (concat.starts.has(i)) {
        this.synth('__shoal_concat', t.start);
        this.synth('(', t.start);
        st.primStart = -1;
      }
      if (concat.seps.has(i)) {
        this.synthSpan(',', t.start, t.end);
        st.primStart = -1;
        i++;
        continue;
      }
      switch (t.kind) {
        case 'string':
          st.primStart = this.out.length;
          this.literal({ type: 'string', value: t.value }, t.start, t.end);
          i++;
          break;
        case 'number':
          st.primStart = this.out.length;
          this.literal(numberLiteral(t.text), t.start, t.end);
          i++;
          break;
        case 'qident':
          if (ts.isOp(i + 1, '(')) {
            st.primStart = this.out.length;
            i = emitCall(this, i, st);
          } else {
            if (!ts.isOp(i - 1, '.')) st.primStart = this.out.length;
            this.ident(i);
            i++;
          }
          break;
        case 'op':
          i = this.op(i, to, st);
          break;
        case 'word':
          i = this.word(i, to, st);
          break;
        case 'invalid':
          throw this.errorAt(i);
      }
    }
    for (let n = concat.ends.get(to) ?? 0; n > 0; n--) this.synth(')', this.lastEnd());
  }

  /**
   * `||` binds more loosely than `+` in Trino but more tightly in the grammar, so each operand of a comparison
   * or predicate that contains a top-level `||` is emitted as `__shoal_concat(part, part, …)`. Operands are the
   * runs of tokens between predicate operators (brackets and CASE … END count as one token).
   */
  private concatPlan(from: number, to: number): { starts: Set<number>; seps: Set<number>; ends: Map<number, number> } {
    const ts = this.ts;
    const plan = { starts: new Set<number>(), seps: new Set<number>(), ends: new Map<number, number>() };
    let segStart = from;
    let seps: number[] = [];
    const close = (end: number): void => {
      if (seps.length > 0 && end > segStart) {
        plan.starts.add(segStart);
        for (const x of seps) plan.seps.add(x);
        plan.ends.set(end, (plan.ends.get(end) ?? 0) + 1);
      }
      seps = [];
    };
    let k = from;
    while (k < to) {
      const t = ts.tok(k);
      if (t === undefined) break;
      if (t.kind === 'op' && PREDICATE_OPS.has(t.text)) {
        close(k);
        segStart = k + 1;
      } else if (t.kind === 'word' && PREDICATE_WORDS.has(ts.kw(k))) {
        close(k);
        segStart = k + 1;
      } else if (t.kind === 'op' && t.text === '||') {
        seps.push(k);
      }
      if (ts.isKw(k, 'case')) {
        k = this.caseEnd(k, to) + 1;
        continue;
      }
      const m = ts.isOp(k, '(') || ts.isOp(k, '[') ? ts.match(k) : -1;
      k = m > k ? m + 1 : k + 1;
    }
    close(to);
    return plan;
  }

  /** Index of the END that closes the CASE at i (or `to`). */
  private caseEnd(i: number, to: number): number {
    const ts = this.ts;
    let depth = 0;
    let k = i + 1;
    while (k < to) {
      if (ts.isKw(k, 'case')) depth++;
      else if (ts.isKw(k, 'end')) {
        if (depth === 0) return k;
        depth--;
      }
      const m = ts.isOp(k, '(') || ts.isOp(k, '[') ? ts.match(k) : -1;
      k = m > k ? m + 1 : k + 1;
    }
    return to;
  }

  private op(i: number, to: number, st: SeqState): number {
    const ts = this.ts;
    const t = ts.tok(i);
    if (t === undefined) return i + 1;
    switch (t.text) {
      case '(':
        return this.paren(i, st);
      case '[': {
        const close = ts.match(i);
        if (st.primStart < 0 || close < 0) throw this.errorAt(i);
        this.wrapFrom(st.primStart, ['__shoal_sub', '(']);
        this.synth(',', t.start);
        this.expr(i + 1, close);
        this.synth(')', ts.end(close));
        return close + 1;
      }
      case '::': {
        this.copy(i);
        const end = typeExtent(ts, i + 1, to);
        this.type(i + 1, end, false);
        return end;
      }
      case '->':
        throw this.errorAt(i, 'A lambda expression (x -> ...) is only allowed as a function argument');
      case '=>':
        throw this.errorAt(i, 'Named arguments (name => value) are only allowed in table function calls');
      case ';':
        throw this.errorAt(i);
      case '*':
        if (ts.isOp(i - 1, ',') || ts.isKw(i - 1, 'select', 'distinct', 'all')) this.tables.stars.push(ts.spanOf(i, i));
        this.copy(i);
        return i + 1;
      default:
        this.copy(i);
        return i + 1;
    }
  }

  /** A `(` in the generic scan: subquery, IN list, row constructor or parenthesised expression. */
  private paren(i: number, st: SeqState): number {
    const ts = this.ts;
    const close = ts.match(i);
    if (close < 0) throw this.errorAt(i);
    if (this.isQueryGroup(i)) {
      st.primStart = this.out.length;
      // A scalar subquery is passed as an argument: right after SELECT, the grammar reads `SELECT (` as a call.
      if (!ts.isKw(i - 1, 'in', 'exists', 'any', 'some', 'all')) this.synth('__shoal_paren', ts.start(i));
      this.copy(i);
      this.query(i + 1, close);
      this.copy(close);
      return close + 1;
    }
    if (ts.isKw(i - 1, 'in')) {
      this.copy(i);
      this.exprList(i + 1, close);
      this.copy(close);
      return close + 1;
    }
    st.primStart = this.out.length;
    if (close === i + 1) {
      this.copy(i);
      this.copy(close);
      return close + 1;
    }
    const comma = ts.findTop(i + 1, close, (k) => ts.isOp(k, ','));
    this.synth(comma < close ? '__shoal_row' : '__shoal_paren', ts.start(i));
    this.copy(i);
    this.exprList(i + 1, close);
    this.copy(close);
    return close + 1;
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

  private word(i: number, to: number, st: SeqState): number {
    const ts = this.ts;
    const w = ts.kw(i);
    const next = ts.kw(i + 1);
    if (ts.isOp(i + 1, '(') && (!RESERVED.has(w) || CALLABLE_RESERVED.has(w) || NILADIC.has(w))) {
      st.primStart = this.out.length;
      return emitCall(this, i, st);
    }
    switch (w) {
      case 'true':
      case 'false':
      case 'null':
        if (this.afterIs(i)) {
          this.copy(i);
          return i + 1;
        }
        st.primStart = this.out.length;
        this.literal(w === 'null' ? { type: 'null' } : { type: 'boolean', value: w === 'true' }, ts.start(i), ts.end(i));
        return i + 1;
      case 'interval': {
        const end = emitInterval(this, i);
        if (end > i) {
          st.primStart = this.out.length - 1;
          return end;
        }
        break;
      }
      case 'is':
        return this.isPredicate(i);
      case 'at':
        if (next === 'time' && ts.isKw(i + 2, 'zone')) return this.atTimeZone(i, to, st);
        break;
      case 'array':
        if (ts.isOp(i + 1, '[')) {
          st.primStart = this.out.length;
          return emitArrayConstructor(this, i);
        }
        break;
      case 'case':
        st.primStart = this.out.length;
        return this.caseExpr(i, to);
      case 'select':
      case 'from':
      case 'where':
      case 'group':
      case 'having':
      case 'order':
      case 'union':
      case 'intersect':
      case 'except':
      case 'with':
      case 'values':
      case 'end':
        // Clause words are handled by the query structure; here they are out of place.
        throw this.errorAt(i);
      default:
        break;
    }
    if (TYPED_LITERAL_TYPES.has(w) && ts.tok(i + 1)?.kind === 'string') {
      st.primStart = this.out.length;
      return emitTypedLiteral(this, i);
    }
    if (NILADIC.has(w)) {
      st.primStart = this.out.length;
      return emitNiladic(this, i);
    }
    if (RESERVED.has(w)) {
      this.copy(i);
      return i + 1;
    }
    if (!ts.isOp(i - 1, '.')) st.primStart = this.out.length;
    this.ident(i);
    return i + 1;
  }

  /** `CASE [operand] WHEN … THEN … [ELSE …] END` at i; every part is parsed as an expression of its own. */
  private caseExpr(i: number, to: number): number {
    const ts = this.ts;
    let depth = 0;
    const marks: number[] = [];
    let end = -1;
    let k = i + 1;
    while (k < to) {
      const w = ts.kw(k);
      if (w === 'case') depth++;
      else if (w === 'end') {
        if (depth === 0) {
          end = k;
          break;
        }
        depth--;
      } else if (depth === 0 && (w === 'when' || w === 'then' || w === 'else')) marks.push(k);
      const m = ts.isOp(k, '(') || ts.isOp(k, '[') ? ts.match(k) : -1;
      k = m > k ? m + 1 : k + 1;
    }
    if (end < 0) throw this.errorAt(to, 'CASE without END');
    const first = marks[0];
    if (first === undefined || ts.kw(first) !== 'when') throw this.errorAt(first ?? end, 'Expected CASE … WHEN condition THEN result … END');
    this.copy(i);
    if (first > i + 1) this.expr(i + 1, first);
    marks.forEach((m, n) => {
      const stop = marks[n + 1] ?? end;
      const expected = ts.kw(m) === 'when' ? 'then' : ts.kw(m) === 'then' ? 'when|else|end' : 'end';
      const following = n + 1 < marks.length ? ts.kw(stop) : 'end';
      if (!expected.split('|').includes(following)) throw this.errorAt(stop);
      this.copy(m);
      this.expr(m + 1, stop);
    });
    this.copy(end);
    return end + 1;
  }

  /** `IS` at i: `IS [NOT] DISTINCT FROM` becomes `~` / `!~` (same precedence as `=` in the grammar). */
  private isPredicate(i: number): number {
    const ts = this.ts;
    const not = ts.isKw(i + 1, 'not');
    const d = not ? i + 2 : i + 1;
    if (ts.isKw(d, 'distinct') && ts.isKw(d + 1, 'from')) {
      this.synthSpan(not ? '!~' : '~', ts.start(i), ts.end(d + 1));
      return d + 2;
    }
    this.copy(i);
    return i + 1;
  }

  private afterIs(i: number): boolean {
    return this.ts.isKw(i - 1, 'is') || (this.ts.isKw(i - 1, 'not') && this.ts.isKw(i - 2, 'is'));
  }

  /** `primary AT TIME ZONE zone` becomes `__shoal_tz(primary, zone)`; the zone is one primary. */
  private atTimeZone(i: number, to: number, st: SeqState): number {
    const ts = this.ts;
    if (st.primStart < 0) throw this.errorAt(i);
    this.wrapFrom(st.primStart, ['__shoal_tz', '(']);
    this.synthSpan(',', ts.start(i), ts.end(i + 2));
    const zoneStart = i + 3;
    const zoneEnd = primaryExtent(ts, zoneStart, to);
    if (zoneEnd <= zoneStart) throw this.errorAt(zoneStart, "Expected a time zone, e.g. AT TIME ZONE 'UTC'");
    this.expr(zoneStart, zoneEnd);
    this.synth(')', this.lastEnd());
    return zoneEnd;
  }
}

/** The end (exclusive) of the primary expression starting at i: a literal, name chain, call, group or typed literal. */
export function primaryExtent(ts: Tokens, i: number, to: number): number {
  const t = ts.tok(i);
  if (t === undefined || i >= to) return i;
  if (t.kind === 'string' || t.kind === 'number') return i + 1;
  if (t.kind === 'op') {
    if (t.text === '(') return ts.match(i) + 1;
    if (t.text === '-' || t.text === '+') return primaryExtent(ts, i + 1, to);
    return i;
  }
  if (t.kind === 'word' && ts.kw(i) === 'interval') {
    let j = i + 1;
    if (ts.isOp(j, '-') || ts.isOp(j, '+')) j++;
    j++;
    while (j < to && ts.tok(j)?.kind === 'word' && /^(year|month|day|hour|minute|second|to)s?$/i.test(ts.tok(j)?.text ?? '')) j++;
    return j;
  }
  if (t.kind === 'word' && TYPED_LITERAL_TYPES.has(ts.kw(i)) && ts.tok(i + 1)?.kind === 'string') return i + 2;
  let j = i;
  for (;;) {
    if (!ts.isName(j)) return j;
    j++;
    if (ts.isOp(j, '(')) j = ts.match(j) + 1;
    if (ts.isOp(j, '.') && ts.isName(j + 1)) {
      j++;
      continue;
    }
    return j;
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
