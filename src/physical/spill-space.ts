import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { QueryProgress } from './execution-plan.js';

/**
 * A query's spill directory, `<spillPath>/shoal-spill-XXXXXX`, made on first use. Operators delete their own files
 * when they finish; `dispose` (end of the query, whatever the outcome) removes the directory and anything left.
 */
export class SpillSpace {
  private dir: string | undefined;
  private next = 0;

  constructor(private readonly root: string, private readonly progress: QueryProgress) {}

  /** A fresh file path in the query's spill directory. */
  newPath(tag: string): string {
    this.dir ??= mkdtempSync(path.join(this.root, 'shoal-spill-'));
    return path.join(this.dir, `${tag}-${this.next++}.arrows`);
  }

  /** Counts bytes written to spill files (query stats). */
  wrote(bytes: number): void {
    this.progress.spilledBytes += bytes;
  }

  /** The directory, once made (tests check it is gone). */
  get directory(): string | undefined {
    return this.dir;
  }

  dispose(): void {
    if (this.dir === undefined) return;
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
