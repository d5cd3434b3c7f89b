/**
 * Canonical cells for comparing Shoal with DuckDB: NULL stays null; numbers (from any numeric type, decimal
 * strings included) become doubles rounded to 9 significant digits (decimal and double results may differ in
 * the last bits); everything else becomes its text.
 */
export type Cell = null | number | string;

export function normalizeCell(v: unknown, numeric: boolean): Cell {
  if (v === null || v === undefined) return null;
  if (numeric) {
    const n = typeof v === 'number' ? v : Number(String(v));
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    if (n === 0) return 0;
    return Number(n.toPrecision(9));
  }
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function cellKey(c: Cell): string {
  return c === null ? '\u0000NULL' : typeof c === 'number' ? `n:${c}` : `s:${c}`;
}

export function sortRows(rows: Cell[][]): Cell[][] {
  return [...rows].sort((a, b) => {
    const ka = a.map(cellKey).join('\u0001'), kb = b.map(cellKey).join('\u0001');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** A readable first difference between two row lists, or undefined when equal. */
export function firstDifference(actual: readonly Cell[][], expected: readonly Cell[][]): string | undefined {
  if (actual.length !== expected.length) {
    return `row count differs: got ${actual.length}, expected ${expected.length}\nfirst rows got:      ${JSON.stringify(actual.slice(0, 3))}\nfirst rows expected: ${JSON.stringify(expected.slice(0, 3))}`;
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (a.length !== e.length || a.some((c, k) => c !== e[k])) {
      return `row ${i} differs:\n  got      ${JSON.stringify(a)}\n  expected ${JSON.stringify(e)}`;
    }
  }
  return undefined;
}
