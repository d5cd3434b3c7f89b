/**
 * The one place in Shoal that imports node-sql-parser (postgresql build only; the version is pinned exactly in
 * package.json because node shapes differ between versions). Its output enters the rest of the front end as
 * `unknown` and is narrowed by the adapter.
 */
import pkg from 'node-sql-parser/build/postgresql.js';
import { internalError } from '../common/index.js';

interface GrammarParser {
  astify(sql: string, options: unknown): unknown;
}

function createParser(): GrammarParser {
  const mod: unknown = pkg;
  const ctor = typeof mod === 'object' && mod !== null ? (mod as { Parser?: unknown }).Parser : undefined;
  if (typeof ctor !== 'function') throw internalError('node-sql-parser/build/postgresql.js has no Parser export');
  const instance: unknown = Reflect.construct(ctor, []);
  const astify = typeof instance === 'object' && instance !== null ? (instance as { astify?: unknown }).astify : undefined;
  if (typeof astify !== 'function') throw internalError('node-sql-parser Parser has no astify method');
  return { astify: (sql, options) => Reflect.apply(astify, instance, [sql, options]) as unknown };
}

let parser: GrammarParser | undefined;

const OPTIONS = { database: 'postgresql', parseOptions: { includeLocations: true } };

export type GrammarResult =
  | { readonly ok: true; readonly ast: unknown }
  /** `offset` is the failure position in the parsed text, when the grammar reported one. */
  | { readonly ok: false; readonly offset: number | undefined; readonly stackOverflow: boolean };

/** Parses rewritten text; never throws. */
export function astify(text: string): GrammarResult {
  parser ??= createParser();
  try {
    return { ok: true, ast: parser.astify(text, OPTIONS) };
  } catch (e: unknown) {
    if (e instanceof RangeError) return { ok: false, offset: undefined, stackOverflow: true };
    return { ok: false, offset: errorOffset(e), stackOverflow: false };
  }
}

function errorOffset(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const loc: unknown = (e as { location?: unknown }).location;
  if (typeof loc !== 'object' || loc === null) return undefined;
  const start: unknown = (loc as { start?: unknown }).start;
  if (typeof start !== 'object' || start === null) return undefined;
  const offset: unknown = (start as { offset?: unknown }).offset;
  return typeof offset === 'number' ? offset : undefined;
}
