import type { Writable } from 'node:stream';
import type { Sink } from './result-writer.js';

/** A Sink over a Node stream: text is buffered and written in 64 KiB pieces, respecting backpressure. */
export class StreamSink implements Sink {
  private buffer: string[] = [];
  private size = 0;

  constructor(private readonly out: Pick<Writable, 'write' | 'once'>) {}

  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
  }

  async flush(force = false): Promise<void> {
    if (this.size === 0 || (!force && this.size < 65536)) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
}
