/** A column as tables show it: name, type name, and whether to right-align. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly numeric: boolean;
}

export interface TableOptions {
  /** Rows the query returned (more than `rows.length` when truncated). */
  readonly totalRows: number;
  /** Terminal width: wider tables drop columns from the right and say so. */
  readonly width?: number | undefined;
}

const NULL_TEXT = 'NULL';

/** Display width of a string (wide East Asian characters count two). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)) ? 2 : 1;
  }
  return w;
}

function clean(s: string): string {
  return s.replace(/\r?\n/g, '↵').replace(/\t/g, ' ');
}

const MAX_CELL = 60;

function fit(s: string): string {
  if (displayWidth(s) <= MAX_CELL) return s;
  return `${[...s].slice(0, MAX_CELL - 1).join('')}…`;
}

/**
 * A boxed table: header, aligned columns (numbers right-aligned), NULL shown as NULL, then a row count. Cells
 * longer than 60 characters are cut with an ellipsis; columns that do not fit the width are left out with a note.
 */
export function renderTable(fields: readonly TableColumn[], rows: readonly (readonly (string | null)[])[], o: TableOptions): string {
  if (fields.length === 0) return '';
  const cells = rows.map((r) => r.map((v) => (v === null ? NULL_TEXT : fit(clean(v)))));
  const heads = fields.map((f) => fit(clean(f.name)));
  const types = fields.map((f) => f.type);
  let widths = fields.map((_, i) => Math.max(displayWidth(heads[i]!), displayWidth(types[i]!), ...cells.map((r) => displayWidth(r[i]!))));
  let shown = fields.length;
  if (o.width !== undefined) {
    let total = 1;
    for (shown = 0; shown < fields.length; shown++) {
      const next = total + widths[shown]! + 3;
      if (next > o.width && shown > 0) break;
      total = next;
    }
  }
  widths = widths.slice(0, shown);
  const pad = (s: string, w: number, right: boolean): string => {
    const gap = ' '.repeat(Math.max(0, w - displayWidth(s)));
    return right ? gap + s : s + gap;
  };
  const line = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}\n`;
  let out = line('┌', '┬', '┐');
  out += `│${heads.slice(0, shown).map((h, i) => ` ${pad(h, widths[i]!, false)} `).join('│')}│\n`;
  out += `│${types.slice(0, shown).map((t, i) => ` ${pad(t, widths[i]!, false)} `).join('│')}│\n`;
  out += line('├', '┼', '┤');
  for (const r of cells) {
    out += `│${r.slice(0, shown).map((c, i) => ` ${pad(c, widths[i]!, fields[i]!.numeric && c !== NULL_TEXT)} `).join('│')}│\n`;
  }
  out += line('└', '┴', '┘');
  const notes: string[] = [];
  if (o.totalRows > rows.length) notes.push(`… ${o.totalRows - rows.length} more rows`);
  if (shown < fields.length) notes.push(`${fields.length - shown} more columns not shown (${fields.slice(shown).map((f) => f.name).join(', ')}); use --format csv or \\x`);
  notes.push(`(${o.totalRows} row${o.totalRows === 1 ? '' : 's'})`);
  return out + notes.join('\n') + '\n';
}
