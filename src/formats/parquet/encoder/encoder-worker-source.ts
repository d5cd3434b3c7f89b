/**
 * The Parquet encoder worker's program (plain CommonJS run with `new Worker(source, { eval: true })`, like the
 * decoder's; parquet-wasm's absolute path arrives in workerData.modulePath).
 *
 * Why a worker: encoding (dictionary building, compression) runs on another core while the main thread computes
 * the next batches; a WebAssembly trap kills only the worker; and WebAssembly memory, which never shrinks, is
 * returned when the worker ends with its write.
 *
 * One worker serves several files at once (a partitioned write keeps one file open per partition). Each file is
 * a parquet-wasm `transformParquetStream`: Arrow record batches in, Parquet bytes out, one chunk per row group
 * and a last one with the footer, so memory holds at most the row group being built.
 *
 * Protocol (parquet-encoder.ts holds the typed side):
 *   main → worker  open {fid, compression, rowGroupRows, rowGroupBytes, createdBy}
 *                  batch {fid, ipc}     one Arrow IPC stream (schema + batches); acknowledged once written
 *                  end {fid}            no more batches: finish the file (footer)
 *                  abort {fid}          drop the file
 *   worker → main  ack {fid}            the oldest unacknowledged batch is written (its row groups' chunks were
 *                                       posted before the ack)
 *                  chunk {fid, data}    the next bytes of the file, in order
 *                  closed {fid, memory} every byte was sent
 *                  failed {fid, message, memory}
 */
export const ENCODER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const wasm = require(workerData.modulePath);
const files = new Map();

function memory() {
  try { return wasm.wasmMemory().buffer.byteLength; } catch { return 0; }
}

function properties(m) {
  let b = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression[m.compression])
    .setStatisticsEnabled(wasm.EnabledStatistics.Chunk)
    .setDictionaryEnabled(true)
    .setMaxRowGroupSize(m.rowGroupRows)
    .setCreatedBy(m.createdBy);
  if (m.rowGroupBytes > 0 && typeof b.setMaxRowGroupBytes === 'function') b = b.setMaxRowGroupBytes(m.rowGroupBytes);
  return b.build();
}

// The next batch message of a file, or null at its end; rejects when the file is aborted.
function nextInput(file) {
  if (file.inbox.length > 0) return Promise.resolve(file.inbox.shift());
  if (file.failure !== undefined) return Promise.reject(file.failure);
  return new Promise((resolve, reject) => { file.waiting = { resolve, reject }; });
}

function deliver(file, item) {
  const w = file.waiting;
  if (w !== undefined) {
    file.waiting = undefined;
    w.resolve(item);
  } else file.inbox.push(item);
}

async function run(fid, m) {
  const file = files.get(fid);
  let taken = 0;
  const input = new ReadableStream({
    async pull(controller) {
      // The writer asks for the next batch only once it has written the previous one: acknowledge it now, after
      // a turn of the event loop so that the chunks that batch completed are posted first (messages keep order).
      if (taken > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        parentPort.postMessage({ t: 'ack', fid });
      }
      const ipc = await nextInput(file);
      if (ipc === null) {
        controller.close();
        return;
      }
      const table = wasm.Table.fromIPCStream(new Uint8Array(ipc));
      const batches = table.recordBatches();
      table.free();
      for (const b of batches) controller.enqueue(b);
      taken++;
    },
  }, { highWaterMark: 0 });
  try {
    const output = await wasm.transformParquetStream(input, properties(m));
    const reader = output.getReader();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      const v = r.value;
      const data = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v.buffer : v.slice().buffer;
      parentPort.postMessage({ t: 'chunk', fid, data }, [data]);
    }
    if (file.failure !== undefined) throw file.failure;
    parentPort.postMessage({ t: 'closed', fid, memory: memory() });
  } catch (e) {
    if (!file.aborted) parentPort.postMessage({ t: 'failed', fid, message: e instanceof Error ? e.message : String(e), memory: memory() });
  } finally {
    files.delete(fid);
  }
}

parentPort.on('message', (m) => {
  switch (m.t) {
    case 'open': {
      files.set(m.fid, { inbox: [], waiting: undefined, failure: undefined, aborted: false });
      void run(m.fid, m);
      break;
    }
    case 'batch': {
      const file = files.get(m.fid);
      if (file !== undefined) deliver(file, m.ipc);
      break;
    }
    case 'end': {
      const file = files.get(m.fid);
      if (file !== undefined) deliver(file, null);
      break;
    }
    case 'abort': {
      const file = files.get(m.fid);
      if (file === undefined) break;
      file.aborted = true;
      file.failure = new Error('aborted');
      const w = file.waiting;
      file.waiting = undefined;
      if (w !== undefined) w.reject(file.failure);
      break;
    }
  }
});
parentPort.postMessage({ t: 'ready' });
`;
