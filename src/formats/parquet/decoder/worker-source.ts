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
 *                  read {id, fid, rowGroup, columns, batchSize, transport, ranges}
 *                                                      → result {id, ipc, memory} | arrays {id, layout, data, memory}
 *                                                        | failed {id, message, memory}
 *                                                      transport 'arrays': the batches' buffers copied out as they
 *                                                      are (copyArrays) when every column is flat; else IPC
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
    // The decoder usually reads a job's range whole: hand it over without a copy (the decoder copies what it is
    // given into WebAssembly memory and never detaches or writes it; a second read gets the same bytes).
    if (r.offset === start && n === end - start) {
      return n === r.bytes.buffer.byteLength && r.bytes.byteOffset === 0 ? r.bytes.buffer : r.bytes.slice(0, n).buffer;
    }
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

// Bytes per value of the fixed-width formats of the Arrow C data interface that copyArrays passes on.
const FIXED_WIDTH = { c: 1, C: 1, s: 2, S: 2, e: 2, i: 4, I: 4, f: 4, l: 8, L: 8, g: 8, tdD: 4, tdm: 8, tts: 4, ttm: 4, ttu: 8, ttn: 8 };

// How the buffers of an array of C data interface format f are sized, or undefined for the formats left to IPC
// (nested, dictionary-encoded, views, anything not listed).
function layoutOf(f) {
  if (f === 'n') return { kind: 'null' };
  if (f === 'b') return { kind: 'bits' };
  if (f === 'u' || f === 'z') return { kind: 'var', offsetBytes: 4 };
  if (f === 'U' || f === 'Z') return { kind: 'var', offsetBytes: 8 };
  const w = FIXED_WIDTH[f];
  if (w !== undefined) return { kind: 'fixed', width: w };
  if (/^d:\d+,-?\d+(,128)?$/.test(f)) return { kind: 'fixed', width: 16 };
  if (/^ts[smun]:/.test(f) || /^tD[smun]$/.test(f)) return { kind: 'fixed', width: 8 };
  return undefined;
}

function cString(u8, at) {
  let end = at;
  while (end < u8.length && u8[end] !== 0) end++;
  return Buffer.from(u8.buffer, u8.byteOffset + at, end - at).toString('utf8');
}

// The table's batches copied out of WebAssembly memory into one transferable ArrayBuffer, with a layout naming
// each column's format and each buffer's [byteOffset, byteLength] in it; undefined when some column has a format
// or shape copyArrays does not handle or a pointer outside memory (the caller then sends IPC, whose writer
// validates). Reads the Arrow C data interface structs of
// wasm32: ArrowSchema {format@0, name@4, metadata@8, flags i64@16, n_children i64@24, children@32, dictionary@36},
// ArrowArray {length i64@0, null_count i64@8, offset i64@16, n_buffers i64@24, n_children i64@32, buffers@40,
// children@44, dictionary@48}. toFFI shares the table's buffers (nothing is copied until here).
function copyArrays(table) {
  const stream = table.toFFI();
  try {
    const mem = wasm.wasmMemory().buffer;
    const dv = new DataView(mem);
    const u8 = new Uint8Array(mem);
    const ptr = (at) => dv.getUint32(at, true);
    const i64 = (at) => dv.getInt32(at + 4, true) * 4294967296 + dv.getUint32(at, true);
    const schema = stream.schemaAddr();
    if (cString(u8, ptr(schema)) !== '+s') return undefined;
    const nFields = i64(schema + 24);
    const fields = [];
    const layouts = [];
    for (let j = 0; j < nFields; j++) {
      const c = ptr(ptr(schema + 32) + 4 * j);
      const format = cString(u8, ptr(c));
      const layout = layoutOf(format);
      if (layout === undefined || i64(c + 24) !== 0 || ptr(c + 36) !== 0) return undefined;
      fields.push({ name: cString(u8, ptr(c + 4)), format });
      layouts.push(layout);
    }
    // Plan every buffer's source span first, then copy them into one buffer, each 8-byte aligned.
    const spans = [];
    let total = 0;
    const take = (from, bytes) => {
      if (!(from > 0 && from + bytes <= mem.byteLength)) throw new Error('buffer outside WebAssembly memory');
      const at = total;
      spans.push(from, bytes, at);
      total += Math.ceil(bytes / 8) * 8;
      return [at, bytes];
    };
    const batches = [];
    const n = stream.numArrays();
    for (let b = 0; b < n; b++) {
      const a = stream.arrayAddr(b);
      const length = i64(a);
      if (i64(a + 16) !== 0 || i64(a + 32) !== nFields) return undefined;
      const columns = [];
      for (let j = 0; j < nFields; j++) {
        const c = ptr(ptr(a + 44) + 4 * j);
        const len = i64(c), nulls = i64(c + 8), nBuffers = i64(c + 24), bufs = ptr(c + 40);
        const layout = layouts[j];
        if (len !== length || i64(c + 16) !== 0 || i64(c + 32) !== 0 || nulls < 0) return undefined;
        if (layout.kind === 'null') {
          if (nBuffers !== 0) return undefined;
          columns.push({ length: len, nullCount: len, buffers: [] });
          continue;
        }
        if (nBuffers !== (layout.kind === 'var' ? 3 : 2)) return undefined;
        const validity = ptr(bufs);
        const buffers = [validity === 0 ? (nulls === 0 ? null : undefined) : nulls === 0 ? null : take(validity, Math.ceil(len / 8))];
        if (buffers[0] === undefined) return undefined;
        const values = ptr(bufs + 4);
        if (layout.kind === 'bits') buffers.push(take(values, Math.ceil(len / 8)));
        else if (layout.kind === 'fixed') buffers.push(take(values, len * layout.width));
        else {
          const ob = layout.offsetBytes;
          if (len === 0) {
            buffers.push(null, null);
          } else {
            buffers.push(take(values, (len + 1) * ob));
            const last = ob === 4 ? dv.getInt32(values + len * 4, true) : i64(values + len * 8);
            const first = ob === 4 ? dv.getInt32(values, true) : i64(values);
            if (!(first >= 0 && last >= first)) throw new Error('string offsets out of order');
            buffers.push(last === 0 ? null : take(ptr(bufs + 8), last));
          }
        }
        columns.push({ length: len, nullCount: nulls, buffers });
      }
      batches.push({ length, columns });
    }
    // Not zero-filled (every byte read is overwritten; the alignment gaps are never read): 20-25% faster than
    // new ArrayBuffer for 10 MiB copies.
    const out = Buffer.allocUnsafeSlow(total);
    const data = out.buffer;
    for (let k = 0; k < spans.length; k += 3) out.set(u8.subarray(spans[k], spans[k] + spans[k + 1]), spans[k + 2]);
    return { layout: { fields, batches }, data };
  } catch {
    return undefined;
  } finally {
    stream.free();
  }
}

async function read(m) {
  try {
    const file = files.get(m.fid);
    if (file === undefined) throw new Error('file ' + m.fid + ' is not open in the decoder');
    file.ranges = m.ranges.map((r) => ({ offset: r.offset, bytes: new Uint8Array(r.data) })).sort((a, b) => a.offset - b.offset);
    const parquet = await file.parquet;
    const table = await parquet.read({ rowGroups: [m.rowGroup], columns: m.columns, batchSize: m.batchSize });
    const arrays = m.transport === 'arrays' ? copyArrays(table) : undefined;
    if (arrays !== undefined) {
      table.free();
      parentPort.postMessage({ t: 'arrays', id: m.id, layout: arrays.layout, data: arrays.data, memory: memory() }, [arrays.data]);
      return;
    }
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
