import { approxDistinctFunction } from './aggregate/approx-distinct.js';
import { approxPercentileFunction } from './aggregate/approx-percentile.js';
import { arrayAggFunction } from './aggregate/array-agg.js';
import { avgFunction } from './aggregate/avg.js';
import { BOOL_FUNCTIONS } from './aggregate/bool.js';
import { listaggFunction } from './aggregate/listagg.js';
import { PICK_FUNCTIONS } from './aggregate/pick.js';
import { VARIANCE_FUNCTIONS } from './aggregate/variance.js';
import { countFunction } from './aggregate/count.js';
import { maxFunction, minFunction } from './aggregate/min-max.js';
import { sumFunction } from './aggregate/sum.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { FORMAT_FUNCTIONS } from './datetime-format.js';
import { ZONE_FUNCTIONS } from './datetime-zone.js';
import { REGEXP_FUNCTIONS } from './regexp.js';
import { MATH_FUNCTIONS } from './math.js';
import { NESTED_FUNCTIONS } from './nested.js';
import { mapFunction } from './nested-constructors.js';
import { FunctionRegistry } from './registry.js';
import { STRING_FUNCTIONS } from './string.js';
import { NAVIGATION_FUNCTIONS, RANKING_FUNCTIONS } from './window/index.js';

/** The built-in function library. One registry per process; functions are stateless. */
export function builtinFunctions(): FunctionRegistry {
  const r = new FunctionRegistry();
  for (const [fn, ...aliases] of [...DATETIME_FUNCTIONS, ...ZONE_FUNCTIONS, ...FORMAT_FUNCTIONS, ...MATH_FUNCTIONS, ...STRING_FUNCTIONS, ...REGEXP_FUNCTIONS]) r.register(fn, ...aliases);
  for (const fn of NESTED_FUNCTIONS) r.register(fn);
  r.register(mapFunction);
  r.register(countFunction);
  r.register(sumFunction);
  r.register(avgFunction);
  r.register(minFunction);
  r.register(maxFunction);
  for (const [fn, ...aliases] of [...VARIANCE_FUNCTIONS, ...BOOL_FUNCTIONS, ...PICK_FUNCTIONS]) r.register(fn, ...aliases);
  r.register(listaggFunction);
  r.register(approxDistinctFunction);
  r.register(approxPercentileFunction);
  r.register(arrayAggFunction);
  for (const fn of [...RANKING_FUNCTIONS, ...NAVIGATION_FUNCTIONS]) r.register(fn);
  return r;
}
