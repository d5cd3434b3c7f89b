/**
 * The GCS test server in its own process, for benchmarks that measure the memory of the uploading process (the
 * server keeps objects in memory): `node --import tsx bench/gcs-server-main.ts BUCKET…` prints `{"endpoint":…}`
 * and exits when its stdin closes.
 */
import { startGcsServer } from '../test/support/gcs-server.js';

const server = await startGcsServer();
for (const b of process.argv.slice(2)) server.createBucket(b);
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => process.exit(0));
});
