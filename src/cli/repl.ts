import { createInterface } from 'node:readline';
import { splitStatements, type Session } from '../engine/index.js';
import type { OutputFormat } from './args.js';
import type { CliIo } from './main.js';
import { runScript } from './run-script.js';
import { StreamSink } from './stream-sink.js';

const PROMPT = 'shoal> ';
const CONTINUE = '    -> ';

/**
 * The interactive prompt: statements end with `;` and may span lines; Ctrl-C cancels a running query (or clears
 * the line), Ctrl-D or \q leaves. Results print as tables cut to 100 rows and the terminal's width.
 */
export async function runRepl(session: Session, io: CliIo, format: OutputFormat): Promise<number> {
  const out = new StreamSink(io.stdout);
  const err = new StreamSink(io.stderr);
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: io.stdin.isTTY === true, prompt: PROMPT });
  let buffer = '';
  let running: AbortController | undefined;
  io.stdout.write(`Shoal — SQL over your data lake. Statements end with ';'. \\q to quit.\n`);
  if (session.catalog !== undefined) io.stdout.write(`Using ${session.catalog}${session.schema === undefined ? '' : `.${session.schema}`}.\n`);
  rl.on('SIGINT', () => {
    if (running !== undefined) running.abort();
    else {
      buffer = '';
      io.stdout.write('\n');
      rl.setPrompt(PROMPT);
      rl.prompt();
    }
  });
  rl.prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (buffer === '' && (trimmed === '\\q' || trimmed === 'quit' || trimmed === 'exit')) break;
    buffer += (buffer === '' ? '' : '\n') + line;
    const parts = splitStatements(buffer);
    const last = parts[parts.length - 1];
    if (buffer.trim() === '' || (last !== undefined && !last.terminated)) {
      rl.setPrompt(buffer.trim() === '' ? PROMPT : CONTINUE);
      if (buffer.trim() === '') buffer = '';
      rl.prompt();
      continue;
    }
    const script = buffer;
    buffer = '';
    running = new AbortController();
    await runScript(session, script, out, err, {
      format,
      signal: running.signal,
      width: io.stdout.columns,
      maxRows: 100,
      onStatementDone: ({ elapsedMs }) => out.write(`Time: ${elapsedMs.toFixed(1)} ms\n`),
    });
    await out.flush(true);
    running = undefined;
    rl.setPrompt(PROMPT);
    rl.prompt();
  }
  rl.close();
  return 0;
}
