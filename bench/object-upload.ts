/**
 * `node --import tsx bench/object-upload.ts [MIB]`: uploads one file of MIB MiB (default 50) through Shoal's
 * writable file systems to the loopback S3 (s3rver) and GCS test servers, each in its own process, in 64 KiB
 * writes with the default part / chunk size (8 MiB), and reports throughput and the uploading process's peak RSS and
 * ArrayBuffer growth over its level before the upload (sampled every 5 ms). Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GcsFileSystem, S3FileSystem, newIoStats, type WritableFileSystem } from '../src/fs/index.js';
import { awsTestEnv, setEnv, startS3Server } from '../test/support/s3-server.js';

const MIB = 1024 * 1024;
const total = Number(process.argv[2] ?? 50) * MIB;

async function startGcsChild(): Promise<{ endpoint: string; close: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'gcs-server-main.ts'), 'bench'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { endpoint: string }).endpoint)));
  return { endpoint, close: () => child.stdin!.end() };
}

async function upload(label: string, fs: WritableFileSystem, location: string): Promise<void> {
  const chunk = new Uint8Array(64 * 1024);
  // Warm-up: connections, SDK modules, credentials.
  const warm = await fs.create(`${location}.warm`);
  await warm.write(chunk);
  await warm.close();
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakBuffers = base.arrayBuffers;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
  }, 5);
  const stats = newIoStats();
  const t0 = performance.now();
  const w = await fs.create(location, { stats });
  for (let at = 0, i = 0; at < total; at += chunk.length, i++) {
    chunk.fill(i & 0xff);
    await w.write(chunk.subarray(0, Math.min(chunk.length, total - at)));
  }
  const status = await w.close();
  const ms = performance.now() - t0;
  clearInterval(timer);
  const mb = (n: number): string => `${(n / MIB).toFixed(0)} MiB`;
  console.log(
    `${label.padEnd(6)} ${mb(status.size)} in ${ms.toFixed(0)} ms = ${(status.size / MIB / (ms / 1000)).toFixed(0)} MiB/s, ` +
      `${stats.requests} requests; peak RSS +${mb(peakRss - base.rss)}, peak ArrayBuffers +${mb(peakBuffers - base.arrayBuffers)}`,
  );
}

const s3 = await startS3Server(['bench']);
const restore = setEnv(awsTestEnv(s3.endpoint));
const gcs = await startGcsChild();
try {
  await upload('s3', new S3FileSystem(), 's3://bench/big.bin');
  await upload('gcs', new GcsFileSystem({ settings: { endpoint: gcs.endpoint } }), 'gs://bench/big.bin');
} finally {
  restore();
  gcs.close();
  await s3.close();
}
