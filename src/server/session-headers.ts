import type { IncomingHttpHeaders } from 'node:http';
import { ShoalError } from '../common/index.js';

/** Which header family a client speaks; replies use the same one. */
export type HeaderPrefix = 'X-Trino-' | 'X-Presto-';

/** The session a statement runs in, as the client sent it (Trino clients carry all state in headers). */
export interface ClientSession {
  readonly prefix: HeaderPrefix;
  readonly user: string | undefined;
  readonly catalog: string | undefined;
  readonly schema: string | undefined;
  readonly timeZone: string | undefined;
  readonly properties: Readonly<Record<string, string>>;
  readonly source: string | undefined;
  readonly clientInfo: string | undefined;
}

function header(h: IncomingHttpHeaders, prefix: HeaderPrefix, name: string): string | undefined {
  const v = h[`${prefix}${name}`.toLowerCase()];
  const s = Array.isArray(v) ? v.join(',') : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** `k=v,k2=v2` with URL-encoded values (X-Trino-Session); a malformed entry is INVALID_SESSION_PROPERTY. */
export function parseSessionHeader(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ShoalError('INVALID_SESSION_PROPERTY', `Invalid ${'X-Trino-Session'} entry '${part.trim()}': expected name=value`);
    out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** Reads X-Trino-* (or, when the client sends only those, X-Presto-*) session headers. */
export function clientSessionOf(h: IncomingHttpHeaders): ClientSession {
  const presto = !Object.keys(h).some((k) => k.startsWith('x-trino-')) && Object.keys(h).some((k) => k.startsWith('x-presto-'));
  const prefix: HeaderPrefix = presto ? 'X-Presto-' : 'X-Trino-';
  return {
    prefix,
    user: header(h, prefix, 'User'),
    catalog: header(h, prefix, 'Catalog'),
    schema: header(h, prefix, 'Schema'),
    timeZone: header(h, prefix, 'Time-Zone'),
    properties: parseSessionHeader(header(h, prefix, 'Session')),
    source: header(h, prefix, 'Source'),
    clientInfo: header(h, prefix, 'Client-Info'),
  };
}

/** What a statement changed in its session, for the Set-/Clear- reply headers. */
export interface SessionChanges {
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  readonly setProperties: Readonly<Record<string, string>>;
  readonly clearProperties: readonly string[];
}

export function sessionChanges(
  before: { catalog: string | undefined; schema: string | undefined; properties: ReadonlyMap<string, string> },
  after: { catalog: string | undefined; schema: string | undefined; properties: ReadonlyMap<string, string> },
): SessionChanges {
  const setProperties: Record<string, string> = {};
  const clearProperties: string[] = [];
  for (const [k, v] of after.properties) if (before.properties.get(k) !== v) setProperties[k] = v;
  for (const k of before.properties.keys()) if (!after.properties.has(k)) clearProperties.push(k);
  return {
    catalog: after.catalog !== before.catalog ? after.catalog : undefined,
    schema: after.schema !== before.schema ? after.schema : undefined,
    setProperties,
    clearProperties,
  };
}

/** Reply headers (one Set-Session / Clear-Session header per property, as Trino sends them). */
export function sessionReplyHeaders(prefix: HeaderPrefix, c: SessionChanges): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (c.catalog !== undefined) out[`${prefix}Set-Catalog`] = c.catalog;
  if (c.schema !== undefined) out[`${prefix}Set-Schema`] = c.schema;
  const set = Object.entries(c.setProperties).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  if (set.length > 0) out[`${prefix}Set-Session`] = set;
  if (c.clearProperties.length > 0) out[`${prefix}Clear-Session`] = [...c.clearProperties];
  return out;
}
