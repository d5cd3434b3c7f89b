import { formatError, toShoalError, type SourcePosition } from '../../common/index.js';
import { splitStatements } from '../../engine/index.js';
import { updateSummary, type Sink } from '../result-writer.js';
import type { ScriptOptions } from '../run-script.js';
import { RemoteQueryError } from './remote-error.js';
import { writeRemoteResult } from './remote-result-writer.js';
import type { TrinoProtocolClient } from './trino-protocol-client.js';

/**
 * runScript (run-script.ts) against a Trino-protocol server: each statement of the script is sent on its own,
 * in order; results are written as locally; the first error stops the script and is written as `line L:C:
 * message` with the script's line and a caret (the server's position is moved from the statement to the
 * script). Returns false when a statement failed.
 */
export async function runRemoteScript(client: TrinoProtocolClient, script: string, out: Sink, errors: Sink, o: ScriptOptions): Promise<boolean> {
  let start: SourcePosition | undefined;
  try {
    for (const st of splitStatements(script)) {
      const text = st.text.replace(/;\s*$/, '');
      if (text.trim() === '') continue;
      start = st.span.start;
      const t0 = performance.now();
      const result = await client.execute(text, o.signal);
      let rows = 0;
      // Write statements answer one row (`rows`); as Trino's CLI, print "INSERT: 3 rows" (table format) instead.
      if (result.columns !== undefined && result.columns.length > 0 && result.updateType === undefined) {
        rows = await writeRemoteResult(result, result.columns, out, { format: o.format, width: o.width, maxRows: o.maxRows });
      } else {
        for await (const _ of result.pages()) { /* drain */ }
        if (o.format === 'table' && result.updateType !== undefined) {
          out.write(`${updateSummary(result.updateType, result.updateCount)}\n`);
        }
      }
      await out.flush(true);
      o.onStatementDone?.({ rows, elapsedMs: performance.now() - t0, updateType: result.updateType });
    }
    return true;
  } catch (e) {
    await out.flush(true);
    const err = e instanceof RemoteQueryError && start !== undefined ? e.inScript(start) : toShoalError(e);
    errors.write(`${formatError(err, script)}\n`);
    await errors.flush(true);
    return false;
  }
}
