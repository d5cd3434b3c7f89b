/**
 * Query structure for the rewrite: WITH, query terms joined by set operations, ORDER BY/LIMIT/OFFSET/FETCH,
 * and the clauses of a SELECT. Every expression inside (select items, WHERE, GROUP BY, HAVING, ORDER BY) is
 * handed to `Rewriter.expr`, so the boolean layer is never left to the grammar.
 */
import { NILADIC, RESERVED } from './keywords.js';
import { emitGroupingSets } from './rewrite-calls.js';
import { emitFrom, emitValuesQuery, emitWindowClause, emitWith } from './rewrite-clauses.js';
import { emitFetch, emitLimitOrOffset } from './rewrite-literals.js';
import type { Rewriter } from './rewrite.js';

export function emitQuery(rw: Rewriter, from: number, to: number): void {
  const ts = rw.ts;
  let i = from;
  if (ts.isKw(i, 'with')) i = emitWith(rw, i, to);
  for (;;) {
    i = emitTerm(rw, i, to);
    if (i < to && ts.isKw(i, 'union', 'intersect', 'except')) {
      rw.copy(i);
      i++;
      if (ts.isKw(i, 'all', 'distinct')) {
        // The grammar knows UNION ALL but not INTERSECT/EXCEPT ALL; the adapter reads the modifier back from
        // the tokens after the left operand.
        if (ts.isKw(i - 1, 'union')) rw.copy(i);
        i++;
      }
      continue;
    }
    break;
  }
  i = emitTail(rw, i, to);
  if (i < to) throw rw.errorAt(i);
}

function emitTerm(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  if (i >= to) throw rw.errorAt(i, 'Expected SELECT, VALUES or a parenthesized query');
  if (ts.isKw(i, 'select')) return emitSelect(rw, i, to);
  if (ts.isKw(i, 'values')) return emitValuesQuery(rw, i, to);
  if (ts.isKw(i, 'table') && ts.isName(i + 1)) {
    // TABLE t is SELECT * FROM t.
    rw.synthSpan('SELECT', ts.start(i), ts.end(i));
    rw.synth('*', ts.end(i));
    rw.synth('FROM', ts.end(i));
    return emitFrom(rw, i, to, false);
  }
  if (ts.isOp(i, '(') && rw.isQueryGroup(i)) {
    const close = ts.match(i);
    rw.copy(i);
    if (ts.findTop(i + 1, close, (k) => ts.isKw(k, 'union', 'intersect', 'except')) < close) {
      // The grammar cannot parse a parenthesised set operation as a query term, but it can in FROM:
      // (q1 UNION q2) becomes (SELECT * FROM (q1 UNION q2) AS <wrapper>), which the adapter unwraps.
      for (const text of ['SELECT', '*', 'FROM', '(']) rw.synth(text, ts.start(i + 1));
      rw.query(i + 1, close);
      rw.synth(')', ts.end(close - 1));
      rw.synth('AS', ts.end(close - 1));
      rw.tables.idents.push({ value: 'query', quoted: false, span: ts.spanOf(i + 1, close - 1), wrapper: 'query' });
      rw.synth(`__i${rw.tables.idents.length - 1}__`, ts.end(close - 1));
    } else {
      rw.query(i + 1, close);
    }
    rw.copy(close);
    return close + 1;
  }
  throw rw.errorAt(i, 'Expected SELECT, VALUES or a parenthesized query');
}

/** ORDER BY, OFFSET, LIMIT and FETCH after the query body, in any order. */
function emitTail(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  while (i < to) {
    if (ts.isKw(i, 'order') && ts.isKw(i + 1, 'by')) {
      const end = ts.findTop(i + 2, to, (k) => isTailStart(rw, k));
      if (end <= i + 2) throw rw.errorAt(i + 2, 'Expected an expression after ORDER BY');
      rw.copy(i);
      rw.copy(i + 1);
      rw.orderItems(i + 2, end);
      i = end;
    } else if (ts.isKw(i, 'limit', 'offset')) {
      const j = emitLimitOrOffset(rw, i);
      if (j === i) throw rw.errorAt(i + 1, ts.isKw(i, 'limit') ? 'Expected LIMIT n or LIMIT ALL' : 'Expected OFFSET n');
      i = j;
    } else if (ts.isKw(i, 'fetch') && ts.isKw(i + 1, 'first', 'next')) {
      i = emitFetch(rw, i, to);
    } else {
      break;
    }
  }
  return i;
}

function isTailStart(rw: Rewriter, k: number): boolean {
  const ts = rw.ts;
  const next = ts.tok(k + 1);
  if (ts.isKw(k, 'limit')) return next?.kind === 'number' || ts.isKw(k + 1, 'all');
  if (ts.isKw(k, 'offset')) return next?.kind === 'number';
  if (ts.isKw(k, 'fetch')) return ts.isKw(k + 1, 'first', 'next');
  return false;
}

/** Where a SELECT term ends: a set operation or the query tail. */
function isTermEnd(rw: Rewriter, k: number): boolean {
  const ts = rw.ts;
  return ts.isKw(k, 'union', 'intersect', 'except') || (ts.isKw(k, 'order') && ts.isKw(k + 1, 'by')) || isTailStart(rw, k);
}

type Clause = 'from' | 'where' | 'group' | 'having' | 'window';

function clauseAt(rw: Rewriter, k: number): Clause | undefined {
  const ts = rw.ts;
  switch (ts.kw(k)) {
    case 'from':
      // not the FROM of IS [NOT] DISTINCT FROM
      return ts.isKw(k - 1, 'distinct') && ts.isKw(k - 2, 'is', 'not') ? undefined : 'from';
    case 'where':
      return 'where';
    case 'group':
      return ts.isKw(k + 1, 'by') ? 'group' : undefined;
    case 'having':
      return 'having';
    case 'window':
      return ts.isName(k + 1) && ts.isKw(k + 2, 'as') ? 'window' : undefined;
    default:
      return undefined;
  }
}

function emitSelect(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  rw.copy(i);
  let j = i + 1;
  if (ts.isKw(j, 'distinct')) {
    rw.copy(j);
    j++;
  } else if (ts.isKw(j, 'all')) {
    j++;
  }
  const end = ts.findTop(j, to, (k) => isTermEnd(rw, k));
  const itemsEnd = ts.findTop(j, end, (k) => clauseAt(rw, k) !== undefined);
  if (itemsEnd <= j) throw rw.errorAt(j, 'The select list is empty');
  emitSelectItems(rw, j, itemsEnd);
  let k = itemsEnd;
  while (k < end) {
    const clause = clauseAt(rw, k);
    const bodyStart = clause === 'group' ? k + 2 : k + 1;
    const next = ts.findTop(bodyStart, end, (x) => clauseAt(rw, x) !== undefined);
    switch (clause) {
      case 'from': {
        const e = emitFrom(rw, k, next);
        if (e !== next) throw rw.errorAt(ts.isKw(e, 'limit', 'offset', 'fetch') ? e + 1 : e, strayHint(rw, e));
        break;
      }
      case 'where':
      case 'having':
        if (bodyStart >= next) throw rw.errorAt(bodyStart, `Expected a condition after ${clause.toUpperCase()}`);
        rw.copy(k);
        rw.expr(bodyStart, next);
        break;
      case 'group':
        rw.copy(k);
        rw.copy(k + 1);
        emitGroupBy(rw, bodyStart, next);
        break;
      case 'window':
        if (emitWindowClause(rw, k, next) !== next) throw rw.errorAt(next);
        break;
      case undefined:
        throw rw.errorAt(k);
    }
    k = next;
  }
  return end;
}

function strayHint(rw: Rewriter, k: number): string | undefined {
  switch (rw.ts.kw(k)) {
    case 'limit':
      return 'Expected LIMIT n or LIMIT ALL';
    case 'offset':
      return 'Expected OFFSET n';
    case 'fetch':
      return 'Expected FETCH FIRST n ROWS ONLY';
    default:
      return undefined;
  }
}

function emitSelectItems(rw: Rewriter, from: number, to: number): void {
  const ts = rw.ts;
  ts.splitTop(from, to).forEach(([a, b], n) => {
    if (n > 0) rw.copy(a - 1);
    if (a >= b) throw rw.errorAt(a, n > 0 ? 'Remove the trailing comma' : undefined);
    if (b === a + 1 && ts.isOp(a, '*')) {
      rw.stars.push(ts.spanOf(a, a));
      rw.copy(a);
      return;
    }
    if (ts.isOp(b - 1, '*') && ts.isOp(b - 2, '.') && isNameChain(rw, a, b - 2)) {
      // t.* and s.t.*: the grammar only takes one name before .*, so the qualifier is one placeholder.
      const parts = [];
      for (let x = a; x < b - 2; x += 2) parts.push(rw.identOf(x));
      const first = parts[0];
      if (first === undefined) throw rw.errorAt(a);
      rw.tables.idents.push({ ...first, qualifier: parts, span: ts.spanOf(a, b - 3) });
      rw.synthSpan(`__i${rw.tables.idents.length - 1}__`, ts.start(a), ts.end(b - 3));
      rw.copy(b - 2);
      rw.copy(b - 1);
      return;
    }
    if (ts.isKw(b - 2, 'as') && ts.isName(b - 1)) {
      rw.expr(a, b - 2);
      rw.copy(b - 2);
      rw.ident(b - 1);
    } else if (hasImplicitAlias(rw, a, b)) {
      rw.expr(a, b - 1);
      rw.synth('AS', ts.start(b - 1));
      rw.ident(b - 1);
    } else {
      rw.expr(a, b);
    }
  });
}

function isNameChain(rw: Rewriter, a: number, b: number): boolean {
  for (let x = a; x < b; x++) {
    if ((x - a) % 2 === 0 ? !rw.ts.isName(x) : !rw.ts.isOp(x, '.')) return false;
  }
  return b > a && (b - a) % 2 === 1;
}

/** Words after which a name continues the expression rather than being an alias. */
const CONTINUING_WORDS = new Set([
  'zone', 'time', 'at', 'to', 'interval', 'over', 'filter', 'within', 'ignore', 'respect', 'nulls', 'escape',
  'preceding', 'following', 'unbounded', 'current', 'row', 'rows', 'range', 'groups', 'precision', 'varying',
]);

/** `expr alias` without AS: the last token is a name and the one before it ends an expression. */
function hasImplicitAlias(rw: Rewriter, a: number, b: number): boolean {
  const ts = rw.ts;
  if (b - a < 2) return false;
  const last = ts.tok(b - 1);
  const prev = ts.tok(b - 2);
  if (last === undefined || prev === undefined) return false;
  if (last.kind === 'word' && (RESERVED.has(ts.kw(b - 1)) || NILADIC.has(ts.kw(b - 1)))) return false;
  if (last.kind !== 'word' && last.kind !== 'qident') return false;
  switch (prev.kind) {
    case 'string':
      // INTERVAL '1' DAY: the unit belongs to the literal
      return !(ts.isKw(b - 3, 'interval') || (ts.isKw(b - 4, 'interval') && (ts.isOp(b - 3, '-') || ts.isOp(b - 3, '+')))) || !/^(year|quarter|month|week|day|hour|minute|second|millisecond)s?$/i.test(last.text);
    case 'number':
    case 'qident':
      return true;
    case 'op':
      return prev.text === ')' || prev.text === ']';
    case 'word': {
      const w = ts.kw(b - 2);
      if (CONTINUING_WORDS.has(w)) return false;
      if (RESERVED.has(w)) return w === 'end' || w === 'null' || w === 'true' || w === 'false' || NILADIC.has(w);
      return true;
    }
    case 'invalid':
      return false;
  }
}

function emitGroupBy(rw: Rewriter, from: number, to: number): void {
  const ts = rw.ts;
  let a = from;
  if (ts.isKw(a, 'distinct')) {
    rw.meta({ kind: 'group_distinct' }, ts.start(a), ts.end(a));
    a++;
    if (a < to) rw.synth(',', ts.end(a - 1));
  } else if (ts.isKw(a, 'all')) {
    a++;
  }
  if (a >= to) throw rw.errorAt(a, 'Expected an expression after GROUP BY');
  ts.splitTop(a, to).forEach(([x, y], n) => {
    if (n > 0) rw.copy(x - 1);
    if (x >= y) throw rw.errorAt(x, 'Remove the trailing comma');
    if (ts.isKw(x, 'grouping') && ts.isKw(x + 1, 'sets')) {
      if (emitGroupingSets(rw, x) !== y) throw rw.errorAt(ts.match(x + 2) + 1);
    } else if (ts.isOp(x, '(') && ts.match(x) === x + 1 && y === x + 2) {
      // GROUP BY () is the grand total: one empty grouping set.
      rw.synthSpan('__shoal_gsets', ts.start(x), ts.end(x + 1));
      rw.synth('(', ts.start(x));
      rw.synth('__shoal_set', ts.start(x));
      rw.copy(x);
      rw.copy(x + 1);
      rw.synth(')', ts.end(x + 1));
    } else {
      rw.expr(x, y);
    }
  });
}
