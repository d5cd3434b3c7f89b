/**
 * Property test for precedence: random expression trees, written with the fewest parentheses Trino's
 * precedence needs (OR < AND < NOT < predicates < || < + - < * / % < unary - < AT TIME ZONE < primaries), must
 * parse back into the same tree. node-sql-parser alone gets several of these wrong (AND/OR, IN, ||, LIKE,
 * IS DISTINCT FROM), which is why the rewrite takes those layers out of its hands.
 */
import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../src/sql/index.js';
import { expr as printExpr } from './ast-print.js';

/** A generated expression: its SQL text (parenthesised as needed for a context of at least `min`), the
 * printer's rendering of the intended tree, and its precedence level (higher binds tighter). */
interface Gen {
  sql: (min: number) => string;
  want: string;
  level: number;
}

const OR = 1, AND = 2, NOT = 3, PRED = 4, CONCAT = 5, ADD = 6, MUL = 7, UNARY = 8, PRIMARY = 9;

let seed = 1;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error('empty choice');
  return x;
}

/** `n` in a position that needs at least level `min`. */
const at = (n: Gen, min: number): string => (n.level < min ? `(${n.sql(0)})` : n.sql(min));
const node = (sql: string, want: string, level: number): Gen => ({ sql: () => sql, want, level });

function leaf(): Gen {
  const r = rnd();
  if (r < 0.4) {
    const c = pick(['a', 'b', 't.x', 'year', 'zone', '"Q"']);
    return node(c, c, PRIMARY);
  }
  if (r < 0.6) {
    const v = String(Math.floor(rnd() * 100));
    return node(v, `integer:${v}`, PRIMARY);
  }
  if (r < 0.75) return node("'s'", "'s'", PRIMARY);
  if (r < 0.85) return node('true', 'true', PRIMARY);
  return node("DATE '2020-01-01'", "date'2020-01-01'", PRIMARY);
}

/** A left-associative binary operator at `level`. */
function binary(d: number, op: string, level: number): Gen {
  const l = gen(d - 1);
  const r = gen(d - 1);
  return node(`${at(l, level)} ${op} ${at(r, level + 1)}`, `(${l.want} ${op.toLowerCase()} ${r.want})`, level);
}

function gen(d: number): Gen {
  if (d <= 0 || rnd() < 0.15) return leaf();
  const x = (): Gen => gen(d - 1);
  switch (Math.floor(rnd() * 22)) {
    case 0:
      return binary(d, 'OR', OR);
    case 1:
      return binary(d, 'AND', AND);
    case 2: {
      const e = x();
      const want = e.want === '(exists {select integer:1})' ? '(not exists {select integer:1})' : `(not ${e.want})`;
      return node(`NOT ${at(e, NOT)}`, want, NOT);
    }
    case 3: {
      const [l, r, op] = [x(), x(), pick(['=', '<', '<>', '>='])];
      return node(`${at(l, CONCAT)} ${op} ${at(r, CONCAT)}`, `(${l.want} ${op} ${r.want})`, PRED);
    }
    case 4: {
      const [e, neg] = [x(), rnd() < 0.5];
      return node(`${at(e, CONCAT)} IS ${neg ? 'NOT ' : ''}NULL`, `(${e.want} is ${neg ? 'not ' : ''}null)`, PRED);
    }
    case 5: {
      const [e, lo, hi, neg] = [x(), x(), x(), rnd() < 0.5];
      const kw = neg ? 'not between' : 'between';
      return node(`${at(e, CONCAT)} ${kw.toUpperCase()} ${at(lo, CONCAT)} AND ${at(hi, CONCAT)}`, `(${e.want} ${kw} ${lo.want} and ${hi.want})`, PRED);
    }
    case 6: {
      const [e, a, b, neg] = [x(), x(), x(), rnd() < 0.5];
      return node(`${at(e, CONCAT)} ${neg ? 'NOT ' : ''}IN (${a.sql(0)}, ${b.sql(0)})`, `(${e.want} ${neg ? 'not ' : ''}in [${a.want}, ${b.want}])`, PRED);
    }
    case 7: {
      const [e, p] = [x(), x()];
      return node(`${at(e, CONCAT)} LIKE ${at(p, CONCAT)}`, `(${e.want} like ${p.want})`, PRED);
    }
    case 8: {
      const [l, r, neg] = [x(), x(), rnd() < 0.5];
      return node(`${at(l, CONCAT)} IS ${neg ? 'NOT ' : ''}DISTINCT FROM ${at(r, CONCAT)}`, `(${l.want} ${neg ? 'is_not_distinct_from' : 'is_distinct_from'} ${r.want})`, PRED);
    }
    case 9:
      return binary(d, '||', CONCAT);
    case 10:
      return binary(d, pick(['+', '-']), ADD);
    case 11:
      return binary(d, pick(['*', '/', '%']), MUL);
    case 12: {
      const e = x();
      return node(`- ${at(e, UNARY)}`, `(- ${e.want})`, UNARY);
    }
    case 13: {
      const e = x();
      return node(`${at(e, PRIMARY)} AT TIME ZONE 'UTC'`, `(${e.want} at time zone 'UTC')`, UNARY);
    }
    case 14: {
      const [a, b] = [x(), x()];
      return node(`f(${a.sql(0)}, ${b.sql(0)})`, `f(${a.want}, ${b.want})`, PRIMARY);
    }
    case 15: {
      const [c, t, e] = [x(), x(), x()];
      return node(`CASE WHEN ${c.sql(0)} THEN ${t.sql(0)} ELSE ${e.sql(0)} END`, `case(${c.want} => ${t.want}; else ${e.want})`, PRIMARY);
    }
    case 16: {
      const [o, w, t] = [x(), x(), x()];
      return node(`CASE ${o.sql(0)} WHEN ${w.sql(0)} THEN ${t.sql(0)} END`, `case(${o.want}; ${w.want} => ${t.want})`, PRIMARY);
    }
    case 17: {
      const e = x();
      return node(`CAST(${e.sql(0)} AS int)`, `cast(${e.want} as int)`, PRIMARY);
    }
    case 18: {
      const e = x();
      return node(`${at(e, PRIMARY)}::varchar`, `cast(${e.want} as varchar)`, PRIMARY);
    }
    case 19: {
      const [e, i] = [x(), x()];
      return node(`${at(e, PRIMARY)}[${i.sql(0)}]`, `${e.want}[${i.want}]`, PRIMARY);
    }
    case 20: {
      const e = x();
      return node(`${at(e, CONCAT)} IN (SELECT 1)`, `(${e.want} in {select integer:1})`, PRED);
    }
    default:
      return node('EXISTS (SELECT 1)', '(exists {select integer:1})', PRIMARY);
  }
}

describe('precedence (random expressions)', () => {
  it('parses 600 random expressions into the intended trees', () => {
    const failures: string[] = [];
    for (let i = 0; i < 600; i++) {
      const n = gen(4);
      const text = n.sql(0);
      const st = parseStatement(`SELECT ${text} FROM t`);
      const item = st.kind === 'query' && st.query.body.kind === 'select' ? st.query.body.items[0] : undefined;
      const got = item?.kind === 'expr' ? printExpr(item.expr) : '';
      if (got !== n.want) failures.push(`${text}\n  got  ${got}\n  want ${n.want}`);
    }
    expect(failures).toEqual([]);
  });
});
