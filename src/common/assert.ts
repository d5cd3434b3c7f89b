import { internalError } from './errors.js';

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw internalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}

/** An invariant of Shoal's own code; failing it is a bug, never a user error. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw internalError(message);
}
