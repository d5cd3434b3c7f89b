/**
 * `npm run bench [-- options]`: the taxi benchmark (bench/taxi-run.ts).
 * `npm run bench -- tpch [--sf 1] [--runs 3] [--timeout 300]`: the 22 TPC-H queries (bench/tpch-run.ts).
 */
if (process.argv[2] === 'tpch') {
  process.argv.splice(2, 1);
  await import('./tpch-run.js');
} else {
  await import('./taxi-run.js');
}
