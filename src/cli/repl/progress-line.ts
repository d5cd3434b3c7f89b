import { formatBytes } from '../../engine/index.js';
import type { ProgressSnapshot } from './query-runner.js';

/** The progress text: `[splits 3/12] 1,234,567 rows, 45.6 MiB, 12.3 MiB/s, 2.1 s`. */
export function progressText(p: ProgressSnapshot): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? formatBytes(Math.round(p.bytes / secs)) : '0 B';
  const splits = p.splitsTotal > 0 ? `[${p.splitsDone}/${p.splitsTotal} splits] ` : '';
  return `${splits}${p.rows.toLocaleString('en-US')} rows, ${formatBytes(p.bytes)}, ${rate}/s, ${secs.toFixed(1)} s`;
}

interface TtyOut {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * An in-place progress line on a terminal: appears once a query has run for `delayMs`, redraws every
 * `intervalMs` with `\r` and erase-line, and is erased by `stop`. Does nothing when the stream is not a TTY.
 */
export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(private readonly out: TtyOut, private readonly delayMs = 1000, private readonly intervalMs = 200) {}

  start(snapshot: () => ProgressSnapshot): void {
    if (this.out.isTTY !== true) return;
    const draw = (): void => {
      const text = progressText(snapshot());
      const width = (this.out.columns ?? 80) - 1;
      this.out.write(`\r\x1b[K${text.length > width ? text.slice(0, width) : text}`);
      this.shown = true;
    };
    this.timer = setTimeout(() => {
      draw();
      this.timer = setInterval(draw, this.intervalMs);
    }, this.delayMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
