/**
 * Orders and their lines (clause 4.2.3). An order's total price and status depend on its lines, so both tables
 * come from one pass over chunks of orders; each table is written by its own pass (the writer pulls one table at a
 * time), and each chunk reseeds its random streams, so the two passes produce the same orders without holding
 * anything between them. Numbers come from one stream per chunk; the comment text of each table has its own
 * stream, so a pass that skips the other table's comments still sees the same numbers.
 */
import type { RecordBatch } from 'apache-arrow';
import { Rng } from '../../../scripts/prng.js';
import { BatchBuffers, ascii } from './columns.js';
import { uniform } from './dimension-tables.js';
import { COLUMNS, CURRENT_DATE, END_DATE, START_DATE, cardinalities, orderKey, partSupplier, retailPriceCents } from './scale.js';
import { PRIORITIES, SHIP_INSTRUCTIONS, SHIP_MODES } from './spec-lists.js';
import type { TextPool } from './text-pool.js';

/** Orders per chunk: the unit of reseeding and of record batches (a lineitem batch holds up to 7 times as many rows). */
export const ORDERS_PER_CHUNK = 8192;

const PRIORITY_BYTES = PRIORITIES.map(ascii);
const INSTRUCT_BYTES = SHIP_INSTRUCTIONS.map(ascii);
const MODE_BYTES = SHIP_MODES.map(ascii);
const FLAG_BYTES = { R: ascii('R'), A: ascii('A'), N: ascii('N'), O: ascii('O'), F: ascii('F'), P: ascii('P') };
const CLERK = ascii('Clerk#');

export function* orderTableBatches(sf: number, pool: TextPool, table: 'orders' | 'lineitem'): Generator<RecordBatch> {
  const { orders: totalOrders, customer: customers, part: parts, supplier: suppliers } = cardinalities(sf);
  const clerks = Math.max(1, Math.floor(sf * 1000));
  const ob = table === 'orders' ? new BatchBuffers(COLUMNS.orders, ORDERS_PER_CHUNK) : undefined;
  const lb = table === 'lineitem' ? new BatchBuffers(COLUMNS.lineitem, ORDERS_PER_CHUNK * 7) : undefined;
  // Column buffers looked up once, not per row.
  const L = lb && {
    orderkey: lb.f64('l_orderkey'), partkey: lb.f64('l_partkey'), suppkey: lb.f64('l_suppkey'), linenumber: lb.i32('l_linenumber'),
    quantity: lb.f64('l_quantity'), extended: lb.f64('l_extendedprice'), discount: lb.f64('l_discount'), tax: lb.f64('l_tax'),
    returnflag: lb.utf8('l_returnflag'), linestatus: lb.utf8('l_linestatus'), shipdate: lb.i32('l_shipdate'),
    commitdate: lb.i32('l_commitdate'), receiptdate: lb.i32('l_receiptdate'), shipinstruct: lb.utf8('l_shipinstruct'),
    shipmode: lb.utf8('l_shipmode'), comment: lb.utf8('l_comment'),
  };
  const O = ob && {
    orderkey: ob.f64('o_orderkey'), custkey: ob.f64('o_custkey'), status: ob.utf8('o_orderstatus'), total: ob.f64('o_totalprice'),
    date: ob.i32('o_orderdate'), priority: ob.utf8('o_orderpriority'), clerk: ob.utf8('o_clerk'), shippriority: ob.i32('o_shippriority'),
    comment: ob.utf8('o_comment'),
  };
  for (let chunk = 0; chunk * ORDERS_PER_CHUNK < totalOrders; chunk++) {
    const rng = new Rng(`tpch:orders:${chunk}`);
    const text = new Rng(`tpch:${table}-text:${chunk}`);
    const first = chunk * ORDERS_PER_CHUNK + 1;
    const count = Math.min(ORDERS_PER_CHUNK, totalOrders - first + 1);
    let lineRow = 0;
    for (let o = 0; o < count; o++) {
      const okey = orderKey(first + o);
      let custkey: number;
      // Customers whose key is a multiple of 3 place no orders (clause 4.2.3).
      do custkey = uniform(rng, 1, customers);
      while (custkey % 3 === 0 && customers >= 3);
      const orderDate = uniform(rng, START_DATE, END_DATE - 151);
      const priority = rng.int(PRIORITY_BYTES.length);
      const clerk = uniform(rng, 1, clerks);
      const lines = uniform(rng, 1, 7);
      let totalCents = 0;
      let shippedLines = 0;
      for (let l = 1; l <= lines; l++) {
        const partkey = uniform(rng, 1, parts);
        const suppkey = partSupplier(partkey, rng.int(4), suppliers);
        const quantity = uniform(rng, 1, 50);
        const discount = uniform(rng, 0, 10);
        const tax = uniform(rng, 0, 8);
        const extended = quantity * retailPriceCents(partkey);
        const shipDate = orderDate + uniform(rng, 1, 121);
        const commitDate = orderDate + uniform(rng, 30, 90);
        const receiptDate = shipDate + uniform(rng, 1, 30);
        const returned = rng.chance(0.5);
        const instruct = rng.int(INSTRUCT_BYTES.length);
        const mode = rng.int(MODE_BYTES.length);
        // dbgen's integer arithmetic: each factor truncates to cents.
        totalCents += Math.floor((Math.floor((extended * (100 - discount)) / 100) * (100 + tax)) / 100);
        const open = shipDate > CURRENT_DATE;
        if (!open) shippedLines++;
        if (L !== undefined) {
          L.orderkey[lineRow] = okey;
          L.partkey[lineRow] = partkey;
          L.suppkey[lineRow] = suppkey;
          L.linenumber[lineRow] = l;
          L.quantity[lineRow] = quantity * 100;
          L.extended[lineRow] = extended;
          L.discount[lineRow] = discount;
          L.tax[lineRow] = tax;
          L.returnflag.pushBytes(receiptDate <= CURRENT_DATE ? (returned ? FLAG_BYTES.R : FLAG_BYTES.A) : FLAG_BYTES.N);
          L.linestatus.pushBytes(open ? FLAG_BYTES.O : FLAG_BYTES.F);
          L.shipdate[lineRow] = shipDate;
          L.commitdate[lineRow] = commitDate;
          L.receiptdate[lineRow] = receiptDate;
          L.shipinstruct.pushBytes(INSTRUCT_BYTES[instruct] ?? FLAG_BYTES.N);
          L.shipmode.pushBytes(MODE_BYTES[mode] ?? FLAG_BYTES.N);
          pool.comment(L.comment, text, 10, 43);
        }
        lineRow++;
      }
      if (O !== undefined) {
        O.orderkey[o] = okey;
        O.custkey[o] = custkey;
        O.status.pushBytes(shippedLines === lines ? FLAG_BYTES.F : shippedLines === 0 ? FLAG_BYTES.O : FLAG_BYTES.P);
        O.total[o] = totalCents;
        O.date[o] = orderDate;
        O.priority.pushBytes(PRIORITY_BYTES[priority] ?? FLAG_BYTES.N);
        O.clerk.appendBytes(CLERK);
        O.clerk.appendDigits(clerk, 9);
        O.clerk.end();
        O.shippriority[o] = 0;
        pool.comment(O.comment, text, 19, 78);
      }
    }
    if (ob !== undefined) yield ob.toBatch(count);
    if (lb !== undefined) yield lb.toBatch(lineRow);
  }
}
