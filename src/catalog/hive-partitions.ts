import { ShoalError } from '../common/index.js';
import { BIGINT, DATE, INTEGER, VARCHAR, parseDate, typeName, type Scalar, type SqlType } from '../types/index.js';

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/**
 * The raw `key=value` partition values of a file, in `keys` order, from the path segments below `root`.
 * Throws BAD_DATA naming the file when a key is missing (files outside the partition layout).
 */
export function partitionTextOf(location: string, root: string, keys: readonly string[]): (string | null)[] {
  const rel = location.slice(root.length).split('/').filter((s) => s !== '');
  const found = new Map<string, string>();
  for (const seg of rel.slice(0, -1)) {
    const eq = seg.indexOf('=');
    if (eq > 0) found.set(seg.slice(0, eq).toLowerCase(), seg.slice(eq + 1));
  }
  return keys.map((k) => {
    const raw = found.get(k.toLowerCase());
    if (raw === undefined) {
      throw new ShoalError('BAD_DATA', `File ${location} is not inside a '${k}=…' partition directory`, {
        location,
        hint: `Every file under ${root} must sit in ${keys.map((x) => `${x}=…`).join('/')} directories, or remove partitioned_by from the table`,
      });
    }
    const text = decodeURIComponent(raw);
    return text === HIVE_DEFAULT_PARTITION ? null : text;
  });
}

/** The type partition values are read as when the catalog does not declare one: integer, bigint, date or varchar. */
export function inferPartitionType(values: readonly (string | null)[]): SqlType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return VARCHAR;
  if (present.every((v) => /^-?\d{1,18}$/.test(v))) {
    return present.every((v) => Math.abs(Number(v)) <= 2147483647) ? INTEGER : BIGINT;
  }
  if (present.every((v) => parseDate(v) !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(v))) return DATE;
  return VARCHAR;
}

/** Parses a partition value as `type`; BAD_DATA naming the file when it does not parse. */
export function parsePartitionValue(text: string | null, type: SqlType, key: string, location: string): Scalar {
  if (text === null) return null;
  const bad = (): ShoalError => new ShoalError('BAD_DATA', `Partition value ${key}=${text} of ${location} is not a valid ${typeName(type)}`, { location });
  switch (type.kind) {
    case 'varchar': return text;
    case 'tinyint':
    case 'smallint':
    case 'integer':
      if (!/^-?\d+$/.test(text)) throw bad();
      return Number(text);
    case 'bigint':
      if (!/^-?\d+$/.test(text)) throw bad();
      return BigInt(text);
    case 'date': {
      const d = parseDate(text);
      if (d === undefined) throw bad();
      return d;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(text)) throw bad();
      return text.toLowerCase() === 'true';
    case 'double':
    case 'real': {
      const x = Number(text);
      if (Number.isNaN(x)) throw bad();
      return x;
    }
    default:
      throw new ShoalError('NOT_SUPPORTED', `Partition column '${key}' cannot have type ${typeName(type)}`, { location });
  }
}

/**
 * Characters Hive (and Trino) percent-encode in partition path values (FileUtils.escapePathName): control
 * characters, DEL, the slash and the characters in ESCAPED. Other characters, non-ASCII included, stay as they are, so
 * partitionTextOf's decodeURIComponent reads every value back.
 */
const ESCAPED = '"#%\'*/:=?\\{[]^';

function mustEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || ESCAPED.includes(String.fromCharCode(code));
}

/** A partition value as a path segment value: escaped as Hive does; NULL and '' as __HIVE_DEFAULT_PARTITION__. */
export function escapePartitionValue(text: string | null): string {
  if (text === null || text === '') return HIVE_DEFAULT_PARTITION;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += mustEscape(c) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : text[i];
  }
  return out;
}

/** Types a partition column may have when Shoal writes it: those parsePartitionValue reads back exactly. */
const PARTITION_KINDS = new Set(['boolean', 'tinyint', 'smallint', 'integer', 'bigint', 'varchar', 'date']);

export function isPartitionType(type: SqlType): boolean {
  return PARTITION_KINDS.has(type.kind);
}
