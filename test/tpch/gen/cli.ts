/**
 * Generates (or confirms) the TPC-H data set of a scale factor:
 *   node --import tsx test/tpch/gen/cli.ts [--sf 0.01] [--root .cache/tpch]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTpch } from './generate.js';
import { TPCH_DATA_ROOT } from './paths.js';

const { values } = parseArgs({ options: { sf: { type: 'string', default: '0.01' }, root: { type: 'string', default: TPCH_DATA_ROOT } } });
const sf = Number(values.sf);
const ds = await ensureTpch(sf, { root: path.resolve(values.root), log: (line) => console.log(line) });
if (!ds.generated) console.log(`${ds.dir}: up to date (generated in ${ds.manifest.seconds.toFixed(1)} s)`);
