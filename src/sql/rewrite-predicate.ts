/**
 * The predicate level of the rewrite: comparisons, IN, LIKE, BETWEEN, IS, arithmetic and primaries, which the
 * grammar parses correctly once the boolean layer is taken out (Rewriter.expr). On the way it replaces names,
 * literals and calls with placeholders and rewrites what the grammar cannot parse: IS [NOT] DISTINCT FROM
 * (→ `~`/`!~`, same precedence as `=`), AT TIME ZONE, subscripts, `(expr).field`, ARRAY[…], CASE (each part
 * parsed as an expression), `::type`, `||` (grouped, because the grammar binds it tighter than `+`), and
 * parenthesised expressions (→ `__shoal_paren(…)`, which keeps nested parentheses linear for the grammar).
 */
import { CALLABLE_RESERVED, NILADIC, RESERVED, TYPED_LITERAL_TYPES } from './keywords.js';
import { emitArrayConstructor, emitCall, emitNiladic } from './rewrite-calls.js';
import { emitInterval, emitTypedLiteral, numberLiteral, typeExtent } from './rewrite-literals.js';
import type { Rewriter, SeqState } from './rewrite.js';
import type { Tokens } from './tokens.js';

/** Operators and words that separate the operands of a predicate (for `||` grouping). */
const PREDICATE_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const PREDICATE_WORDS = new Set(['is', 'in', 'not', 'like', 'ilike', 'between', 'and', 'escape', 'distinct', 'from']);
/** Words that end an IS predicate (and are literals anywhere else). */
const IS_OPERANDS = new Set(['null', 'true', 'false', 'unknown']);

/** Operators that cannot end an expression. */
const INCOMPLETE_AFTER = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||', '::', '.', ',']);

/**
 * The predicate level: comparisons, IN, LIKE, BETWEEN, IS, arithmetic and primaries in tokens [from, to),
 * which the grammar parses correctly. Constructs it cannot parse are rewritten on the way.
 */
export function emitPredicate(rw: Rewriter, from: number, to: number): void {
  const ts = rw.ts;
  const last = ts.tok(to - 1);
  if (last !== undefined && last.kind === 'op' && INCOMPLETE_AFTER.has(last.text) && !(last.text === '*' && (to - 1 === from || ts.isOp(to - 2, '.')))) {
    throw rw.errorAt(to, `The expression is incomplete after '${last.text}'`);
  }
  const st: SeqState = { primStart: -1 };
  const concat = concatPlan(rw, from, to);
  let i = from;
  while (i < to) {
    const t = ts.tok(i);
    if (t === undefined) break;
    for (let n = concat.ends.get(i) ?? 0; n > 0; n--) rw.synth(')', rw.lastEnd());
    if (concat.starts.has(i)) {
      rw.synth('__shoal_concat', t.start);
      rw.synth('(', t.start);
      st.primStart = -1;
    }
    if (concat.seps.has(i)) {
      rw.synthSpan(',', t.start, t.end);
      st.primStart = -1;
      i++;
      continue;
    }
    switch (t.kind) {
      case 'string':
        st.primStart = rw.out.length;
        rw.literal({ type: 'string', value: t.value }, t.start, t.end);
        i++;
        break;
      case 'number':
        st.primStart = rw.out.length;
        rw.literal(numberLiteral(t.text), t.start, t.end);
        i++;
        break;
      case 'qident':
        if (ts.isOp(i + 1, '(')) {
          st.primStart = rw.out.length;
          i = emitCall(rw, i, st);
        } else {
          if (!ts.isOp(i - 1, '.')) st.primStart = rw.out.length;
          rw.ident(i);
          i++;
        }
        break;
      case 'op':
        i = op(rw, i, to, st);
        break;
      case 'word':
        i = word(rw, i, to, st);
        break;
      case 'invalid':
        throw rw.errorAt(i);
    }
  }
  for (let n = concat.ends.get(to) ?? 0; n > 0; n--) rw.synth(')', rw.lastEnd());
}

/**
 * `||` binds more loosely than `+` in Trino but more tightly in the grammar, so each operand of a comparison
 * or predicate that contains a top-level `||` is emitted as `__shoal_concat(part, part, …)`. Operands are the
 * runs of tokens between predicate operators (brackets and CASE … END count as one token).
 */
function concatPlan(rw: Rewriter, from: number, to: number): { starts: Set<number>; seps: Set<number>; ends: Map<number, number> } {
  const ts = rw.ts;
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
    if (ts.isKw(k, 'like', 'ilike') || (ts.isKw(k, 'is') && (ts.isKw(k + 1, 'distinct') || ts.isKw(k + 2, 'distinct')))) {
      // The right operand is emitted as an expression of its own (likePattern, isPredicate).
      close(k);
      return plan;
    }
    if (t.kind === 'op' && PREDICATE_OPS.has(t.text)) {
      close(k);
      segStart = k + 1;
    } else if (t.kind === 'word' && (PREDICATE_WORDS.has(ts.kw(k)) || (IS_OPERANDS.has(ts.kw(k)) && afterIs(rw, k)))) {
      close(k);
      segStart = k + 1;
    } else if (t.kind === 'op' && t.text === '||') {
      seps.push(k);
    }
    if (ts.isKw(k, 'case')) {
      k = caseEnd(rw, k, to) + 1;
      continue;
    }
    const m = ts.isOp(k, '(') || ts.isOp(k, '[') ? ts.match(k) : -1;
    k = m > k ? m + 1 : k + 1;
  }
  close(to);
  return plan;
}

/** Index of the END that closes the CASE at i (or `to`). */
function caseEnd(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
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

function op(rw: Rewriter, i: number, to: number, st: SeqState): number {
  const ts = rw.ts;
  const t = ts.tok(i);
  if (t === undefined) return i + 1;
  switch (t.text) {
    case '(':
      return paren(rw, i, st);
    case '[': {
      const close = ts.match(i);
      if (st.primStart < 0 || close < 0) throw rw.errorAt(i);
      rw.wrapFrom(st.primStart, ['__shoal_sub', '(']);
      rw.synth(',', t.start);
      rw.expr(i + 1, close);
      rw.synth(')', ts.end(close));
      return close + 1;
    }
    case '::': {
      // x::type is CAST(x AS type) on the primary before it (the grammar's own `::` fails when chained).
      if (st.primStart < 0) throw rw.errorAt(i);
      const end = typeExtent(ts, i + 1, to);
      rw.wrapFrom(st.primStart, ['CAST', '(', '__shoal_paren', '(']);
      rw.synthSpan(')', t.start, t.end);
      rw.synthSpan('AS', t.start, t.end);
      rw.type(i + 1, end, false);
      rw.synth(')', ts.end(end - 1));
      return end;
    }
    case '.':
      if ((ts.isOp(i - 1, ')') || ts.isOp(i - 1, ']') || st.derefEnd === i) && st.primStart >= 0 && ts.isName(i + 1)) {
        // (expr).field: a dereference of a row value
        rw.wrapFrom(st.primStart, ['__shoal_deref', '(']);
        rw.synthSpan(',', t.start, t.end);
        rw.ident(i + 1);
        rw.synth(')', ts.end(i + 1));
        st.derefEnd = i + 2;
        return i + 2;
      }
      rw.copy(i);
      return i + 1;
    case '->':
      throw rw.errorAt(i, 'A lambda expression (x -> ...) is only allowed as a function argument');
    case '=>':
      throw rw.errorAt(i, 'Named arguments (name => value) are only allowed in table function calls');
    case ';':
      throw rw.errorAt(i);
    case '*':
      if (ts.isOp(i - 1, ',') || ts.isKw(i - 1, 'select', 'distinct', 'all')) rw.stars.push(ts.spanOf(i, i));
      rw.copy(i);
      return i + 1;
    default:
      rw.copy(i);
      return i + 1;
  }
}

/** A `(` in the generic scan: subquery, IN list, row constructor or parenthesised expression. */
function paren(rw: Rewriter, i: number, st: SeqState): number {
  const ts = rw.ts;
  const close = ts.match(i);
  if (close < 0) throw rw.errorAt(i);
  if (rw.isQueryGroup(i)) {
    st.primStart = rw.out.length;
    if (ts.isKw(i - 1, 'in', 'any', 'some', 'all')) {
      rw.copy(i);
      rw.subquery(i);
      rw.copy(close);
    } else {
      rw.subquery(i);
    }
    return close + 1;
  }
  if (ts.isKw(i - 1, 'in')) {
    rw.copy(i);
    rw.exprList(i + 1, close);
    rw.copy(close);
    return close + 1;
  }
  st.primStart = rw.out.length;
  if (close === i + 1) {
    rw.copy(i);
    rw.copy(close);
    return close + 1;
  }
  const comma = ts.findTop(i + 1, close, (k) => ts.isOp(k, ','));
  rw.synth(comma < close ? '__shoal_row' : '__shoal_paren', ts.start(i));
  rw.copy(i);
  rw.exprList(i + 1, close);
  rw.copy(close);
  return close + 1;
}

/** A word in the generic scan: a call, a keyword form, a literal keyword, a reserved word or a name. */
function word(rw: Rewriter, i: number, to: number, st: SeqState): number {
  const ts = rw.ts;
  const w = ts.kw(i);
  const next = ts.kw(i + 1);
  if (ts.isOp(i + 1, '(') && (!RESERVED.has(w) || CALLABLE_RESERVED.has(w) || NILADIC.has(w))) {
    st.primStart = rw.out.length;
    return emitCall(rw, i, st);
  }
  switch (w) {
    case 'true':
    case 'false':
    case 'null':
      if (afterIs(rw, i)) {
        rw.copy(i);
        return i + 1;
      }
      st.primStart = rw.out.length;
      rw.literal(w === 'null' ? { type: 'null' } : { type: 'boolean', value: w === 'true' }, ts.start(i), ts.end(i));
      return i + 1;
    case 'interval': {
      const end = emitInterval(rw, i);
      if (end > i) {
        st.primStart = rw.out.length - 1;
        return end;
      }
      break;
    }
    case 'is':
      return isPredicate(rw, i, to);
    case 'like':
    case 'ilike':
      return likePattern(rw, i, to);
    case 'at':
      if (next === 'time' && ts.isKw(i + 2, 'zone')) return atTimeZone(rw, i, to, st);
      break;
    case 'array':
      if (ts.isOp(i + 1, '[')) {
        st.primStart = rw.out.length;
        return emitArrayConstructor(rw, i);
      }
      break;
    case 'case':
      st.primStart = rw.out.length;
      return caseExpr(rw, i, to);
    case 'exists':
      if (ts.isOp(i + 1, '(') && rw.isQueryGroup(i + 1)) {
        st.primStart = rw.out.length;
        rw.synthSpan('__shoal_exists', ts.start(i), ts.end(i));
        rw.synth('(', ts.start(i + 1));
        rw.subquery(i + 1);
        rw.synth(')', ts.end(ts.match(i + 1)));
        return ts.match(i + 1) + 1;
      }
      break;
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
      throw rw.errorAt(i);
    default:
      break;
  }
  if (TYPED_LITERAL_TYPES.has(w) && ts.tok(i + 1)?.kind === 'string') {
    st.primStart = rw.out.length;
    return emitTypedLiteral(rw, i);
  }
  if (NILADIC.has(w)) {
    st.primStart = rw.out.length;
    return emitNiladic(rw, i);
  }
  if (RESERVED.has(w)) {
    rw.copy(i);
    return i + 1;
  }
  if (!ts.isOp(i - 1, '.')) st.primStart = rw.out.length;
  rw.ident(i);
  return i + 1;
}

/** `CASE [operand] WHEN … THEN … [ELSE …] END` at i; every part is parsed as an expression of its own. */
function caseExpr(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
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
  if (end < 0) throw rw.errorAt(to, 'CASE without END');
  const first = marks[0];
  if (first === undefined || ts.kw(first) !== 'when') throw rw.errorAt(first ?? end, 'Expected CASE … WHEN condition THEN result … END');
  rw.copy(i);
  if (first > i + 1) rw.expr(i + 1, first);
  marks.forEach((m, n) => {
    const stop = marks[n + 1] ?? end;
    const expected = ts.kw(m) === 'when' ? 'then' : ts.kw(m) === 'then' ? 'when|else|end' : 'end';
    const following = n + 1 < marks.length ? ts.kw(stop) : 'end';
    if (!expected.split('|').includes(following)) throw rw.errorAt(stop);
    rw.copy(m);
    rw.expr(m + 1, stop);
  });
  rw.copy(end);
  return end + 1;
}

/**
 * `LIKE pattern [ESCAPE e]` at i: the grammar only takes a primary as the pattern, Trino any value
 * expression (`x LIKE prefix || '%'`), so a pattern of more than one token is passed parenthesised.
 */
function likePattern(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  rw.copy(i);
  const escapeAt = ts.findTop(i + 1, to, (k) => ts.isKw(k, 'escape'));
  emitOperand(rw, i + 1, escapeAt);
  if (escapeAt < to) {
    rw.copy(escapeAt);
    emitOperand(rw, escapeAt + 1, to);
  }
  return to;
}

function emitOperand(rw: Rewriter, from: number, to: number): void {
  if (to === from + 1 && rw.ts.tok(from)?.kind === 'string') {
    rw.expr(from, to);
    return;
  }
  rw.synth('__shoal_paren', rw.ts.start(from));
  rw.synth('(', rw.ts.start(from));
  rw.expr(from, to);
  rw.synth(')', rw.ts.end(to - 1));
}

/** `IS` at i: `IS [NOT] DISTINCT FROM` becomes `~` / `!~` (same precedence as `=` in the grammar). */
function isPredicate(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  const not = ts.isKw(i + 1, 'not');
  const d = not ? i + 2 : i + 1;
  if (ts.isKw(d, 'distinct') && ts.isKw(d + 1, 'from')) {
    // The grammar's `~` takes only a primary on the right; Trino any value expression.
    rw.synthSpan(not ? '!~' : '~', ts.start(i), ts.end(d + 1));
    if (d + 2 >= to) throw rw.errorAt(to, 'Expected a value after IS DISTINCT FROM');
    emitOperand(rw, d + 2, to);
    return to;
  }
  rw.copy(i);
  return i + 1;
}

function afterIs(rw: Rewriter, i: number): boolean {
  return rw.ts.isKw(i - 1, 'is') || (rw.ts.isKw(i - 1, 'not') && rw.ts.isKw(i - 2, 'is'));
}

/** `primary AT TIME ZONE zone` becomes `__shoal_tz(primary, zone)`; the zone is one primary. */
function atTimeZone(rw: Rewriter, i: number, to: number, st: SeqState): number {
  const ts = rw.ts;
  if (st.primStart < 0) throw rw.errorAt(i);
  rw.wrapFrom(st.primStart, ['__shoal_tz', '(']);
  rw.synthSpan(',', ts.start(i), ts.end(i + 2));
  const zoneStart = i + 3;
  const zoneEnd = primaryExtent(ts, zoneStart, to);
  if (zoneEnd <= zoneStart) throw rw.errorAt(zoneStart, "Expected a time zone, e.g. AT TIME ZONE 'UTC'");
  rw.expr(zoneStart, zoneEnd);
  rw.synth(')', rw.lastEnd());
  return zoneEnd;
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
