/**
 * Row generators of region, nation, supplier, customer, part and partsupp (clause 4.2.3). Each table has its
 * own seeded random stream, so its rows depend only on the scale factor. Batches are at most `batchRows` rows.
 */
import type { RecordBatch } from 'apache-arrow';
import { Rng } from '../../../scripts/prng.js';
import { BatchBuffers, ascii, type Utf8Column } from './columns.js';
import { COLUMNS, cardinalities, partSupplier, retailPriceCents } from './scale.js';
import {
  COLORS, CONTAINER_SYLLABLE_1, CONTAINER_SYLLABLE_2, NATIONS, REGIONS, SEGMENTS, TYPE_SYLLABLE_1, TYPE_SYLLABLE_2,
  TYPE_SYLLABLE_3,
} from './spec-lists.js';
import type { TextPool } from './text-pool.js';

/** Uniform integer in [lo, hi]. */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

const encodeAll = (list: readonly string[]): Uint8Array[] => list.map(ascii);
const COLOR_BYTES = encodeAll(COLORS);
const TYPE1 = encodeAll(TYPE_SYLLABLE_1);
const TYPE2 = encodeAll(TYPE_SYLLABLE_2);
const TYPE3 = encodeAll(TYPE_SYLLABLE_3);
const CONT1 = encodeAll(CONTAINER_SYLLABLE_1);
const CONT2 = encodeAll(CONTAINER_SYLLABLE_2);
const SEGMENT_BYTES = encodeAll(SEGMENTS);
const SPACE = 0x20;
const DASH = 0x2d;

function pick(rng: Rng, list: readonly Uint8Array[]): Uint8Array {
  return list[rng.int(list.length)] ?? new Uint8Array();
}

/** Random letters, digits, commas and spaces (the spec's "v-string"), length in [10, 40]. */
const ADDRESS_CHARS = ascii('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ');
function address(col: Utf8Column, rng: Rng): void {
  const len = uniform(rng, 10, 40);
  for (let i = 0; i < len; i++) col.appendByte(ADDRESS_CHARS[rng.int(ADDRESS_CHARS.length)] ?? SPACE);
  col.end();
}

/** "Supplier#000000042": a prefix and the key zero-padded to 9 digits. */
function keyName(col: Utf8Column, prefix: Uint8Array, key: number): void {
  col.appendBytes(prefix);
  col.appendDigits(key, 9);
  col.end();
}

/** "CC-LLL-LLL-LLLL" where CC = nation key + 10 (clause 4.2.2.9). */
function phone(col: Utf8Column, rng: Rng, nationKey: number): void {
  col.appendDigits(nationKey + 10, 2);
  col.appendByte(DASH);
  col.appendDigits(uniform(rng, 100, 999), 3);
  col.appendByte(DASH);
  col.appendDigits(uniform(rng, 100, 999), 3);
  col.appendByte(DASH);
  col.appendDigits(uniform(rng, 1000, 9999), 4);
  col.end();
}

/**
 * The columns supplier and customer share (clause 4.2.3): the key, "<Kind>#<key>", address, nation key, phone and
 * account balance, filled with the same draws in the same order for both tables.
 */
class PartyColumns {
  private readonly key: Float64Array;
  private readonly name: Utf8Column;
  private readonly addr: Utf8Column;
  private readonly nation: Float64Array;
  private readonly tel: Utf8Column;
  private readonly bal: Float64Array;
  private readonly prefix: Uint8Array;

  /** `keyColumn` is the table's key column; `p` its column prefix ('s' or 'c'); `prefix` the name's text. */
  constructor(b: BatchBuffers, keyColumn: string, p: 's' | 'c', prefix: string) {
    this.key = b.f64(keyColumn);
    this.name = b.utf8(`${p}_name`);
    this.addr = b.utf8(`${p}_address`);
    this.nation = b.f64(`${p}_nationkey`);
    this.tel = b.utf8(`${p}_phone`);
    this.bal = b.f64(`${p}_acctbal`);
    this.prefix = ascii(prefix);
  }

  /** Row `i` of the batch, for key `k`. */
  fill(i: number, k: number, rng: Rng): void {
    this.key[i] = k;
    keyName(this.name, this.prefix, k);
    address(this.addr, rng);
    const nk = rng.int(25);
    this.nation[i] = nk;
    phone(this.tel, rng, nk);
    this.bal[i] = uniform(rng, -99_999, 999_999);
  }
}

export function* regionBatches(pool: TextPool): Generator<RecordBatch> {
  const rng = new Rng('tpch:region');
  const b = new BatchBuffers(COLUMNS.region, REGIONS.length);
  const key = b.f64('r_regionkey'), name = b.utf8('r_name'), comment = b.utf8('r_comment');
  REGIONS.forEach((r, i) => {
    key[i] = i;
    name.pushBytes(ascii(r));
    pool.comment(comment, rng, 31, 115);
  });
  yield b.toBatch(REGIONS.length);
}

export function* nationBatches(pool: TextPool): Generator<RecordBatch> {
  const rng = new Rng('tpch:nation');
  const b = new BatchBuffers(COLUMNS.nation, NATIONS.length);
  const key = b.f64('n_nationkey'), name = b.utf8('n_name'), region = b.f64('n_regionkey'), comment = b.utf8('n_comment');
  NATIONS.forEach(([n, r], i) => {
    key[i] = i;
    name.pushBytes(ascii(n));
    region[i] = r;
    pool.comment(comment, rng, 31, 114);
  });
  yield b.toBatch(NATIONS.length);
}

const CUSTOMER = ascii('Customer ');
const COMPLAINTS = ascii('Complaints');
const RECOMMENDS = ascii('Recommends');

/**
 * Overwrites part of the comment that starts at byte `start` (length `len` ≥ 19) with "Customer " … `word`, at
 * random positions, as clause 4.2.3 requires for SF*5 suppliers each with "Complaints" and "Recommends".
 */
function plantCustomerWord(col: Utf8Column, rng: Rng, start: number, len: number, word: Uint8Array): void {
  const room = len - CUSTOMER.length - word.length;
  const p1 = rng.int(room + 1);
  const p2 = p1 + CUSTOMER.length + rng.int(room - p1 + 1);
  col.buffer.set(CUSTOMER, start + p1);
  col.buffer.set(word, start + p2);
}

export function* supplierBatches(sf: number, pool: TextPool, batchRows: number): Generator<RecordBatch> {
  const rng = new Rng('tpch:supplier');
  const total = cardinalities(sf).supplier;
  // Exactly max(1, round(SF*5)) suppliers of each kind, spread over the keys by a multiplicative hash.
  const planted = Math.max(1, Math.round(sf * 5));
  const b = new BatchBuffers(COLUMNS.supplier, batchRows);
  const party = new PartyColumns(b, 's_suppkey', 's', 'Supplier#');
  const comment = b.utf8('s_comment');
  for (let first = 1; first <= total; first += batchRows) {
    const n = Math.min(batchRows, total - first + 1);
    for (let i = 0; i < n; i++) {
      const k = first + i;
      party.fill(i, k, rng);
      const start = comment.mark();
      const len = pool.appendComment(comment, rng, 25, 100);
      const slot = (k * 7919) % total;
      if (slot < planted) plantCustomerWord(comment, rng, start, len, COMPLAINTS);
      else if (slot < 2 * planted) plantCustomerWord(comment, rng, start, len, RECOMMENDS);
      comment.end();
    }
    yield b.toBatch(n);
  }
}

export function* customerBatches(sf: number, pool: TextPool, batchRows: number): Generator<RecordBatch> {
  const rng = new Rng('tpch:customer');
  const total = cardinalities(sf).customer;
  const b = new BatchBuffers(COLUMNS.customer, batchRows);
  const party = new PartyColumns(b, 'c_custkey', 'c', 'Customer#');
  const segment = b.utf8('c_mktsegment'), comment = b.utf8('c_comment');
  for (let first = 1; first <= total; first += batchRows) {
    const n = Math.min(batchRows, total - first + 1);
    for (let i = 0; i < n; i++) {
      party.fill(i, first + i, rng);
      segment.pushBytes(pick(rng, SEGMENT_BYTES));
      pool.comment(comment, rng, 29, 116);
    }
    yield b.toBatch(n);
  }
}

export function* partBatches(sf: number, pool: TextPool, batchRows: number): Generator<RecordBatch> {
  const rng = new Rng('tpch:part');
  const total = cardinalities(sf).part;
  const b = new BatchBuffers(COLUMNS.part, batchRows);
  const key = b.f64('p_partkey'), name = b.utf8('p_name'), mfgr = b.utf8('p_mfgr'), brand = b.utf8('p_brand');
  const type = b.utf8('p_type'), size = b.i32('p_size'), container = b.utf8('p_container');
  const price = b.f64('p_retailprice'), comment = b.utf8('p_comment');
  const manufacturer = ascii('Manufacturer#');
  const brandPrefix = ascii('Brand#');
  const chosen = new Int32Array(5);
  for (let first = 1; first <= total; first += batchRows) {
    const n = Math.min(batchRows, total - first + 1);
    for (let i = 0; i < n; i++) {
      const k = first + i;
      key[i] = k;
      // Five distinct colours.
      for (let c = 0; c < 5; c++) {
        let color: number;
        do color = rng.int(COLOR_BYTES.length);
        while (chosen.subarray(0, c).includes(color));
        chosen[c] = color;
        if (c > 0) name.appendByte(SPACE);
        name.appendBytes(COLOR_BYTES[color] ?? new Uint8Array());
      }
      name.end();
      const m = uniform(rng, 1, 5);
      mfgr.appendBytes(manufacturer);
      mfgr.appendDigits(m, 1);
      mfgr.end();
      brand.appendBytes(brandPrefix);
      brand.appendDigits(m * 10 + uniform(rng, 1, 5), 2);
      brand.end();
      type.appendBytes(pick(rng, TYPE1));
      type.appendByte(SPACE);
      type.appendBytes(pick(rng, TYPE2));
      type.appendByte(SPACE);
      type.appendBytes(pick(rng, TYPE3));
      type.end();
      size[i] = uniform(rng, 1, 50);
      container.appendBytes(pick(rng, CONT1));
      container.appendByte(SPACE);
      container.appendBytes(pick(rng, CONT2));
      container.end();
      price[i] = retailPriceCents(k);
      pool.comment(comment, rng, 5, 22);
    }
    yield b.toBatch(n);
  }
}

/** Four rows per part, suppliers by the spec's formula; `batchRows` is rounded down to whole parts. */
export function* partsuppBatches(sf: number, pool: TextPool, batchRows: number): Generator<RecordBatch> {
  const rng = new Rng('tpch:partsupp');
  const { part: parts, supplier: suppliers } = cardinalities(sf);
  const partsPerBatch = Math.max(1, Math.floor(batchRows / 4));
  const b = new BatchBuffers(COLUMNS.partsupp, partsPerBatch * 4);
  const pk = b.f64('ps_partkey'), sk = b.f64('ps_suppkey'), qty = b.i32('ps_availqty'), cost = b.f64('ps_supplycost');
  const comment = b.utf8('ps_comment');
  for (let first = 1; first <= parts; first += partsPerBatch) {
    const n = Math.min(partsPerBatch, parts - first + 1);
    let row = 0;
    for (let p = first; p < first + n; p++) {
      for (let s = 0; s < 4; s++) {
        pk[row] = p;
        sk[row] = partSupplier(p, s, suppliers);
        qty[row] = uniform(rng, 1, 9999);
        cost[row] = uniform(rng, 100, 100_000);
        pool.comment(comment, rng, 49, 198);
        row++;
      }
    }
    yield b.toBatch(row);
  }
}
