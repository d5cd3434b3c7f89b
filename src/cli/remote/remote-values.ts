import type { JsonValue } from './lossless-json.js';
import type { TypeSignature } from './remote-types.js';

/**
 * Text of values as a Trino-protocol server sent them (JSON, typed by the column's signature), printed as
 * Shoal's local CLI prints the same values: doubles `1.0`, TIMESTAMP without trailing fraction zeros
 * (DESIGN §5), nested values as Trino's CLI does — `[1, 2]`, `{k=v}`, `{x=1, y=abc}` with NULL inside.
 */
export function formatRemoteValue(v: JsonValue, t: TypeSignature): string | null {
  if (v === null) return null;
  switch (t.rawType) {
    case 'double':
    case 'real':
      return typeof v === 'number' ? formatDouble(v) : String(v);
    case 'timestamp':
      return typeof v === 'string' ? trimFraction(v) : String(v);
    case 'array': {
      const el = typeArg(t, 0);
      return Array.isArray(v) ? `[${(v as readonly JsonValue[]).map((e) => formatRemoteValue(e, el) ?? 'NULL').join(', ')}]` : String(v);
    }
    case 'map': {
      const vt = typeArg(t, 1);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return String(v);
      return `{${Object.entries(v as Record<string, JsonValue>).map(([k, x]) => `${k}=${formatRemoteValue(x, vt) ?? 'NULL'}`).join(', ')}}`;
    }
    case 'row': {
      if (!Array.isArray(v)) return String(v);
      return `{${(v as readonly JsonValue[]).map((x, i) => {
        const f = rowField(t, i);
        const text = formatRemoteValue(x, f.type) ?? 'NULL';
        return f.name === undefined ? text : `${f.name}=${text}`;
      }).join(', ')}}`;
    }
    default:
      if (typeof v === 'string') return v;
      if (typeof v === 'object') return JSON.stringify(v);
      return String(v);
  }
}

/**
 * JSON text of a value for --format json/jsonl, as Shoal's local writer gives it: exact integers, strings for
 * decimals and temporal values, rows as objects keyed by field name (`field0`… when anonymous).
 */
export function remoteJson(v: JsonValue, t: TypeSignature): string {
  if (v === null) return 'null';
  switch (t.rawType) {
    case 'timestamp':
      return typeof v === 'string' ? JSON.stringify(trimFraction(v)) : jsonText(v);
    case 'array': {
      const el = typeArg(t, 0);
      return Array.isArray(v) ? `[${(v as readonly JsonValue[]).map((e) => remoteJson(e, el)).join(',')}]` : jsonText(v);
    }
    case 'map': {
      const vt = typeArg(t, 1);
      if (typeof v !== 'object' || Array.isArray(v)) return jsonText(v);
      return `{${Object.entries(v as Record<string, JsonValue>).map(([k, x]) => `${JSON.stringify(k)}:${remoteJson(x, vt)}`).join(',')}}`;
    }
    case 'row':
      if (!Array.isArray(v)) return jsonText(v);
      return `{${(v as readonly JsonValue[]).map((x, i) => {
        const f = rowField(t, i);
        return `${JSON.stringify(f.name ?? `field${i}`)}:${remoteJson(x, f.type)}`;
      }).join(',')}}`;
    default:
      return jsonText(v);
  }
}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal']);

/** Numbers are right-aligned in tables. */
export function isNumericSignature(t: TypeSignature): boolean {
  return NUMERIC.has(t.rawType);
}

function jsonText(v: JsonValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${(v as readonly JsonValue[]).map(jsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v as Record<string, JsonValue>).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Integral doubles below 1e15 keep a `.0`, as Shoal and Trino's CLI print them. */
function formatDouble(v: number): string {
  if (Object.is(v, -0)) return '-0.0';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return `${v}.0`;
  return String(v);
}

/** `2024-01-01 10:00:00.500` → `2024-01-01 10:00:00.5`; `.000` goes entirely. */
function trimFraction(s: string): string {
  return s.replace(/(\d{2}:\d{2}:\d{2})\.(\d*?)0+$/, (_m, hms: string, digits: string) => (digits === '' ? hms : `${hms}.${digits}`));
}

const UNKNOWN: TypeSignature = { rawType: 'unknown', arguments: [] };

function typeArg(t: TypeSignature, i: number): TypeSignature {
  const a = t.arguments[i];
  return a !== undefined && a.kind === 'TYPE' ? a.value : UNKNOWN;
}

function rowField(t: TypeSignature, i: number): { name: string | undefined; type: TypeSignature } {
  const a = t.arguments[i];
  if (a === undefined || a.kind !== 'NAMED_TYPE') return { name: undefined, type: UNKNOWN };
  return { name: a.value.fieldName?.name, type: a.value.typeSignature };
}
