import { avgFunction } from './aggregate/avg.js';
import { countFunction } from './aggregate/count.js';
import { maxFunction, minFunction } from './aggregate/min-max.js';
import { sumFunction } from './aggregate/sum.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { MATH_FUNCTIONS } from './math.js';
import { FunctionRegistry } from './registry.js';
import { STRING_FUNCTIONS } from './string.js';
import { NAVIGATION_FUNCTIONS, RANKING_FUNCTIONS } from './window/index.js';

/** The built-in function library. One registry per process; functions are stateless. */
export function builtinFunctions(): FunctionRegistry {
  const r = new FunctionRegistry();
  for (const [fn, ...aliases] of [...DATETIME_FUNCTIONS, ...MATH_FUNCTIONS, ...STRING_FUNCTIONS]) r.register(fn, ...aliases);
  r.register(countFunction);
  r.register(sumFunction);
  r.register(avgFunction);
  r.register(minFunction);
  r.register(maxFunction);
  for (const fn of [...RANKING_FUNCTIONS, ...NAVIGATION_FUNCTIONS]) r.register(fn);
  return r;
}
