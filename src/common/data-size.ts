/**
 * Data sizes as Trino writes them (airlift DataSize): a number and a unit, `B`, `kB`, `MB`, `GB`, `TB` or `PB`,
 * in powers of 1024. Shoal also accepts the units in any case (`10gb`), `KB`, the IEC spellings (`10GiB`) and a
 * bare number of bytes. Used by --max-query-memory, X-Trino-Max-Size and the max_scan_bytes session property.
 */
const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Bytes, or undefined when `text` is not a data size. */
export function parseDataSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgtp])i?b|(b))?\s*$/i.exec(text);
  if (m === null) return undefined;
  const unit = UNITS[(m[2] ?? m[3] ?? '').toLowerCase()]!;
  return Math.floor(Number(m[1]) * unit);
}
