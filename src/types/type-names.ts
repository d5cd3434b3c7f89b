import { ShoalError, type SourceSpan } from '../common/index.js';
import {
  arrayType, mapType, rowType, type RowField,
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, MAX_DECIMAL_PRECISION,
  REAL, SMALLINT, TINYINT, UNKNOWN, decimalType, timestampType, varcharType, type SqlType,
} from './sql-type.js';

const SIMPLE: Record<string, SqlType> = {
  boolean: BOOLEAN, bool: BOOLEAN,
  tinyint: TINYINT, int1: TINYINT,
  smallint: SMALLINT, int2: SMALLINT,
  integer: INTEGER, int: INTEGER, int4: INTEGER,
  bigint: BIGINT, int8: BIGINT, long: BIGINT,
  real: REAL, float4: REAL, float: REAL,
  double: DOUBLE, 'double precision': DOUBLE, float8: DOUBLE,
  date: DATE,
  unknown: UNKNOWN,
  'interval day to second': INTERVAL_DAY_TIME,
  'interval year to month': INTERVAL_YEAR_MONTH,
};

const STRING_NAMES = new Set(['varchar', 'string', 'text', 'char', 'character varying', 'character']);

/**
 * Parses a type name as written in SQL (CAST targets) or in a catalog file's `columns`. Accepts Trino's names
 * and common aliases (int, string, text, double precision, numeric). A bare `timestamp` is timestamp(3), as in
 * Trino; a bare `decimal` is decimal(38,0).
 */
export function parseTypeName(text: string, span?: SourceSpan): SqlType {
  const nested = parseNested(text, span);
  if (nested !== undefined) return nested;
  const norm = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  const simple = SIMPLE[norm];
  if (simple !== undefined) return simple;
  let m = /^(varchar|string|text|char|character varying|character)(?:\((\d+)\))?$/.exec(norm);
  if (m !== null) {
    const len = m[2] === undefined ? undefined : Number(m[2]);
    if (len !== undefined && len < 1) throw bad(text, 'length must be at least 1', span);
    return varcharType(len);
  }
  m = /^(decimal|numeric|dec)(?:\((\d+)(?:,(\d+))?\))?$/.exec(norm);
  if (m !== null) {
    const p = m[2] === undefined ? MAX_DECIMAL_PRECISION : Number(m[2]);
    const s = m[3] === undefined ? 0 : Number(m[3]);
    if (p < 1 || p > MAX_DECIMAL_PRECISION) throw bad(text, `precision must be between 1 and ${MAX_DECIMAL_PRECISION}`, span);
    if (s > p) throw bad(text, 'scale must not exceed precision', span);
    return decimalType(p, s);
  }
  m = /^(timestamp|timestamptz)(?:\((\d+)\))?( with time zone| without time zone)?$/.exec(norm);
  if (m !== null) {
    const p = m[2] === undefined ? 3 : Number(m[2]);
    if (p > 9) throw bad(text, 'precision must be between 0 and 9', span);
    return timestampType(p, m[1] === 'timestamptz' || m[3] === ' with time zone');
  }
  const hint = STRING_NAMES.has(norm) ? undefined : 'Supported types: boolean, tinyint, smallint, integer, bigint, real, double, decimal(p,s), varchar, date, timestamp(p), array(t), map(k, v), row(name t, …)';
  throw new ShoalError('TYPE_NOT_FOUND', `Unknown type '${text}'`, { span, hint });
}

function bad(text: string, why: string, span: SourceSpan | undefined): ShoalError {
  return new ShoalError('TYPE_NOT_FOUND', `Invalid type '${text}': ${why}`, { span });
}

/** `array(t)`, `map(k, v)`, `row(name t, …)` (names optional, possibly double-quoted); undefined for other names. */
function parseNested(text: string, span: SourceSpan | undefined): SqlType | undefined {
  const m = /^\s*(array|map|row)\s*\(([\s\S]*)\)\s*$/i.exec(text);
  if (m === null) return undefined;
  const kind = m[1]!.toLowerCase();
  const parts = splitTopLevel(m[2]!);
  if (parts === undefined || parts.some((p) => p.trim() === '')) throw bad(text, 'unbalanced or empty parameters', span);
  switch (kind) {
    case 'array':
      if (parts.length !== 1) throw bad(text, 'array takes one element type', span);
      return arrayType(parseTypeName(parts[0]!, span));
    case 'map':
      if (parts.length !== 2) throw bad(text, 'map takes a key type and a value type', span);
      return mapType(parseTypeName(parts[0]!, span), parseTypeName(parts[1]!, span));
    default:
      return rowType(parts.map((p) => rowField(p, span)));
  }
}

function rowField(part: string, span: SourceSpan | undefined): RowField {
  const p = part.trim();
  const quoted = /^"((?:[^"]|"")*)"\s+([\s\S]+)$/.exec(p);
  if (quoted !== null) return { name: quoted[1]!.replace(/""/g, '"'), type: parseTypeName(quoted[2]!, span) };
  // A lone type (`row(integer, varchar)`) is an anonymous field; otherwise the first word is the field's name.
  try {
    return { type: parseTypeName(p, span) };
  } catch (e) {
    const named = /^([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]+)$/.exec(p);
    if (named === null) throw e;
    return { name: named[1]!.toLowerCase(), type: parseTypeName(named[2]!, span) };
  }
}

/** Splits on commas outside parentheses and double quotes; undefined when parentheses do not balance. */
function splitTopLevel(s: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) return undefined;
  out.push(s.slice(start));
  return out;
}
