import { describe, expect, it } from 'vitest';
import { withoutLoaderFlags } from '../../../../src/formats/parquet/wasm-worker.js';

describe('withoutLoaderFlags', () => {
  it('drops module loaders in both spellings and keeps every other flag', () => {
    expect(withoutLoaderFlags([
      '--import', 'tsx', '--cpu-prof', '--require=./a.cjs', '-r', 'b', '--input-type=module', '--loader', 'l.mjs',
      '--experimental-loader=x', '--max-old-space-size=4096', '--cpu-prof-dir=/tmp/p',
    ])).toEqual(['--cpu-prof', '--max-old-space-size=4096', '--cpu-prof-dir=/tmp/p']);
    expect(withoutLoaderFlags([])).toEqual([]);
  });
});
