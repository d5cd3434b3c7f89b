import { formatError, toShoalError } from '../common/index.js';
import type { Session } from '../engine/index.js';
import type { OutputFormat } from './args.js';
import { writeStatementResult, type Sink } from './result-writer.js';

export interface ScriptOptions {
  readonly format: OutputFormat;
  readonly signal?: AbortSignal | undefined;
  readonly width?: number | undefined;
  readonly maxRows?: number | undefined;
  /** Called after each statement (the REPL prints timing there). */
  readonly onStatementDone?: ((info: { rows: number; elapsedMs: number; updateType: string | undefined }) => void) | undefined;
}

/**
 * Runs every statement of a script in order, writing each result; stops at the first error, which is written
 * to `errors` as `line L:C: message` with the source line and a caret. Returns false when a statement failed.
 */
export async function runScript(session: Session, script: string, out: Sink, errors: Sink, o: ScriptOptions): Promise<boolean> {
  try {
    const statements = session.parse(script);
    for (const st of statements) {
      const t0 = performance.now();
      const result = await session.run(st, { signal: o.signal });
      const rows = await writeStatementResult(result, out, { format: o.format, width: o.width, maxRows: o.maxRows });
      await out.flush(true);
      o.onStatementDone?.({ rows, elapsedMs: performance.now() - t0, updateType: result.updateType });
    }
    return true;
  } catch (e) {
    await out.flush(true);
    errors.write(`${formatError(toShoalError(e), script)}\n`);
    await errors.flush(true);
    return false;
  }
}
