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
  if (/^d:\d+,-?\d+(,128)?$/.test(f)) return { kind: 'fixed', width: 16, decimal: true };
  if (/^ts[smun]:/.test(f) || /^tD[smun]$/.test(f)) return { kind: 'fixed', width: 8 };
  return undefined;
}

function cString(u8, at) {
  let end = at;
  while (end < u8.length && u8[end] !== 0) end++;
  return Buffer.from(u8.buffer, u8.byteOffset + at, end - at).toString('utf8');
}

// The row filter's atoms (row-filter.ts) whose columns were decoded in the atom's format, with their field
// indices; the others are ignored (the operators above the scan still filter).
function usableAtoms(rowFilter, fields) {
  if (!Array.isArray(rowFilter)) return [];
  const index = (name, format) => {
    const j = fields.findIndex((f) => f.name === name);
    return j >= 0 && fields[j].format === format ? j : -1;
  };
  const out = [];
  for (const a of rowFilter) {
    if (a.kind === 'differenceRange') {
      const j = index(a.left, a.format), k = index(a.right, a.format);
      if (j >= 0 && k >= 0 && a.format !== 'l') out.push({ kind: a.kind, j, k, lo: a.lo, hi: a.hi });
      continue;
    }
    const j = index(a.column, a.format);
    if (j < 0) continue;
    if (a.kind === 'range') out.push({ kind: a.kind, j, wide: a.format === 'l', lo: a.lo, hi: a.hi });
    else if (a.kind === 'notEqual') out.push({ kind: a.kind, j, wide: a.format === 'l', value: a.value });
    else if (a.kind === 'keyBits' && a.bits instanceof Uint8Array && a.range >= 0 && a.range <= 2 ** 30) {
      const minHi = Math.floor(a.min / 4294967296);
      out.push({ kind: a.kind, j, wide: a.format === 'l', min: a.min, minHi, minLoU: a.min - minHi * 4294967296, range: a.range, bits: a.bits });
    }
  }
  return out;
}

// The loops below narrow sel[0..count) (with all: every row 0..count-1, sel only written) to the rows where a
// test holds, in place, and return the new count; keepValid then drops the NULLs of a column that has some.
// They are branch-free (sel[c] = i is written for every row, c advances by the test's 0 or 1): a kept share
// between a twentieth and nineteen twentieths mispredicts a branch per row often enough to double the loop's time
// (microbenchmark over 122,880 rows: 10 ns per row against 3.5 for a probe filter's Int64 keys).
// Int64 values are read as hi * 2^32 + lo where noted: inexact past 2^53, but rounding is monotonic and the
// bounds are within 2^52, so every comparison with them comes out as it would exactly.
function keepRange(w, lo, hi, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const v = w[i];
    sel[c] = i;
    c += (v >= lo) & (v <= hi);
  }
  return c;
}
// keepRange's loop for Int64 columns, kept apart: v is a double here and an int32 there, and V8 compiles one
// loop over both for doubles.
function keepRangeWide(w, lo, hi, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const v = w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
    sel[c] = i;
    c += (v >= lo) & (v <= hi);
  }
  return c;
}
function keepNotEqual(w, wide, value, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const v = wide ? w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0) : w[i];
    sel[c] = i;
    c += v !== value ? 1 : 0;
  }
  return c;
}
function keepDifference(a, b, lo, hi, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const d = a[i] - b[i];
    sel[c] = i;
    c += (d >= lo) & (d <= hi);
  }
  return c;
}
// Int32 keys: d = v − min is exact in doubles; (d | 0) & −ok reads bit 0 for a key outside the range.
function keepBits(w, min, range, bits, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const d = w[i] - min;
    const ok = (d >= 0) & (d < range);
    const x = (d | 0) & -ok;
    sel[c] = i;
    c += ok & (bits[x >> 3] >> (x & 7));
  }
  return c;
}
// Int64 keys in int32 arithmetic (min = minHi * 2^32 + minLoU, minLoU unsigned; range < 2^31): the key − min is
// (lo − minLo) mod 2^32 exactly when hi is minHi plus the borrow of that low-word subtraction.
function keepBitsWide(w, minHi, minLoU, range, bits, sel, count, all) {
  const minLo = minLoU | 0;
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    const lo = w[2 * i], hi = w[2 * i + 1];
    const d = (lo - minLo) | 0;
    const borrow = (lo >>> 0) < minLoU ? 1 : 0;
    const ok = (hi === minHi + borrow) & (d >= 0) & (d < range);
    const x = d & -ok;
    sel[c] = i;
    c += ok & (bits[x >> 3] >> (x & 7));
  }
  return c;
}
function keepValid(valid, sel, count, all) {
  let c = 0;
  for (let j = 0; j < count; j++) {
    const i = all ? j : sel[j];
    sel[c] = i;
    c += (valid[i >> 3] >> (i & 7)) & 1;
  }
  return c;
}

// The rows of one batch every usable atom keeps, ascending, as sel[0..count); cols[j] = { values, validity,
// length } (WebAssembly addresses; validity 0 when the column has no nulls). An atom over a misaligned buffer is
// skipped.
function selectRows(mem, atoms, cols, length, sel) {
  let count = length;
  let all = true;
  const view = (j, wide) => {
    const c = cols[j];
    return c.values % 4 === 0 ? new Int32Array(mem, c.values, wide ? 2 * length : length) : undefined;
  };
  const dropNulls = (j) => {
    if (cols[j].validity !== 0 && count > 0) count = keepValid(new Uint8Array(mem, cols[j].validity, Math.ceil(length / 8)), sel, count, false);
  };
  for (const a of atoms) {
    if (count === 0) break;
    if (a.kind === 'differenceRange') {
      const x = view(a.j, false), y = view(a.k, false);
      if (x === undefined || y === undefined) continue;
      count = keepDifference(x, y, a.lo, a.hi, sel, count, all);
      all = false;
      dropNulls(a.j);
      dropNulls(a.k);
      continue;
    }
    const w = view(a.j, a.wide);
    if (w === undefined) continue;
    if (a.kind === 'range') count = a.wide ? keepRangeWide(w, a.lo, a.hi, sel, count, all) : keepRange(w, a.lo, a.hi, sel, count, all);
    else if (a.kind === 'notEqual') count = keepNotEqual(w, a.wide, a.value, sel, count, all);
    else if (a.wide) count = keepBitsWide(w, a.minHi, a.minLoU, a.range, a.bits, sel, count, all);
    else count = keepBits(w, a.min, a.range, a.bits, sel, count, all);
    all = false;
    dropNulls(a.j);
  }
  return all ? length : count;
}

// sel[0..count) as runs of consecutive rows: starts[r], lengths[r] for r < the returned number of runs.
function runsOf(sel, count, starts, lengths) {
  let n = 0;
  for (let j = 0; j < count; ) {
    const s = sel[j];
    let e = j + 1;
    while (e < count && sel[e] === s + (e - j)) e++;
    starts[n] = s;
    lengths[n++] = e - j;
    j = e;
  }
  return n;
}

// Short copies loop; long ones (a dense selection's runs) go through set, which pays a view per call.
function copyBytes(src, from, dst, to, n) {
  if (n >= 256) dst.set(src.subarray(from, from + n), to);
  else for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
}
function copyWords(src, from, dst, to, n) {
  if (n >= 64) dst.set(src.subarray(from, from + n), to);
  else for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
}
// Below this many kept rows per run on average, gatherWords copies row by row: a run's loop costs more than the
// rows' words (microbenchmark over 122,880 rows of 16-byte values: 7.8 against 16.1 ns per kept row at a twentieth
// kept, 4.4 against 5.1 at nine tenths, where runs average ten rows).
const GATHER_RUN_MIN = 16;

// Copies the kept rows' values (words 32-bit words each) from word src of mem32 into out32 from word to on: row by
// row when rows is given, else run by run.
function gatherWords(mem32, src, words, rows, runs, out32, to) {
  let o = to;
  if (rows === undefined) {
    for (let r = 0; r < runs.n; r++) {
      const n = runs.lengths[r] * words;
      copyWords(mem32, src + runs.starts[r] * words, out32, o, n);
      o += n;
    }
  } else if (words === 1) {
    for (let j = 0; j < rows.length; j++) out32[o++] = mem32[src + rows[j]];
  } else if (words === 2) {
    for (let j = 0; j < rows.length; j++, o += 2) {
      const b = src + 2 * rows[j];
      out32[o] = mem32[b];
      out32[o + 1] = mem32[b + 1];
    }
  } else if (words === 4) {
    for (let j = 0; j < rows.length; j++, o += 4) {
      const b = src + 4 * rows[j];
      out32[o] = mem32[b];
      out32[o + 1] = mem32[b + 1];
      out32[o + 2] = mem32[b + 2];
      out32[o + 3] = mem32[b + 3];
    }
  } else {
    for (let j = 0; j < rows.length; j++, o += words) copyWords(mem32, src + words * rows[j], out32, o, words);
  }
}

// The bits of the rows in runs, packed from bit 0 of dst[to]; clears the bytes first (the output is not zeroed).
function gatherBits(src, at, runs, dst, to, count) {
  dst.fill(0, to, to + Math.ceil(count / 8));
  let o = 0;
  for (let r = 0; r < runs.n; r++) {
    for (let i = runs.starts[r], end = i + runs.lengths[r]; i < end; i++, o++) {
      if ((src[at + (i >> 3)] >> (i & 7)) & 1) dst[to + (o >> 3)] |= 1 << (o & 7);
    }
  }
}

// Decimal128 values are sent as doubles (8 bytes, the unscaled value) when every kept value of the batch is an
// exact one: Parquet's decimals of up to 18 digits are INT64 on disk, which the decoder widens to 16 bytes, and the
// main thread converted them back to doubles for every kernel (q01: 180 of its 980 ms there). decimalBound returns
// the largest magnitude among the kept values from word w of mem32 (4 words each, two's complement; rows as
// gatherDecimalNumbers takes them), or -1 when one is not an exact double (|v| > 2^53: the high word outside
// [-2^21, 2^21) or the upper words not its sign extension). Branch-free like the row tests.
function decimalBound(mem32, w, rows, runs) {
  let bad = 0, most = 0, least = 0;
  // One loop over the kept rows' word offsets: a run's, or (rows given) one per row. Not a closure per value:
  // its captured accumulators would live in a context object.
  for (let r = 0, nr = rows === undefined ? runs.n : rows.length; r < nr; r++) {
    const from = rows === undefined ? w + 4 * runs.starts[r] : w + 4 * rows[r];
    for (let o = from, end = from + (rows === undefined ? 4 * runs.lengths[r] : 4); o < end; o += 4) {
      const hi = mem32[o + 1];
      const ext = hi >> 31;
      bad |= ((hi + 0x200000) >>> 22) | (mem32[o + 2] ^ ext) | (mem32[o + 3] ^ ext);
      const v = hi * 4294967296 + (mem32[o] >>> 0);
      most = v > most ? v : most;
      least = v < least ? v : least;
    }
  }
  if (bad !== 0) return -1;
  return most > -least ? most : -least;
}
// The kept rows' decimals (word src of mem32, known exact by decimalBound) as doubles into out64 from index to on:
// row by row when rows is given, else run by run.
function gatherDecimalNumbers(mem32, src, rows, runs, out64, to) {
  let o = to;
  if (rows === undefined) {
    for (let r = 0; r < runs.n; r++) {
      for (let b = src + 4 * runs.starts[r], end = b + 4 * runs.lengths[r]; b < end; b += 4) out64[o++] = mem32[b + 1] * 4294967296 + (mem32[b] >>> 0);
    }
  } else {
    for (let j = 0; j < rows.length; j++) {
      const b = src + 4 * rows[j];
      out64[o++] = mem32[b + 1] * 4294967296 + (mem32[b] >>> 0);
    }
  }
}

// The table's batches copied out of WebAssembly memory into one transferable ArrayBuffer, with a layout naming
// each column's format and each buffer's [byteOffset, byteLength] in it; undefined when some column has a format
// or shape copyArrays does not handle or a pointer outside memory (the caller then sends IPC, whose writer
// validates). With a row filter (row-filter.ts) only the rows it keeps are copied: batches keeping none are left
// out, and layout.dropped counts the rows left behind. Reads the Arrow C data interface structs of
// wasm32: ArrowSchema {format@0, name@4, metadata@8, flags i64@16, n_children i64@24, children@32, dictionary@36},
// ArrowArray {length i64@0, null_count i64@8, offset i64@16, n_buffers i64@24, n_children i64@32, buffers@40,
// children@44, dictionary@48}. toFFI shares the table's buffers (nothing is copied until here).
function copyArrays(table, rowFilter) {
  const stream = table.toFFI();
  try {
    const mem = wasm.wasmMemory().buffer;
    const dv = new DataView(mem);
    const u8 = new Uint8Array(mem);
    const mem32 = new Int32Array(mem, 0, mem.byteLength >> 2);
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
    // Filtering gathers 4-byte string offsets only.
    const atoms = layouts.some((l) => l.kind === 'var' && l.offsetBytes !== 4) ? [] : usableAtoms(rowFilter, fields);
    // Plan every buffer first (spans copied whole, gathers run once the output exists), then copy them into one
    // buffer, each 8-byte aligned.
    const spans = [];
    const gathers = [];
    let total = 0;
    const reserve = (bytes) => {
      const at = total;
      total += Math.ceil(bytes / 8) * 8;
      return [at, bytes];
    };
    const within = (from, bytes) => {
      if (!(from > 0 && from + bytes <= mem.byteLength)) throw new Error('buffer outside WebAssembly memory');
    };
    const take = (from, bytes) => {
      within(from, bytes);
      const span = reserve(bytes);
      spans.push(from, bytes, span[0]);
      return span;
    };
    // decimalBound of a batch's decimal column (length rows, the kept ones as rows or runs), or -1 when it is sent
    // as it is (not exact, or misaligned).
    const numbersBound = (layout, from, length, rows, runs) => {
      if (!layout.decimal || from % 4 !== 0) return -1;
      within(from, 16 * length);
      return decimalBound(mem32, from >> 2, rows, runs);
    };
    // The batch's decimal column as doubles (8-byte values, the unscaled value) for the kept rows.
    const takeNumbers = (from, rows, runs, kept) => {
      const span = reserve(8 * kept);
      const at = span[0] >> 3;
      gathers.push((out, out32, m32, out64) => gatherDecimalNumbers(m32, from >> 2, rows, runs, out64, at));
      return span;
    };
    const batches = [];
    let dropped = 0;
    let sel, starts, lengths;
    const n = stream.numArrays();
    for (let b = 0; b < n; b++) {
      const a = stream.arrayAddr(b);
      const length = i64(a);
      if (i64(a + 16) !== 0 || i64(a + 32) !== nFields) return undefined;
      const arrays = [];
      for (let j = 0; j < nFields; j++) {
        const c = ptr(ptr(a + 44) + 4 * j);
        const len = i64(c), nulls = i64(c + 8), nBuffers = i64(c + 24), bufs = ptr(c + 40);
        const layout = layouts[j];
        if (len !== length || i64(c + 16) !== 0 || i64(c + 32) !== 0 || nulls < 0) return undefined;
        if (nBuffers !== (layout.kind === 'null' ? 0 : layout.kind === 'var' ? 3 : 2)) return undefined;
        const validity = layout.kind === 'null' ? 0 : ptr(bufs);
        if (validity === 0 && nulls !== 0 && layout.kind !== 'null') return undefined;
        arrays.push({
          nulls, validity: nulls === 0 ? 0 : validity,
          values: layout.kind === 'null' ? 0 : ptr(bufs + 4), data: layout.kind === 'var' ? ptr(bufs + 8) : 0,
        });
      }
      let kept = length;
      if (atoms.length > 0 && length > 0) {
        if (sel === undefined || sel.length < length) {
          sel = new Int32Array(length);
          starts = new Int32Array(length);
          lengths = new Int32Array(length);
        }
        kept = selectRows(mem, atoms, arrays, length, sel);
      }
      if (kept === 0 && length > 0) {
        dropped += length;
        continue;
      }
      const columns = [];
      if (kept === length) {
        for (let j = 0; j < nFields; j++) {
          const layout = layouts[j], x = arrays[j];
          if (layout.kind === 'null') {
            columns.push({ length, nullCount: length, buffers: [] });
            continue;
          }
          const buffers = [x.nulls === 0 ? null : take(x.validity, Math.ceil(length / 8))];
          const whole = { starts: [0], lengths: [length], n: 1 };
          const bound = numbersBound(layout, x.values, length, undefined, whole);
          if (bound >= 0) {
            buffers.push(takeNumbers(x.values, undefined, whole, length));
            columns.push({ length, nullCount: x.nulls, buffers, numberMaxAbs: bound });
            continue;
          }
          if (layout.kind === 'bits') buffers.push(take(x.values, Math.ceil(length / 8)));
          else if (layout.kind === 'fixed') buffers.push(take(x.values, length * layout.width));
          else {
            const ob = layout.offsetBytes;
            if (length === 0) {
              buffers.push(null, null);
            } else {
              buffers.push(take(x.values, (length + 1) * ob));
              const last = ob === 4 ? dv.getInt32(x.values + length * 4, true) : i64(x.values + length * 8);
              const first = ob === 4 ? dv.getInt32(x.values, true) : i64(x.values);
              if (!(first >= 0 && last >= first)) throw new Error('string offsets out of order');
              buffers.push(last === 0 ? null : take(x.data, last));
            }
          }
          columns.push({ length, nullCount: x.nulls, buffers });
        }
        batches.push({ length, columns });
        continue;
      }
      // Some rows dropped: gather the kept ones, run by run.
      dropped += length - kept;
      // Copied: the gathers run after every batch is planned, and the next batch reuses sel, starts, lengths.
      const nRuns = runsOf(sel, kept, starts, lengths);
      const runs = { starts: starts.slice(0, nRuns), lengths: lengths.slice(0, nRuns), n: nRuns };
      // Fixed-width words are gathered row by row unless the runs are long (see gatherWords).
      const rows = nRuns * GATHER_RUN_MIN > kept ? sel.slice(0, kept) : undefined;
      for (let j = 0; j < nFields; j++) {
        const layout = layouts[j], x = arrays[j];
        if (layout.kind === 'null') {
          columns.push({ length: kept, nullCount: kept, buffers: [] });
          continue;
        }
        let nullCount = 0;
        let validitySpan = null;
        if (x.nulls !== 0) {
          within(x.validity, Math.ceil(length / 8));
          for (let r = 0; r < runs.n; r++) {
            for (let i = runs.starts[r], end = i + runs.lengths[r]; i < end; i++) if (((u8[x.validity + (i >> 3)] >> (i & 7)) & 1) === 0) nullCount++;
          }
          if (nullCount > 0) {
            validitySpan = reserve(Math.ceil(kept / 8));
            const at = validitySpan[0], src = x.validity;
            gathers.push((out) => gatherBits(u8, src, runs, out, at, kept));
          }
        }
        const buffers = [validitySpan];
        const bound = numbersBound(layout, x.values, length, rows, runs);
        if (layout.kind === 'bits') {
          within(x.values, Math.ceil(length / 8));
          const span = reserve(Math.ceil(kept / 8));
          const at = span[0], src = x.values;
          gathers.push((out) => gatherBits(u8, src, runs, out, at, kept));
          buffers.push(span);
        } else if (bound >= 0) {
          buffers.push(takeNumbers(x.values, rows, runs, kept));
          columns.push({ length: kept, nullCount, buffers, numberMaxAbs: bound });
          continue;
        } else if (layout.kind === 'fixed') {
          const width = layout.width, src = x.values;
          within(src, length * width);
          const span = reserve(kept * width);
          const at = span[0];
          if (width % 4 === 0 && src % 4 === 0) {
            gathers.push((out, out32, mem32) => gatherWords(mem32, src >> 2, width >> 2, rows, runs, out32, at >> 2));
          } else {
            gathers.push((out) => {
              let o = at;
              for (let r = 0; r < runs.n; r++) {
                const bytes = runs.lengths[r] * width;
                copyBytes(u8, src + runs.starts[r] * width, out, o, bytes);
                o += bytes;
              }
            });
          }
          buffers.push(span);
        } else {
          const offsets = x.values, data = x.data;
          if (offsets % 4 !== 0) return undefined;
          within(offsets, (length + 1) * 4);
          const off = new Int32Array(mem, offsets, length + 1);
          if (!(off[0] >= 0 && off[length] >= off[0])) throw new Error('string offsets out of order');
          let bytes = 0;
          for (let r = 0; r < runs.n; r++) bytes += off[runs.starts[r] + runs.lengths[r]] - off[runs.starts[r]];
          if (bytes > 0) within(data, off[length]);
          const offsetSpan = reserve((kept + 1) * 4);
          const dataSpan = bytes === 0 ? null : reserve(bytes);
          gathers.push((out, out32) => {
            let o = offsetSpan[0] >> 2, acc = 0;
            for (let r = 0; r < runs.n; r++) {
              const s = runs.starts[r], len = runs.lengths[r], base = off[s];
              for (let k = 0; k < len; k++) out32[o + k] = acc + off[s + k] - base;
              o += len;
              const runBytes = off[s + len] - base;
              if (runBytes > 0) copyBytes(u8, data + base, out, dataSpan[0] + acc, runBytes);
              acc += runBytes;
            }
            out32[o] = acc;
          });
          buffers.push(offsetSpan, dataSpan);
        }
        columns.push({ length: kept, nullCount, buffers });
      }
      batches.push({ length: kept, columns });
    }
    // Not zero-filled (every byte read is overwritten; the alignment gaps are never read): 20-25% faster than
    // new ArrayBuffer for 10 MiB copies. Gathered validity bits are ORed in, so their bytes are cleared first.
    const out = Buffer.allocUnsafeSlow(total);
    const data = out.buffer;
    for (let k = 0; k < spans.length; k += 3) out.set(u8.subarray(spans[k], spans[k] + spans[k + 1]), spans[k + 2]);
    if (gathers.length > 0) {
      const out8 = new Uint8Array(data);
      const out32 = new Int32Array(data, 0, total >> 2);
      const out64 = new Float64Array(data, 0, total >> 3);
      for (const g of gathers) g(out8, out32, mem32, out64);
    }
    return { layout: { fields, batches, dropped }, data };
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
    const arrays = m.transport === 'arrays' ? copyArrays(table, m.rowFilter) : undefined;
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
