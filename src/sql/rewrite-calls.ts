/**
 * Function-call rewrites. Every call `f(args)` becomes `__fN__(args)`, a call the grammar parses generically
 * (with a location). What the grammar only accepts on its built-in aggregates, or not at all, is carried by
 * `__shoal_*` calls around it, which the adapter folds back into one FunctionCallExpr:
 *
 *   f(DISTINCT x)                  DISTINCT recorded in the function table
 *   f(x ORDER BY y), WITHIN GROUP  __shoal_within(f(x), row_number() OVER (ORDER BY y))
 *   f(x) FILTER (WHERE c)          __shoal_filter(f(x), c)
 *   f(x) IGNORE|RESPECT NULLS      recorded in the function table
 *   f(x) OVER (spec) / OVER w      __shoal_over(f(x), row_number() OVER (spec), '__mK__')   (K: span, base window)
 *   x -> body, (a, b) -> body      __shoal_lambda(x, body), __shoal_lambda(a, b, body)
 *   name => value                  __shoal_named(name, value)
 *   CAST/TRY_CAST(x AS t)          CAST(__shoal_paren(x) AS <type N>)   (TRY recorded with the type)
 *   EXTRACT(f FROM x)              __shoal_extract('__mK__', x)
 *   substring(x FROM a FOR b), position(a IN b), trim(LEADING c FROM s)   plain calls substring(x, a, b),
 *                                  position(a, b), ltrim(s, c)
 *   ARRAY[a, b]                    __shoal_array(a, b)
 *   GROUPING SETS ((a, b), ())     __shoal_gsets(__shoal_set(a, b), __shoal_set())
 *   current_date                   __fN__()
 */
import { FRAME_BASE, type FuncEntry, type IdentEntry } from './tables.js';
import type { Rewriter, SeqState } from './rewrite.js';

const FRAME_WORDS = ['rows', 'range', 'groups'];

/** The call whose name is at i (a `(` follows). Returns the index after the call and its postfix clauses. */
export function emitCall(rw: Rewriter, i: number, st: SeqState): number {
  const ts = rw.ts;
  const open = i + 1;
  const close = ts.match(open);
  if (close < 0) throw rw.errorAt(open);
  const name = ts.kw(i);
  switch (name) {
    case 'cast':
    case 'try_cast':
      return emitCast(rw, i, close, name === 'try_cast');
    case 'extract':
      return emitExtract(rw, i, close);
    case 'trim': {
      const fromAt = ts.findTop(open + 1, close, (k) => ts.isKw(k, 'from'));
      if (fromAt < close) return emitTrim(rw, i, close, fromAt);
      break;
    }
    default:
      break;
  }
  const start = rw.out.length;
  const entry = pushFunc(rw, i, close);
  rw.copy(open);
  let a = open + 1;
  if (ts.isKw(a, 'distinct')) {
    entry.distinct = true;
    a++;
  } else if (ts.isKw(a, 'all')) {
    a++;
  }
  const orderAt = ts.findTop(a, close, (k) => ts.isKw(k, 'order') && ts.isKw(k + 1, 'by'));
  let isSep = (k: number): boolean => ts.isOp(k, ',');
  if (name === 'substring') isSep = (k) => ts.isOp(k, ',') || ts.isKw(k, 'from', 'for');
  if (name === 'position') isSep = (k) => ts.isOp(k, ',') || ts.isKw(k, 'in');
  emitArgs(rw, a, orderAt, isSep);
  rw.copy(close);
  if (orderAt < close) emitWithin(rw, start, orderAt, close);
  let j = close + 1;
  for (;;) {
    if (ts.isKw(j, 'within') && ts.isKw(j + 1, 'group') && ts.isOp(j + 2, '(') && ts.isKw(j + 3, 'order')) {
      const c = ts.match(j + 2);
      emitWithin(rw, start, j + 3, c);
      j = c + 1;
    } else if (ts.isKw(j, 'filter') && ts.isOp(j + 1, '(') && ts.isKw(j + 2, 'where')) {
      const c = ts.match(j + 1);
      rw.wrapFrom(start, ['__shoal_filter', '(']);
      rw.synthSpan(',', ts.start(j), ts.end(j + 2));
      rw.expr(j + 3, c);
      rw.synth(')', ts.end(c));
      j = c + 1;
    } else if (ts.isKw(j, 'ignore', 'respect') && ts.isKw(j + 1, 'nulls')) {
      entry.nullTreatment = ts.kw(j) === 'ignore' ? 'ignore' : 'respect';
      j += 2;
    } else if (ts.isKw(j, 'over') && (ts.isOp(j + 1, '(') || ts.isName(j + 1))) {
      j = emitOver(rw, start, j);
      break;
    } else {
      break;
    }
  }
  st.primStart = start;
  return j;
}

function pushFunc(rw: Rewriter, i: number, close: number, nameOverride?: string): FuncEntry {
  const ts = rw.ts;
  const id = rw.identOf(i);
  const entry: FuncEntry = {
    name: nameOverride === undefined ? id : { ...id, value: nameOverride },
    span: ts.spanOf(i, close),
    distinct: false,
    withOrdinality: false,
  };
  rw.tables.funcs.push(entry);
  rw.synthSpan(`__f${rw.tables.funcs.length - 1}__`, ts.start(i), ts.end(i));
  return entry;
}

/** Arguments in [from, to), split by `isSep` at the top level; lambdas and named arguments are wrapped. */
function emitArgs(rw: Rewriter, from: number, to: number, isSep: (k: number) => boolean): void {
  const ts = rw.ts;
  if (from >= to) return;
  const parts = ts.splitTop(from, to, isSep);
  parts.forEach(([a, b], k) => {
    if (k > 0) rw.synthSpan(',', ts.start(a - 1), ts.end(a - 1));
    if (b === a + 1 && ts.isOp(a, '*')) {
      rw.copy(a);
      return;
    }
    const params = lambdaParams(rw, a, b);
    if (params !== undefined) {
      rw.synth('__shoal_lambda', ts.start(a));
      rw.synth('(', ts.start(a));
      for (const p of params.names) {
        rw.ident(p);
        rw.synth(',', ts.end(p));
      }
      rw.expr(params.body, b);
      rw.synth(')', ts.end(b - 1));
      return;
    }
    if (ts.isName(a) && ts.isOp(a + 1, '=>')) {
      rw.synth('__shoal_named', ts.start(a));
      rw.synth('(', ts.start(a));
      rw.ident(a);
      rw.synthSpan(',', ts.start(a + 1), ts.end(a + 1));
      rw.expr(a + 2, b);
      rw.synth(')', ts.end(b - 1));
      return;
    }
    rw.expr(a, b);
  });
}

/** `x ->` or `(a, b) ->` at the start of an argument: the parameter tokens and where the body starts. */
function lambdaParams(rw: Rewriter, a: number, b: number): { names: number[]; body: number } | undefined {
  const ts = rw.ts;
  if (ts.isName(a) && ts.isOp(a + 1, '->')) return { names: [a], body: a + 2 };
  if (ts.isOp(a, '(')) {
    const c = ts.match(a);
    if (c < 0 || !ts.isOp(c + 1, '->') || c + 2 >= b) return undefined;
    const names: number[] = [];
    for (let k = a + 1; k < c; k += 2) {
      if (!ts.isName(k)) throw rw.errorAt(k, 'Lambda parameters must be names: (a, b) -> ...');
      names.push(k);
      if (k + 1 < c && !ts.isOp(k + 1, ',')) throw rw.errorAt(k + 1, 'Lambda parameters must be names: (a, b) -> ...');
    }
    return { names, body: c + 2 };
  }
  return undefined;
}

/** Wraps the call emitted from output position `start` with ORDER BY items in tokens [orderAt, close). */
function emitWithin(rw: Rewriter, start: number, orderAt: number, close: number): void {
  const ts = rw.ts;
  rw.wrapFrom(start, ['__shoal_within', '(']);
  rw.synth(',', ts.start(orderAt));
  rw.synth('row_number', ts.start(orderAt));
  rw.synth('(', ts.start(orderAt));
  rw.synth(')', ts.start(orderAt));
  rw.synth('OVER', ts.start(orderAt));
  rw.synth('(', ts.start(orderAt));
  rw.copy(orderAt);
  rw.copy(orderAt + 1);
  if (orderAt + 2 >= close) throw rw.errorAt(close);
  rw.orderItems(orderAt + 2, close);
  rw.synth(')', ts.end(close - 1));
  rw.synth(')', ts.end(close - 1));
}

/** `OVER (spec)` or `OVER w` at j, after the call emitted from output position `start`. */
function emitOver(rw: Rewriter, start: number, j: number): number {
  const ts = rw.ts;
  rw.wrapFrom(start, ['__shoal_over', '(']);
  rw.synth(',', ts.start(j));
  for (const text of ['row_number', '(', ')']) rw.synth(text, ts.start(j));
  rw.copy(j);
  let end: number;
  let base: IdentEntry | undefined;
  if (ts.isOp(j + 1, '(')) {
    const close = ts.match(j + 1);
    rw.copy(j + 1);
    base = emitWindowSpec(rw, j + 2, close);
    rw.copy(close);
    end = close + 1;
  } else {
    base = rw.identOf(j + 1);
    rw.synth('(', ts.end(j + 1));
    rw.synth(')', ts.end(j + 1));
    end = j + 2;
  }
  rw.synth(',', ts.end(end - 1));
  rw.meta({ kind: 'over', span: ts.spanOf(j, end - 1), baseWindow: base }, ts.start(j), ts.end(end - 1));
  rw.synth(')', ts.end(end - 1));
  return end;
}

/**
 * The inside of a window specification, tokens [from, to): `[base] [PARTITION BY …] [ORDER BY …] [frame]`.
 * The frame is replaced by a sentinel frame carrying its index; returns the base window name, if any.
 */
export function emitWindowSpec(rw: Rewriter, from: number, to: number): IdentEntry | undefined {
  const ts = rw.ts;
  let a = from;
  let base: IdentEntry | undefined;
  if (a < to && ts.isName(a) && !ts.isKw(a, 'partition', 'order', ...FRAME_WORDS)) {
    base = rw.identOf(a);
    a++;
  }
  const frameAt = ts.findTop(a, to, (k) => ts.isKw(k, ...FRAME_WORDS));
  const orderAt = ts.findTop(a, frameAt, (k) => ts.isKw(k, 'order') && ts.isKw(k + 1, 'by'));
  if (a < orderAt) {
    if (!ts.isKw(a, 'partition') || !ts.isKw(a + 1, 'by') || a + 2 >= orderAt) throw rw.errorAt(a, 'Expected PARTITION BY, ORDER BY or a frame in the window specification');
    rw.copy(a);
    rw.copy(a + 1);
    rw.exprList(a + 2, orderAt);
  }
  if (orderAt < frameAt) {
    if (orderAt + 2 >= frameAt) throw rw.errorAt(orderAt + 2);
    rw.copy(orderAt);
    rw.copy(orderAt + 1);
    rw.orderItems(orderAt + 2, frameAt);
  }
  if (frameAt < to) {
    rw.tables.frames.push({ from: frameAt, to, span: ts.spanOf(frameAt, to - 1) });
    rw.synthSpan(`ROWS BETWEEN ${FRAME_BASE + rw.tables.frames.length - 1} PRECEDING AND CURRENT ROW`, ts.start(frameAt), ts.end(to - 1));
  }
  return base;
}

function emitCast(rw: Rewriter, i: number, close: number, tryCast: boolean): number {
  const ts = rw.ts;
  const asAt = ts.findTop(i + 2, close, (k) => ts.isKw(k, 'as'));
  if (asAt >= close) throw rw.errorAt(close, `Expected ${tryCast ? 'TRY_CAST' : 'CAST'}(value AS type)`);
  if (asAt === i + 2) throw rw.errorAt(asAt);
  rw.synthSpan('CAST', ts.start(i), ts.end(i));
  rw.copy(i + 1);
  rw.synth('__shoal_paren', ts.start(i + 2));
  rw.synth('(', ts.start(i + 2));
  rw.expr(i + 2, asAt);
  rw.synth(')', ts.end(asAt - 1));
  rw.copy(asAt);
  rw.type(asAt + 1, close, tryCast, { start: ts.start(i), end: ts.end(close) });
  rw.copy(close);
  return close + 1;
}

function emitExtract(rw: Rewriter, i: number, close: number): number {
  const ts = rw.ts;
  const field = ts.tok(i + 2);
  if (field === undefined || !ts.isName(i + 2) || !ts.isKw(i + 3, 'from') || i + 4 >= close) {
    throw rw.errorAt(i + 2, 'Expected EXTRACT(field FROM value)');
  }
  rw.synthSpan('__shoal_extract', ts.start(i), ts.end(i));
  rw.copy(i + 1);
  const value = field.kind === 'qident' ? field.value.toLowerCase() : field.text.toLowerCase();
  rw.meta({ kind: 'extract_field', field: value, span: ts.spanOf(i + 2, i + 2) }, field.start, field.end);
  rw.synthSpan(',', ts.start(i + 3), ts.end(i + 3));
  rw.expr(i + 4, close);
  rw.copy(close);
  return close + 1;
}

/** `trim([BOTH|LEADING|TRAILING] [chars] FROM s)` becomes `trim|ltrim|rtrim(s[, chars])`. */
function emitTrim(rw: Rewriter, i: number, close: number, fromAt: number): number {
  const ts = rw.ts;
  let a = i + 2;
  let name = 'trim';
  if (ts.isKw(a, 'both', 'leading', 'trailing')) {
    name = ts.kw(a) === 'leading' ? 'ltrim' : ts.kw(a) === 'trailing' ? 'rtrim' : 'trim';
    a++;
  }
  if (fromAt + 1 >= close) throw rw.errorAt(close, 'Expected trim([BOTH | LEADING | TRAILING] [characters] FROM value)');
  pushFunc(rw, i, close, name);
  rw.copy(i + 1);
  rw.expr(fromAt + 1, close);
  if (a < fromAt) {
    rw.synthSpan(',', ts.start(fromAt), ts.end(fromAt));
    rw.expr(a, fromAt);
  }
  rw.copy(close);
  return close + 1;
}

/** `current_date`, `current_timestamp`, … without parentheses: a call with no arguments. */
export function emitNiladic(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  const entry: FuncEntry = { name: rw.identOf(i), span: ts.spanOf(i, i), distinct: false, withOrdinality: false };
  rw.tables.funcs.push(entry);
  rw.synthSpan(`__f${rw.tables.funcs.length - 1}__`, ts.start(i), ts.end(i));
  rw.synth('(', ts.end(i));
  rw.synth(')', ts.end(i));
  return i + 1;
}

/** `ARRAY[a, b]` at i. */
export function emitArrayConstructor(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  const close = ts.match(i + 1);
  rw.synthSpan('__shoal_array', ts.start(i), ts.end(i));
  rw.synthSpan('(', ts.start(i + 1), ts.end(i + 1));
  if (close > i + 2) rw.exprList(i + 2, close);
  rw.synthSpan(')', ts.start(close), ts.end(close));
  return close + 1;
}

/** `GROUPING SETS (…)` at i. */
export function emitGroupingSets(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  const open = i + 2;
  if (!ts.isOp(open, '(')) throw rw.errorAt(open, 'Expected GROUPING SETS ((a, b), (a), ())');
  const close = ts.match(open);
  rw.synthSpan('__shoal_gsets', ts.start(i), ts.end(i + 1));
  rw.copy(open);
  ts.splitTop(open + 1, close).forEach(([a, b], k) => {
    if (k > 0) rw.copy(a - 1);
    if (a >= b) throw rw.errorAt(a);
    rw.synth('__shoal_set', ts.start(a));
    if (ts.isOp(a, '(') && ts.match(a) === b - 1) {
      rw.copy(a);
      if (b - 1 > a + 1) rw.exprList(a + 1, b - 1);
      rw.copy(b - 1);
    } else {
      rw.synth('(', ts.start(a));
      rw.expr(a, b);
      rw.synth(')', ts.end(b - 1));
    }
  });
  rw.copy(close);
  return close + 1;
}
