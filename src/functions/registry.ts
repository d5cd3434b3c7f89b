import type { AggregateFunction, ScalarFunction, SqlFunction } from './function.js';

/** Functions by lower-case name. Aliases register the same function object under another name. */
export class FunctionRegistry {
  private readonly byName = new Map<string, SqlFunction>();

  register(fn: SqlFunction, ...aliases: string[]): void {
    for (const name of [fn.name, ...aliases]) this.byName.set(name.toLowerCase(), fn);
  }

  lookup(name: string): SqlFunction | undefined {
    return this.byName.get(name.toLowerCase());
  }

  isAggregate(name: string): boolean {
    return this.lookup(name)?.kind === 'aggregate';
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  entries(): [string, SqlFunction][] {
    return [...this.byName.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

export type { AggregateFunction, ScalarFunction };
