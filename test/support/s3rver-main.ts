/**
 * Runs s3rver in its own process: `node --openssl-legacy-provider --import tsx s3rver-main.ts <dir> [bucket…]`.
 * s3rver makes ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only offers through the
 * legacy provider; a child process gets that flag without changing the test process. Prints `{"port":N}` on
 * stdout when listening; exits when its stdin closes (the test process ended or closed it).
 */
import S3rver from 's3rver';
import { s3rverExtensions } from './s3rver-extensions.js';

const [directory, ...buckets] = process.argv.slice(2);
if (directory === undefined) throw new Error('usage: s3rver-main.ts <directory> [bucket…]');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  // Tests sign with recognisable fake secrets (to check none leaks); the access key id still has to be S3RVER.
  allowMismatchedSignatures: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
// S3 behaviour s3rver lacks (multipart abort and listing, conditional writes): a middleware just before its router,
// which is the last one s3rver installs.
const internals = server as unknown as { middleware: unknown[]; store: Parameters<typeof s3rverExtensions>[0] };
internals.middleware.splice(internals.middleware.length - 1, 0, s3rverExtensions(internals.store));
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
