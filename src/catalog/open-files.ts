import { ShoalError } from '../common/index.js';
import type { FileStatus, FileSystems, IoOptions, RandomAccessFile } from '../fs/index.js';

/** One open file of a scan, with what the scan keeps beside it while it is open (a Parquet reader). */
export interface OpenFile<T> {
  readonly file: RandomAccessFile;
  /** Made once per open file by the `attach` function given to OpenFiles. */
  readonly attachment: Promise<T>;
}

interface Slot<T> {
  readonly status: FileStatus;
  readonly opening: Promise<OpenFile<T>>;
  users: number;
  dropping?: Promise<void>;
}

/**
 * The files one scan holds open: at most `limit` at a time, so a table of thousands of files never has thousands
 * of handles (or sockets). A file stays open while its splits are read — a Parquet file's row groups share one
 * handle and one reader, so the footer is neither re-read nor re-parsed and the decoder keeps the file open —
 * and is closed when another file needs its place, or when the scan closes. Acquiring waits while `limit` files
 * are in use. Files are opened with the status from listing, so remote systems skip their metadata request and
 * a file changed since listing fails with FILE_CHANGED.
 */
export class OpenFiles<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  private openNow = 0;
  private peak = 0;

  constructor(
    private readonly fs: FileSystems,
    readonly limit: number,
    private readonly attach: (file: RandomAccessFile, status: FileStatus) => Promise<T>,
    private readonly detach: (attachment: T) => Promise<void>,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`open file limit must be a positive integer, not ${limit}`);
  }

  /** Most files open at once so far. */
  get peakOpen(): number {
    return this.peak;
  }

  /** The open file for `status` (opening it, or waiting for a place); pair with release(). */
  async acquire(status: FileStatus, o?: IoOptions): Promise<OpenFile<T>> {
    for (;;) {
      if (this.closed) throw new ShoalError('GENERIC_INTERNAL_ERROR', 'Internal error (this is a bug in Shoal): a split was read after its scan closed');
      const slot = this.slots.get(status.location);
      if (slot !== undefined) {
        slot.users++;
        try {
          return await slot.opening;
        } catch (e) {
          slot.users--;
          throw e;
        }
      }
      if (this.slots.size >= this.limit) {
        const idle = [...this.slots.values()].find((s) => s.users === 0);
        if (idle !== undefined) await this.drop(idle);
        else await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      return this.open(status, o);
    }
  }

  /** Gives back a file acquired before; it stays open for the scan's next split of the same file. */
  release(status: FileStatus): void {
    const slot = this.slots.get(status.location);
    if (slot === undefined) return;
    slot.users--;
    if (slot.users === 0) {
      if (this.closed) this.drop(slot);
      else this.waiting.shift()?.();
    }
  }

  /** Closes every file not in use now, and the others as soon as they are released. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all([...this.slots.values()].filter((s) => s.users === 0).map((s) => this.drop(s)));
  }

  private async open(status: FileStatus, o: IoOptions | undefined): Promise<OpenFile<T>> {
    const opening = (async (): Promise<OpenFile<T>> => {
      const file = await this.fs.for(status.location).open(status.location, { signal: o?.signal, stats: o?.stats, status });
      this.openNow++;
      this.peak = Math.max(this.peak, this.openNow);
      const attachment = this.attach(file, status);
      attachment.catch(() => undefined);
      return { file, attachment };
    })();
    const slot: Slot<T> = { status, opening, users: 1 };
    this.slots.set(status.location, slot);
    try {
      return await opening;
    } catch (e) {
      if (this.slots.get(status.location) === slot) this.slots.delete(status.location);
      this.waiting.shift()?.();
      throw e;
    }
  }

  /**
   * Forgets the slot and closes its file (errors closing are of no interest to the query); then wakes one waiter,
   * so that a new file is opened only after this one is closed.
   */
  private drop(slot: Slot<T>): Promise<void> {
    slot.dropping ??= this.closeSlot(slot);
    return slot.dropping;
  }

  private async closeSlot(slot: Slot<T>): Promise<void> {
    if (this.slots.get(slot.status.location) === slot) this.slots.delete(slot.status.location);
    try {
      const open = await slot.opening.catch(() => undefined);
      if (open === undefined) return;
      await open.attachment.then((a) => this.detach(a)).catch(() => undefined);
      await open.file.close().catch(() => undefined);
      this.openNow--;
    } finally {
      this.waiting.shift()?.();
    }
  }
}
