/**
 * Clause-level rewrites: FROM (items, joins, aliases), WITH, WINDOW and VALUES.
 *
 * FROM: the grammar reads `a CROSS JOIN b` / `a NATURAL JOIN b` as `a AS cross` + INNER JOIN, and lets an ON
 * condition swallow a following `, c`. So every join gets an explicit condition: `,` → `JOIN c ON '__mK__'`,
 * `CROSS JOIN b` → `JOIN b ON '__mK__'`, `NATURAL [LEFT] JOIN b` → `[LEFT] JOIN b ON '__mK__'`, with meta K
 * telling the adapter which it was. The grammar then returns one flat list that the adapter nests left-deep,
 * starting a new comma-separated item at each comma marker.
 *
 * VALUES as a query (`VALUES (1, 'a'), (2, 'b')`, also after UNION or in INSERT) becomes
 * `SELECT * FROM (VALUES …) AS __iN__` with identifier N marked as the wrapper, which the adapter unwraps.
 */
import { FROM_CLAUSE_END, FROM_ITEM_END, RESERVED } from './keywords.js';
import { emitCall, emitWindowSpec } from './rewrite-calls.js';
import type { Rewriter } from './rewrite.js';
import { notSupported } from './syntax-error.js';

/** `FROM …` at i, up to the end of the clause (before `to` at the latest); `TABLE t` passes copyKeyword false. */
export function emitFrom(rw: Rewriter, i: number, to: number, copyKeyword = true): number {
  const ts = rw.ts;
  if (copyKeyword) rw.copy(i);
  const end = ts.findTop(i + 1, to, (k) => FROM_CLAUSE_END.has(ts.kw(k)));
  if (i + 1 >= end) throw rw.errorAt(i + 1, 'Expected a table, subquery or table function after FROM');
  emitJoinTree(rw, i + 1, end);
  return end;
}

function isJoinStart(rw: Rewriter, k: number): boolean {
  const ts = rw.ts;
  if (ts.isOp(k, ',') || ts.isKw(k, 'join', 'inner', 'cross', 'natural')) return true;
  return ts.isKw(k, 'left', 'right', 'full') && ts.isKw(k + 1, 'join', 'outer');
}

/** Items and joins in tokens [from, end). */
function emitJoinTree(rw: Rewriter, from: number, end: number): void {
  const ts = rw.ts;
  let j = emitFromItem(rw, from, end);
  while (j < end) {
    if (ts.isOp(j, ',')) {
      rw.synthSpan('JOIN', ts.start(j), ts.end(j));
      const after = emitFromItem(rw, j + 1, end);
      rw.synth('ON', ts.end(after - 1));
      rw.meta({ kind: 'join', join: 'comma', span: ts.spanOf(j, j) }, ts.end(after - 1), ts.end(after - 1));
      j = after;
      continue;
    }
    if (ts.isKw(j, 'cross') && ts.isKw(j + 1, 'join')) {
      rw.synthSpan('JOIN', ts.start(j), ts.end(j + 1));
      const after = emitFromItem(rw, j + 2, end);
      rw.synth('ON', ts.end(after - 1));
      rw.meta({ kind: 'join', join: 'cross', span: ts.spanOf(j, j + 1) }, ts.end(after - 1), ts.end(after - 1));
      j = after;
      continue;
    }
    let k = j;
    const natural = ts.isKw(k, 'natural');
    if (natural) k++;
    if (ts.isKw(k, 'inner', 'left', 'right', 'full')) {
      rw.copy(k);
      k++;
      if (ts.isKw(k, 'outer')) {
        rw.copy(k);
        k++;
      }
    }
    if (!ts.isKw(k, 'join')) throw rw.errorAt(k, isJoinStart(rw, j) ? 'Expected JOIN' : 'Expected a join, a comma or the end of the FROM clause');
    rw.copy(k);
    const after = emitFromItem(rw, k + 1, end);
    if (natural) {
      rw.synth('ON', ts.end(after - 1));
      rw.meta({ kind: 'join', join: 'natural', span: ts.spanOf(j, k) }, ts.end(after - 1), ts.end(after - 1));
      j = after;
      continue;
    }
    j = after;
    if (ts.isKw(j, 'on')) {
      rw.copy(j);
      const condEnd = ts.findTop(j + 1, end, (x) => isJoinStart(rw, x));
      rw.expr(j + 1, condEnd);
      j = condEnd;
    } else if (ts.isKw(j, 'using')) {
      rw.copy(j);
      if (!ts.isOp(j + 1, '(')) throw rw.errorAt(j + 1, 'Expected USING (column, ...)');
      j = emitNameList(rw, j + 1);
    }
  }
}

/** One FROM item at j with its alias; returns the index after it. */
function emitFromItem(rw: Rewriter, j: number, end: number): number {
  const ts = rw.ts;
  const t = ts.tok(j);
  if (t === undefined || j >= end) throw rw.errorAt(j, 'Expected a table, subquery or table function');
  if (ts.isKw(j, 'lateral') && ts.isOp(j + 1, '(')) {
    rw.copy(j);
    j++;
  }
  if (ts.isOp(j, '(')) {
    const close = ts.match(j);
    rw.copy(j);
    if (ts.isKw(j + 1, 'values') && valuesRowsEnd(rw, j + 2, close) === close) {
      // (VALUES …) AS t (a, b): the grammar's own VALUES in FROM
      rw.copy(j + 1);
      emitValuesRows(rw, j + 2, close);
    } else if (rw.isQueryGroup(j)) rw.query(j + 1, close);
    else emitJoinTree(rw, j + 1, close);
    rw.copy(close);
    j = close + 1;
  } else if (t.kind === 'string') {
    rw.literal({ type: 'string', value: t.value }, t.start, t.end);
    j++;
  } else if (ts.isName(j) && ts.isOp(j + 1, '(')) {
    const idx = rw.tables.funcs.length;
    j = emitCall(rw, j, { primStart: -1 });
    const entry = rw.tables.funcs[idx];
    if (entry !== undefined && ts.isKw(j, 'with') && ts.isKw(j + 1, 'ordinality')) {
      entry.withOrdinality = true;
      j += 2;
    }
  } else if (ts.isName(j) && !(t.kind === 'word' && RESERVED.has(ts.kw(j)))) {
    rw.ident(j);
    j++;
    while (ts.isOp(j, '.') && ts.isName(j + 1)) {
      rw.copy(j);
      rw.ident(j + 1);
      j += 2;
    }
  } else {
    throw rw.errorAt(j, 'Expected a table, subquery or table function');
  }
  if (ts.isKw(j, 'tablesample')) throw notSupported('TABLESAMPLE is not supported', ts.spanOf(j, j));
  if (ts.isKw(j, 'as')) {
    rw.copy(j);
    if (!ts.isName(j + 1)) throw rw.errorAt(j + 1, 'Expected an alias after AS');
    rw.ident(j + 1);
    j += 2;
    if (ts.isOp(j, '(')) j = emitNameList(rw, j);
  } else if (ts.isName(j) && j < end && !(ts.tok(j)?.kind === 'word' && (FROM_ITEM_END.has(ts.kw(j)) || RESERVED.has(ts.kw(j))))) {
    rw.ident(j);
    j++;
    if (ts.isOp(j, '(')) j = emitNameList(rw, j);
  }
  return j;
}

/** `( name, name, … )` at open; returns the index after the `)`. */
function emitNameList(rw: Rewriter, open: number): number {
  const ts = rw.ts;
  const close = ts.match(open);
  rw.copy(open);
  ts.splitTop(open + 1, close).forEach(([a, b], k) => {
    if (k > 0) rw.copy(a - 1);
    if (b !== a + 1 || !ts.isName(a)) throw rw.errorAt(b === a ? a : a + 1 < b ? a + 1 : a, 'Expected a list of names');
    rw.ident(a);
  });
  rw.copy(close);
  return close + 1;
}

/** `WITH [RECURSIVE] name [(cols)] AS (query), …` at i; returns where the main query body starts. */
export function emitWith(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  rw.copy(i);
  let j = i + 1;
  if (ts.isKw(j, 'recursive')) {
    rw.copy(j);
    j++;
  }
  for (;;) {
    if (!ts.isName(j)) throw rw.errorAt(j, 'Expected the name of a WITH query');
    rw.ident(j);
    j++;
    if (ts.isOp(j, '(')) j = emitNameList(rw, j);
    if (!ts.isKw(j, 'as') || !ts.isOp(j + 1, '(')) throw rw.errorAt(j, 'Expected AS (query) after the name of a WITH query');
    rw.copy(j);
    const close = ts.match(j + 1);
    rw.copy(j + 1);
    rw.query(j + 2, close);
    rw.copy(close);
    j = close + 1;
    if (ts.isOp(j, ',') && j < to) {
      rw.copy(j);
      j++;
      continue;
    }
    break;
  }
  return j;
}

/** `WINDOW w AS (spec), …` at i. */
export function emitWindowClause(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  rw.copy(i);
  let j = i + 1;
  for (;;) {
    rw.ident(j);
    rw.copy(j + 1);
    if (!ts.isOp(j + 2, '(')) throw rw.errorAt(j + 2, 'Expected WINDOW name AS (specification)');
    const close = ts.match(j + 2);
    rw.copy(j + 2);
    const base = emitWindowSpec(rw, j + 3, close);
    if (base !== undefined) throw notSupported('A window definition that refers to another window is not supported', base.span);
    rw.copy(close);
    j = close + 1;
    if (j < to && ts.isOp(j, ',') && ts.isName(j + 1) && ts.isKw(j + 2, 'as')) {
      rw.copy(j);
      j++;
      continue;
    }
    return j;
  }
}

/** A standalone `VALUES …` at i becomes `SELECT * FROM (VALUES …) AS <wrapper>`. */
export function emitValuesQuery(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  const at = ts.start(i);
  rw.synthSpan('SELECT', ts.start(i), ts.end(i));
  for (const text of ['*', 'FROM', '(']) rw.synth(text, at);
  rw.copy(i);
  const end = emitValuesRows(rw, i + 1, to);
  rw.synth(')', ts.end(end - 1));
  rw.synth('AS', ts.end(end - 1));
  rw.tables.idents.push({ value: 'values', quoted: false, span: ts.spanOf(i, end - 1), wrapper: 'values' });
  rw.synth(`__i${rw.tables.idents.length - 1}__`, ts.end(end - 1));
  return end;
}

/** Where the rows after VALUES starting at j end (without emitting anything). */
function valuesRowsEnd(rw: Rewriter, j: number, to: number): number {
  const ts = rw.ts;
  for (;;) {
    if (j >= to) return j;
    if (ts.isOp(j, '(')) j = ts.match(j) + 1;
    else j = ts.findTop(j, to, (k) => ts.isOp(k, ',') || ts.isKw(k, 'order', 'limit', 'offset', 'fetch', 'union', 'intersect', 'except'));
    if (j < to && ts.isOp(j, ',')) {
      j++;
      continue;
    }
    return j;
  }
}

/** Rows after VALUES from j: `(a, b), (c, d)` or `a, b`; each row is emitted parenthesised. */
function emitValuesRows(rw: Rewriter, j: number, to: number): number {
  const ts = rw.ts;
  for (;;) {
    if (j >= to) throw rw.errorAt(j, 'Expected a row after VALUES');
    if (ts.isOp(j, '(') && !rw.isQueryGroup(j)) {
      const close = ts.match(j);
      rw.copy(j);
      if (close === j + 1) throw rw.errorAt(close);
      rw.exprList(j + 1, close);
      rw.copy(close);
      j = close + 1;
    } else {
      const rowEnd = ts.findTop(j, to, (k) => ts.isOp(k, ',') || ts.isKw(k, 'order', 'limit', 'offset', 'fetch', 'union', 'intersect', 'except'));
      rw.synth('(', ts.start(j));
      rw.expr(j, rowEnd);
      rw.synth(')', ts.end(rowEnd - 1));
      j = rowEnd;
    }
    if (j < to && ts.isOp(j, ',')) {
      rw.copy(j);
      j++;
      continue;
    }
    return j;
  }
}
