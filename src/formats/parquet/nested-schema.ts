/**
 * Nested Parquet columns → ARRAY, MAP and ROW types, following the Parquet format's LogicalTypes rules for LIST
 * and MAP including their backward-compatibility forms, as arrow-rs (parquet-wasm) reads them:
 *
 *   <opt|req> group name (LIST) { repeated group list { <opt|req> element } }     array(element)
 *   LIST whose repeated child is a primitive, or a group with several fields or
 *     named `array` / `<name>_tuple` (legacy two-level lists)                     array(that child as a whole)
 *   <opt|req> group name (MAP | MAP_KEY_VALUE) { repeated group { key; value } }   map(key, value)
 *   any other group                                                               row(field type, …)
 *   a repeated primitive or group outside a LIST (legacy)                          array(it)
 */
import type { SchemaElement } from 'hyparquet';
import { arrayType, mapType, rowType, type SqlType } from '../../types/index.js';
import { annotationName, parquetTypeToSql, type ParquetTypeMapping } from './schema-map.js';

interface Node {
  readonly element: SchemaElement;
  readonly children: readonly Node[];
}

/** The subtree rooted at schema[at] and the index just past it. */
export function schemaTree(schema: readonly SchemaElement[], at: number): { node: Node; next: number } {
  const element = schema[at]!;
  const children: Node[] = [];
  let next = at + 1;
  for (let c = 0; c < (element.num_children ?? 0) && next < schema.length; c++) {
    const sub = schemaTree(schema, next);
    children.push(sub.node);
    next = sub.next;
  }
  return { node: { element, children }, next };
}

const isGroup = (n: Node): boolean => n.children.length > 0 || n.element.type === undefined;

/** The SQL type of a (possibly nested) column, ignoring the node's own repetition. */
function typeOf(n: Node): ParquetTypeMapping {
  if (!isGroup(n)) return parquetTypeToSql(n.element);
  const a = annotationName(n.element);
  if (a === 'LIST') return listType(n);
  if (a === 'MAP' || a === 'MAP_KEY_VALUE') return mapTypeOf(n);
  if (a !== undefined) return { unsupported: `nested type ${a} is not supported` };
  return structType(n);
}

/** The type of a field, wrapping a legacy repeated field (outside LIST/MAP) in an array. */
function fieldType(n: Node): ParquetTypeMapping {
  const t = typeOf(n);
  if (n.element.repetition_type !== 'REPEATED' || 'unsupported' in t) return t;
  return { type: arrayType(t.type) };
}

function structType(n: Node): ParquetTypeMapping {
  if (n.children.length === 0) return { unsupported: 'an empty group is not supported' };
  const fields: { name: string; type: SqlType }[] = [];
  for (const c of n.children) {
    const t = fieldType(c);
    if ('unsupported' in t) return { unsupported: `field '${String(c.element.name)}': ${t.unsupported}` };
    fields.push({ name: String(c.element.name), type: t.type });
  }
  return { type: rowType(fields) };
}

function listType(n: Node): ParquetTypeMapping {
  const rep = n.children[0];
  if (n.children.length !== 1 || rep === undefined || rep.element.repetition_type !== 'REPEATED') {
    return { unsupported: 'a LIST without one repeated field is not valid' };
  }
  // Three-level list: the repeated group holds exactly the element; otherwise the repeated field is the element.
  const legacy = !isGroup(rep) || rep.children.length !== 1 || rep.element.name === 'array' || rep.element.name === `${String(n.element.name)}_tuple`;
  const element = legacy ? typeOf(rep) : fieldType(rep.children[0]!);
  if ('unsupported' in element) return element;
  return { type: arrayType(element.type) };
}

function mapTypeOf(n: Node): ParquetTypeMapping {
  const kv = n.children[0];
  if (n.children.length !== 1 || kv === undefined || kv.children.length !== 2) {
    return { unsupported: 'a MAP without one repeated key/value group is not valid' };
  }
  const key = fieldType(kv.children[0]!);
  if ('unsupported' in key) return key;
  const value = fieldType(kv.children[1]!);
  if ('unsupported' in value) return value;
  return { type: mapType(key.type, value.type) };
}

/** The SQL type of a top-level group column. */
export function nestedColumnType(node: Node): ParquetTypeMapping {
  return fieldType(node);
}
