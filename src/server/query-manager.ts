import { ShoalError } from '../common/index.js';
import type { Shoal } from '../engine/index.js';
import { QueryIds, newSlug } from './query-id.js';
import type { ClientSession } from './session-headers.js';
import { ServerQuery, type QuerySettings } from './server-query.js';

export interface AdmissionSettings {
  /** Queries running at once; more wait in the queue. */
  readonly maxRunning: number;
  /** Queries waiting; beyond it a new query fails with QUERY_QUEUE_FULL. */
  readonly maxQueued: number;
  /**
   * A query whose client has not asked about it for this long is cancelled (Trino's abandoned query), or, when
   * it finished, its unread rows are dropped.
   */
  readonly abandonedAfterMs: number;
  /** How long a finished query's last page and info stay answerable. */
  readonly retainMs: number;
}

/**
 * Admission, bookkeeping and clean-up of the server's queries: a running set of at most maxRunning, a FIFO
 * queue of at most maxQueued, a sweep that cancels abandoned queries and forgets old finished ones.
 */
export class QueryManager {
  private readonly queries = new Map<string, ServerQuery>();
  private readonly queue: ServerQuery[] = [];
  private running = 0;
  private readonly ids = new QueryIds();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly shoal: Shoal, private readonly admission: AdmissionSettings, private readonly settings: QuerySettings) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(1000, admission.abandonedAfterMs / 4)));
    this.sweeper.unref();
  }

  /** Queries currently executing in the engine (not queued, not finished). */
  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Admits a statement; `refusal` fails it at once (reported on its first page, as Trino does). */
  submit(sql: string, client: ClientSession, user: string, refusal?: ShoalError): ServerQuery {
    const q = new ServerQuery(this.ids.next(), newSlug(), sql, client, user, this.shoal, this.settings);
    this.queries.set(q.id, q);
    if (refusal !== undefined) q.reject(refusal);
    else if (this.running < this.admission.maxRunning) this.start(q);
    else if (this.queue.length < this.admission.maxQueued) this.queue.push(q);
    else {
      q.reject(new ShoalError('QUERY_QUEUE_FULL', `Too many queued queries: ${this.admission.maxRunning} running and ${this.admission.maxQueued} queued`, {
        hint: 'Retry later, or start the server with a larger --max-running or --max-queued',
      }));
    }
    return q;
  }

  get(id: string): ServerQuery | undefined {
    return this.queries.get(id);
  }

  cancel(q: ServerQuery, error?: ShoalError): void {
    const i = this.queue.indexOf(q);
    if (i >= 0) this.queue.splice(i, 1);
    q.cancel(error);
  }

  /** Cancels everything (server shutdown) and waits until no query is running. */
  async shutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const error = new ShoalError('USER_CANCELED', 'Query was canceled: the server is shutting down');
    for (const q of [...this.queue]) this.cancel(q, error);
    for (const q of this.queries.values()) q.cancel(error);
    while (this.running > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private start(q: ServerQuery): void {
    this.running++;
    void q.run().finally(() => {
      this.running--;
      const next = this.queue.shift();
      if (next !== undefined) this.start(next);
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const q of this.queries.values()) {
      const idle = now - q.lastSeen;
      if (!q.drained && idle > this.admission.abandonedAfterMs) {
        const error = new ShoalError('ABANDONED_QUERY', `Query ${q.id} was abandoned: its client did not poll for ${Math.round(idle / 1000)} s`);
        if (q.done) q.abandon(error);
        else this.cancel(q, error);
      } else if (q.done && idle > this.admission.retainMs) {
        this.queries.delete(q.id);
      }
    }
  }
}
