import { Schema } from 'apache-arrow';
import { toArrowField } from './arrow-types.js';
import type { SqlType } from './sql-type.js';

/** A named, typed column of a relation. Names are stored as resolved (unquoted names already lower-cased). */
export interface ColumnField {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
}

export function field(name: string, type: SqlType, nullable = true): ColumnField {
  return { name, type, nullable };
}

export function toArrowSchema(fields: readonly ColumnField[]): Schema {
  return new Schema(fields.map((f) => toArrowField(f.name, f.type, f.nullable)));
}

