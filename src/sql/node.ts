/**
 * Narrowing helpers for node-sql-parser's output, which enters as `unknown`. Only the adapter uses them.
 */

export type Node = Readonly<Record<string, unknown>>;

export function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function field(n: Node, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(n, key) ? n[key] : undefined;
}

export function str(n: Node, key: string): string | undefined {
  const v = field(n, key);
  return typeof v === 'string' ? v : undefined;
}

export function num(n: Node, key: string): number | undefined {
  const v = field(n, key);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export function node(n: Node, key: string): Node | undefined {
  const v = field(n, key);
  return isNode(v) ? v : undefined;
}

export function list(n: Node, key: string): readonly unknown[] {
  const v = field(n, key);
  return Array.isArray(v) ? (v as readonly unknown[]) : [];
}

/** A field that is present and not null/undefined. */
export function present(n: Node, key: string): boolean {
  const v = field(n, key);
  return v !== null && v !== undefined;
}

/** `{type: 'expr_list', value: [...]}` → its items; anything else → undefined. */
export function exprListItems(x: unknown): readonly unknown[] | undefined {
  if (!isNode(x) || str(x, 'type') !== 'expr_list') return undefined;
  return list(x, 'value');
}
