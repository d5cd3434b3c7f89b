import { describe, expect, it } from 'vitest';
import { profilingFlags } from '../../../../src/formats/parquet/wasm-worker.js';

describe('profilingFlags', () => {
  it('keeps the profiling flags (with a separate value) and drops loaders, V8 and process-wide flags', () => {
    expect(profilingFlags([
      '--import', 'tsx', '--cpu-prof', '--require=./a.cjs', '--cpu-prof-dir', '/tmp/p', '--input-type=module',
      '--max-old-space-size=4096', '--heap-growing-percent=200', '--heap-prof', '--heap-prof-dir=/tmp/h', '--cpu-prof-interval', '500',
      '--cpu-profx', '--enable-source-maps',
    ])).toEqual(['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--heap-prof', '--heap-prof-dir=/tmp/h', '--cpu-prof-interval', '500']);
    expect(profilingFlags([])).toEqual([]);
  });
});
