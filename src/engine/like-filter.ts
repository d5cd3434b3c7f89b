import { compileLike } from '../expr/index.js';
import { utf8Encoder } from '../types/index.js';

/** SHOW … LIKE 'pattern' as a predicate on names (% and _ wildcards, case-sensitive as in Trino). */
export function compileLikeFilter(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const m = compileLike(pattern, undefined, false);
  return (name) => {
    const b = utf8Encoder.encode(name);
    return m.matchBytes(b, 0, b.length);
  };
}
