import { tmpdir } from 'node:os';
import { ShoalError } from '../common/index.js';
import type { OperatorMetrics, QueryProgress } from './execution-plan.js';
import { SpillSpace } from './spill-space.js';

/** The per-query memory limit and where spill files go (session property query_max_memory, engine spillPath). */
export interface MemorySettings {
  /** Most bytes the query's operators may hold at once; 0: no limit. */
  readonly limitBytes: number;
  /** The limit as the user wrote it (for messages), e.g. '1GB'. */
  readonly limitText: string;
  /** The folder under which the query's spill directory is made (default os.tmpdir()). */
  readonly spillPath: string;
}

/**
 * The memory pool of one query: operators holding state (sort buffers, hash tables, accumulators, join build
 * sides, window partitions) reserve the bytes of the columns and tables they hold through a MemoryReservation,
 * and release them in `finally`. A reservation that would take the query over its limit fails: operators that
 * can spill (sort, hash aggregation, hash join) then write state to the query's SpillSpace; the others fail
 * with EXCEEDED_MEMORY_LIMIT. Single-threaded: no locking.
 */
export class QueryMemory {
  private reservedBytes = 0;
  readonly spill: SpillSpace;

  constructor(readonly settings: MemorySettings, private readonly progress: QueryProgress) {
    this.spill = new SpillSpace(settings.spillPath, progress);
  }

  get reserved(): number {
    return this.reservedBytes;
  }

  /** A reservation for one operator; `metrics` receives its peak memory and spilled bytes (EXPLAIN ANALYZE). */
  reservation(operator: string, metrics: OperatorMetrics): MemoryReservation {
    return new MemoryReservation(this, operator, metrics);
  }

  /** @internal Takes `delta` bytes (negative gives back) if the limit allows; false when it does not. */
  tryTake(delta: number): boolean {
    const limit = this.settings.limitBytes;
    if (delta > 0 && limit > 0 && this.reservedBytes + delta > limit) return false;
    this.forceTake(delta);
    return true;
  }

  /** @internal Takes `delta` bytes whatever the limit. */
  forceTake(delta: number): void {
    this.reservedBytes += delta;
    const p = this.progress;
    p.memoryBytes = this.reservedBytes;
    if (this.reservedBytes > p.peakMemoryBytes) p.peakMemoryBytes = this.reservedBytes;
  }

  /** Removes the query's spill directory (end of the query: success, failure or cancellation). */
  dispose(): void {
    this.spill.dispose();
  }
}

/** Where spill directories go unless the engine says otherwise: the OS temp folder. */
export function defaultSpillPath(): string {
  return tmpdir();
}

/**
 * An operator holding less than this share of the limit neither spills nor fails when the pool is full: the
 * memory is held by others (often an upstream operator still emitting its results), spilling it would free
 * little and write tiny files, so it takes what it needs past the limit instead. The overshoot is bounded by
 * this share per operator.
 */
const SMALL_SHARE = 1 / 16;

/**
 * The bytes one operator holds. `trySet`/`tryGrow` answer whether the pool had room (spilling operators act on
 * false, when `worthSpilling`); `set`/`grow` throw EXCEEDED_MEMORY_LIMIT naming the operator unless the
 * operator stays small (SMALL_SHARE). `release` gives everything back and is safe to call twice.
 */
export class MemoryReservation {
  private held = 0;

  constructor(private readonly pool: QueryMemory, readonly operator: string, private readonly metrics: OperatorMetrics) {}

  get bytes(): number {
    return this.held;
  }

  tryGrow(delta: number): boolean {
    return this.trySet(this.held + delta);
  }

  trySet(total: number): boolean {
    const t = Math.max(0, total);
    if (!this.pool.tryTake(t - this.held)) return false;
    this.held = t;
    const m = this.metrics;
    if (t > (m.peakMemoryBytes ?? 0)) m.peakMemoryBytes = t;
    return true;
  }

  grow(delta: number, what?: string): void {
    this.set(this.held + delta, what);
  }

  set(total: number, what?: string): void {
    if (this.trySet(total)) return;
    if (this.small(total)) this.force(total);
    else throw this.exceeded(total - this.held, what);
  }

  /** Whether a refused operator should spill: it holds a real share of the limit (see SMALL_SHARE). */
  get worthSpilling(): boolean {
    return !this.small(this.held);
  }

  /** Takes `delta` more bytes past the limit (an operator too small to spill; see SMALL_SHARE). */
  forceGrow(delta: number): void {
    this.force(this.held + delta);
  }

  private small(total: number): boolean {
    const limit = this.pool.settings.limitBytes;
    return limit > 0 && total < limit * SMALL_SHARE;
  }

  /**
   * Records `total` bytes even past the limit: the operator already holds them (a table that grew by one batch)
   * and is about to spill so it stops growing. Later growth must succeed through trySet.
   */
  force(total: number): void {
    const delta = total - this.held;
    this.pool.forceTake(delta);
    this.held = total;
    if (total > (this.metrics.peakMemoryBytes ?? 0)) this.metrics.peakMemoryBytes = total;
  }

  release(): void {
    this.trySet(0);
  }

  /** Counts bytes this operator wrote to spill files. */
  spilled(bytes: number): void {
    this.metrics.spilledBytes = (this.metrics.spilledBytes ?? 0) + bytes;
  }

  /** The error for a reservation that cannot be met (and cannot be spilled). */
  exceeded(wanted: number, what?: string): ShoalError {
    const s = this.pool.settings;
    return new ShoalError('EXCEEDED_MEMORY_LIMIT',
      `Query exceeded the per-query memory limit of ${s.limitText}: ${this.operator}${what === undefined ? '' : ` (${what})`} needed ${wanted} more bytes while the query held ${this.pool.reserved}`, {
        hint: 'Raise it with SET SESSION query_max_memory = \'…\' (or --max-query-memory), or add filters so less data reaches this operator',
      });
  }
}
