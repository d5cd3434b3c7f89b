/**
 * The decoder worker's program, run with `new Worker(source, { eval: true })` so that it works the same from the
 * TypeScript sources (tests) and from the compiled package: it is plain CommonJS and needs only parquet-wasm,
 * whose absolute path arrives in workerData.modulePath.
 *
 * Why a worker: arrow-rs panics on some corrupt pages, and a panic in WebAssembly is a trap that surfaces as an
 * uncaught exception and would kill the process. In a worker it kills only the worker, which the pool replaces.
 * The worker also bounds WebAssembly memory, which never shrinks: the pool terminates a worker that grew too big.
 * And it caps that memory at workerData.memoryLimitPages (64 KiB pages): parquet-wasm's module declares no maximum,
 * so a decompression bomb (a 1 MB gzip page inflating to 1 GB, a snappy header claiming 4 GB) would grow the worker
 * to wasm32's 4 GiB before failing. With the cap the allocation fails, the decoder traps, and the job fails as a
 * crash (CORRUPT_FILE naming the file) with memory bounded.
 *
 * Protocol (see decoder-protocol.ts for the typed side):
 *   main → worker  open {fid, size, tailOffset, tail}   registers a file; ParquetFile.fromFile over a RemoteBlob
 *                  read {id, fid, rowGroup, columns, batchSize, ranges}  → result {id, ipc, memory} | failed {id, message, memory}
 *                                                      ranges: [{offset, data}] fetched for the job, dropped after it
 *                  bytes {id, data} | {id, error}       answer to a fetch
 *                  close {fid}                          frees the ParquetFile
 *   worker → main  ready                                parquet-wasm loaded (a death before it is not the file's fault)
 *                  fetch {id, fid, offset, length}      the decoder needs bytes of file fid
 * A RemoteBlob is a Blob subclass (size, slice, arrayBuffer) whose bytes come from the main thread, except reads
 * inside the tail the main thread sent with open and the ranges it sent with the job, which are served locally
 * (a read spanning several of them is assembled).
 */
export const DECODER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

function leb(bytes, at) {
  let value = 0, shift = 0, b;
  do { b = bytes[at++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return { value, at };
}
function toLeb(value) {
  const out = [];
  do { let b = value % 128; value = Math.floor(value / 128); if (value > 0) b |= 0x80; out.push(b); } while (value > 0);
  return out;
}
// The module's bytes with its one memory given maximum maxPages (when it declares none or a larger one); the
// bytes unchanged when the layout is not the expected one (a single memory, defined in the module).
function capMemory(bytes, maxPages) {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = leb(bytes, at + 1);
    const body = size.at, end = size.at + size.value;
    if (id === 5) {
      const n = leb(bytes, body);
      if (n.value !== 1) return bytes;
      const flags = bytes[n.at];
      if (flags !== 0 && flags !== 1) return bytes;
      const min = leb(bytes, n.at + 1);
      const max = flags === 1 ? Math.min(leb(bytes, min.at).value, maxPages) : maxPages;
      const section = [1, 1, ...toLeb(min.value), ...toLeb(Math.max(max, min.value))];
      const out = new Uint8Array(at + 1 + toLeb(section.length).length + section.length + bytes.length - end);
      out.set(bytes.subarray(0, at + 1), 0);
      out.set(toLeb(section.length).concat(section), at + 1);
      out.set(bytes.subarray(end), at + 1 + toLeb(section.length).length + section.length);
      return out;
    }
    at = end;
  }
  return bytes;
}
const NativeModule = WebAssembly.Module;
WebAssembly.Module = function (bytes, ...rest) {
  return new NativeModule(capMemory(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), workerData.memoryLimitPages), ...rest);
};
let wasm;
try {
  wasm = require(workerData.modulePath);
} finally {
  WebAssembly.Module = NativeModule;
}
const files = new Map();
const fetches = new Map();
let nextFetch = 1;

function clampIndex(x, size) {
  let v = Math.trunc(Number(x));
  if (!Number.isFinite(v)) v = 0;
  return v < 0 ? Math.max(size + v, 0) : Math.min(v, size);
}

// [start, end) from the tail and the job's ranges (sorted by offset), or undefined when they do not cover it.
function localBytes(file, start, end) {
  if (start >= file.tailOffset) {
    const at = start - file.tailOffset;
    return file.tail.slice(at, at + end - start).buffer;
  }
  const pieces = file.ranges.concat([{ offset: file.tailOffset, bytes: file.tail }]);
  const out = new Uint8Array(end - start);
  let at = start;
  for (const r of pieces) {
    const rEnd = r.offset + r.bytes.length;
    if (rEnd <= at) continue;
    if (r.offset > at) break;
    const n = Math.min(rEnd, end) - at;
    if (r.offset === start && n === end - start) return r.bytes.slice(0, n).buffer;
    out.set(r.bytes.subarray(at - r.offset, at - r.offset + n), at - start);
    at += n;
    if (at >= end) return out.buffer;
  }
  return undefined;
}

function fetchBytes(fid, file, start, end) {
  const length = end - start;
  if (length <= 0) return Promise.resolve(new ArrayBuffer(0));
  const local = localBytes(file, start, end);
  if (local !== undefined) return Promise.resolve(local);
  return new Promise((resolve, reject) => {
    const id = nextFetch++;
    fetches.set(id, { resolve, reject });
    parentPort.postMessage({ t: 'fetch', id, fid, offset: start, length });
  });
}

class RemoteBlob extends Blob {
  constructor(fid, file, start, end) {
    super([]);
    this._fid = fid;
    this._file = file;
    this._start = start;
    this._end = end;
  }
  get size() { return this._end - this._start; }
  slice(start, end) {
    const size = this.size;
    const s = clampIndex(start === undefined ? 0 : start, size);
    const e = Math.max(s, clampIndex(end === undefined ? size : end, size));
    return new RemoteBlob(this._fid, this._file, this._start + s, this._start + e);
  }
  arrayBuffer() { return fetchBytes(this._fid, this._file, this._start, this._end); }
}

function memory() {
  try { return wasm.wasmMemory().buffer.byteLength; } catch { return 0; }
}

async function read(m) {
  try {
    const file = files.get(m.fid);
    if (file === undefined) throw new Error('file ' + m.fid + ' is not open in the decoder');
    file.ranges = m.ranges.map((r) => ({ offset: r.offset, bytes: new Uint8Array(r.data) })).sort((a, b) => a.offset - b.offset);
    const parquet = await file.parquet;
    const table = await parquet.read({ rowGroups: [m.rowGroup], columns: m.columns, batchSize: m.batchSize });
    const ipc = table.intoIPCStream();
    const buffer = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc.buffer : ipc.slice().buffer;
    parentPort.postMessage({ t: 'result', id: m.id, ipc: buffer, memory: memory() }, [buffer]);
  } catch (e) {
    parentPort.postMessage({ t: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e), memory: memory() });
  } finally {
    const file = files.get(m.fid);
    if (file !== undefined) file.ranges = [];
  }
}

parentPort.on('message', (m) => {
  switch (m.t) {
    case 'open': {
      const file = { tail: new Uint8Array(m.tail), tailOffset: m.tailOffset, size: m.size, ranges: [], parquet: undefined };
      file.parquet = wasm.ParquetFile.fromFile(new RemoteBlob(m.fid, file, 0, m.size));
      file.parquet.catch(() => {});
      files.set(m.fid, file);
      break;
    }
    case 'read':
      void read(m);
      break;
    case 'bytes': {
      const f = fetches.get(m.id);
      if (f === undefined) break;
      fetches.delete(m.id);
      if (m.error !== undefined) f.reject(new Error(m.error));
      else f.resolve(m.data);
      break;
    }
    case 'close': {
      const file = files.get(m.fid);
      files.delete(m.fid);
      if (file !== undefined) file.parquet.then((p) => p.free(), () => {});
      break;
    }
  }
});
parentPort.postMessage({ t: 'ready' });
`;
