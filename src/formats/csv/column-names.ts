/**
 * Column names as DuckDB makes them: an empty header name becomes `column<i>` (its 0-based position), and a
 * name already taken (compared case-insensitively, as Shoal looks columns up) gets `_1`, `_2`, … appended.
 * Without a header the names are column0, column1, …
 */
export function uniqueColumnNames(raw: readonly string[]): string[] {
  const used = new Set<string>();
  return raw.map((name, i) => {
    let out = name === '' ? `column${i}` : name;
    if (used.has(out.toLowerCase())) {
      let k = 1;
      while (used.has(`${out}_${k}`.toLowerCase())) k++;
      out = `${out}_${k}`;
    }
    used.add(out.toLowerCase());
    return out;
  });
}

export function positionalColumnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column${i}`);
}
