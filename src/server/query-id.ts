import { randomBytes } from 'node:crypto';

/** Trino-shaped query ids, `YYYYMMDD_HHMMSS_NNNNN_shoal`: sortable by start time, unique within a server. */
export class QueryIds {
  private counter = 0;

  next(now = new Date()): string {
    const p = (n: number, w: number): string => String(n).padStart(w, '0');
    const date = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1, 2)}${p(now.getUTCDate(), 2)}`;
    const time = `${p(now.getUTCHours(), 2)}${p(now.getUTCMinutes(), 2)}${p(now.getUTCSeconds(), 2)}`;
    this.counter = (this.counter + 1) % 100_000;
    return `${date}_${time}_${p(this.counter, 5)}_shoal`;
  }
}

/** A per-query secret in every paging URI, so one client cannot page or cancel another's query by guessing ids. */
export function newSlug(): string {
  return `y${randomBytes(12).toString('hex')}`;
}
