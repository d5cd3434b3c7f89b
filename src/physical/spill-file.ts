import { open, rm, type FileHandle } from 'node:fs/promises';
import { Table, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import { internalError } from '../common/index.js';
import type { MemoryReservation } from './query-memory.js';
import type { SpillSpace } from './spill-space.js';

/**
 * One spill file: batches appended as self-contained Arrow IPC streams (each with its schema and dictionaries, so
 * dictionary-coded strings and every SQL type round-trip exactly), each preceded by its byte length, then read
 * back in order one batch at a time. Delete it in `finally`; the query's SpillSpace removes leftovers.
 */
export class SpillFile {
  private handle: FileHandle | undefined;
  private size = 0;
  private batches = 0;
  private rowCount = 0;

  private constructor(readonly path: string, private readonly reservation: MemoryReservation, private readonly space: SpillSpace) {}

  static create(space: SpillSpace, tag: string, reservation: MemoryReservation): SpillFile {
    return new SpillFile(space.newPath(tag), reservation, space);
  }

  get bytes(): number {
    return this.size;
  }

  get rows(): number {
    return this.rowCount;
  }

  async append(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) return;
    this.handle ??= await open(this.path, 'w');
    const body = tableToIPC(new Table(batch), 'stream');
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, body.byteLength, true);
    await this.handle.write(head, 0, 4, this.size);
    await this.handle.write(body, 0, body.byteLength, this.size + 4);
    this.size += 4 + body.byteLength;
    this.batches++;
    this.rowCount += batch.numRows;
    this.reservation.spilled(4 + body.byteLength);
    this.space.wrote(4 + body.byteLength);
  }

  /** Ends writing; the file can then be read. */
  async finish(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  /** The batches in the order they were appended. */
  async *read(): AsyncIterable<RecordBatch> {
    if (this.handle !== undefined) throw internalError('spill file read before finish');
    if (this.batches === 0) return;
    const h = await open(this.path, 'r');
    try {
      let at = 0;
      const head = new Uint8Array(4);
      while (at < this.size) {
        await readFully(h, head, at);
        const len = new DataView(head.buffer).getUint32(0, true);
        const body = new Uint8Array(len);
        await readFully(h, body, at + 4);
        at += 4 + len;
        for (const b of tableFromIPC(body).batches) if (b.numRows > 0) yield b;
      }
    } finally {
      await h.close();
    }
  }

  async delete(): Promise<void> {
    await this.finish().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

async function readFully(h: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await h.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw internalError('spill file ended early');
    done += bytesRead;
  }
}

/** Deletes every file, ignoring failures (cleanup in `finally`). */
export async function deleteAll(files: readonly (SpillFile | undefined)[]): Promise<void> {
  await Promise.all(files.map((f) => f?.delete().catch(() => undefined)));
}
