import type { TableColumn } from '../table-renderer.js';

/**
 * Vertical (expanded, `\x`) output as psql and the Trino CLI print it: one block per row, `name | value` per
 * column, names padded to the widest. NULL is shown as NULL.
 */
export function renderVertical(cols: readonly TableColumn[], rows: readonly (readonly (string | null)[])[], totalRows: number): string {
  const w = Math.max(0, ...cols.map((c) => c.name.length));
  let out = '';
  rows.forEach((row, r) => {
    out += `-[ RECORD ${r + 1} ]${'-'.repeat(Math.max(0, w - 8))}\n`;
    cols.forEach((c, i) => {
      out += `${c.name.padEnd(w)} | ${(row[i] ?? 'NULL').replace(/\r?\n/g, '↵')}\n`;
    });
  });
  if (totalRows > rows.length) out += `… ${totalRows - rows.length} more rows\n`;
  return `${out}(${totalRows} row${totalRows === 1 ? '' : 's'})\n`;
}
