import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { assertNever, formatError, toShoalError } from '../common/index.js';
import { splitStatements, type Session } from '../engine/index.js';
import type { OutputFormat } from './args.js';
import type { CliIo } from './main.js';
import { Completer } from './repl/completer.js';
import { appendHistory, historyPath, loadHistory } from './repl/history-file.js';
import { META_HELP, parseMeta } from './repl/meta-commands.js';
import { ProgressLine } from './repl/progress-line.js';
import { LocalQueryRunner, type QueryRunner } from './repl/query-runner.js';
import { printResult, type ReplMode } from './repl/result-printer.js';
import { updateSummary } from './result-writer.js';
import { StreamSink } from './stream-sink.js';

const PROMPT = 'shoal> ';
const CONTINUE = '    -> ';
const DEFAULT_MAX_ROWS = 40;

/** `shoal` with no query and a terminal: the REPL over the local engine. */
export function runRepl(session: Session, io: CliIo, format: OutputFormat): Promise<number> {
  return runReplWith(new LocalQueryRunner(session), io, format);
}

/** Lines from readline as a pull queue, so the REPL reads a line only when it is ready for one. */
class LineQueue {
  private readonly lines: string[] = [];
  private waiter: ((l: string | undefined) => void) | undefined;
  private closed = false;
  constructor(rl: Interface) {
    rl.on('line', (l) => this.push(l));
    rl.on('close', () => {
      this.closed = true;
      this.waiter?.(undefined);
    });
  }
  private push(l: string): void {
    if (this.waiter !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w(l);
    } else this.lines.push(l);
  }
  next(): Promise<string | undefined> {
    const l = this.lines.shift();
    if (l !== undefined || this.closed) return Promise.resolve(l);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

/**
 * The interactive prompt over any QueryRunner (local engine or a remote server). Statements end with `;` and may
 * span lines; backslash commands (\?) at the start of a statement; Tab completes from the live catalog; history
 * persists in $SHOAL_HISTORY_FILE or ~/.shoal_history. Ctrl-C cancels a running query or clears the input; twice
 * on an empty prompt, or Ctrl-D, leaves.
 */
export async function runReplWith(runner: QueryRunner, io: CliIo, format: OutputFormat): Promise<number> {
  const terminal = new StreamSink(io.stdout);
  const historyFile = historyPath(io.env);
  const completer = new Completer(runner);
  let buffer = '';
  let running: AbortController | undefined;
  let mode: ReplMode = format;
  let modeBeforeVertical: ReplMode = format;
  let maxRows = DEFAULT_MAX_ROWS;
  let timing = true;
  let fileOut: { stream: WriteStream; sink: StreamSink } | undefined;
  let emptyInterrupts = 0;

  const rl = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal: io.stdin.isTTY === true,
    prompt: PROMPT,
    history: loadHistory(historyFile),
    historySize: 1000,
    removeHistoryDuplicates: true,
    completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
      completer.complete(buffer === '' ? line : `${buffer}\n${line}`).then((r) => cb(null, r), () => cb(null, [[], line]));
    },
  });
  const lines = new LineQueue(rl);
  const say = async (text: string): Promise<void> => {
    terminal.write(text);
    await terminal.flush(true);
  };

  rl.on('SIGINT', () => {
    if (running !== undefined) {
      running.abort(new Error('Query cancelled by user'));
      return;
    }
    const empty = buffer === '' && rl.line === '';
    buffer = '';
    if (empty && ++emptyInterrupts >= 2) {
      io.stdout.write('\n');
      rl.close();
      return;
    }
    // Clear what was typed (Ctrl-E then Ctrl-U), then a fresh prompt.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    io.stdout.write(empty ? '\n(Ctrl-C again or Ctrl-D to exit)\n' : '^C\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  });

  /** Runs each statement of `text` in order; stops at the first failure. */
  const runStatements = async (text: string): Promise<void> => {
    for (const st of splitStatements(text)) {
      if (st.text.trim().replace(/;$/, '').trim() === '') continue;
      const controller = new AbortController();
      running = controller;
      const progress = new ProgressLine(io.stderr as CliIo['stderr'] & { isTTY?: boolean; columns?: number });
      const out = fileOut?.sink ?? terminal;
      const t0 = performance.now();
      try {
        const q = await runner.run(st.text, controller.signal);
        progress.start(() => q.progress());
        let rows = 0;
        // Write statements (one `rows` row and an update type) print as "INSERT: 3 rows", as in Trino's CLI.
        const summary = q.columns.length === 0 || q.updateType !== undefined;
        if (!summary) rows = await printResult(q, out, { mode, maxRows, width: fileOut === undefined ? io.stdout.columns : undefined });
        else for await (const _ of q.chunks) { /* drain */ }
        progress.stop();
        await out.flush(true);
        const secs = `${((performance.now() - t0) / 1000).toFixed(3)} s`;
        if (summary) await say(`${updateSummary(q.updateType ?? 'OK', q.updateCount)}${timing ? ` (${secs})` : ''}\n`);
        else if (fileOut !== undefined || (mode !== 'table' && mode !== 'vertical')) await say(`(${rows} row${rows === 1 ? '' : 's'}${timing ? `, ${secs}` : ''})\n`);
        else if (timing) await say(`Time: ${secs}\n`);
      } catch (e) {
        progress.stop();
        await out.flush(true);
        if (controller.signal.aborted) await say('Query cancelled.\n');
        else await say(`${formatError(toShoalError(e), st.text)}\n`);
        return;
      } finally {
        running = undefined;
        completer.invalidate();
      }
    }
  };

  const closeFileOut = async (): Promise<void> => {
    if (fileOut === undefined) return;
    const f = fileOut;
    fileOut = undefined;
    await f.sink.flush(true);
    await new Promise<void>((resolve) => f.stream.end(() => resolve()));
  };

  /** A backslash command; returns false to leave the REPL. */
  const meta = async (line: string): Promise<boolean> => {
    const m = parseMeta(line);
    switch (m.kind) {
      case 'help': await say(`${META_HELP}\n`); return true;
      case 'quit': return false;
      case 'sql': await runStatements(m.sql); return true;
      case 'mode':
        mode = m.mode;
        if (m.mode !== 'vertical') modeBeforeVertical = m.mode;
        await say(`Output mode: ${mode}\n`);
        return true;
      case 'toggle_vertical':
        mode = mode === 'vertical' ? modeBeforeVertical : 'vertical';
        await say(`Vertical output is ${mode === 'vertical' ? 'on' : 'off'}.\n`);
        return true;
      case 'toggle_timing':
        timing = !timing;
        await say(`Timing is ${timing ? 'on' : 'off'}.\n`);
        return true;
      case 'maxrows':
        maxRows = m.rows;
        await say(`At most ${maxRows} rows are printed.\n`);
        return true;
      case 'include': {
        let text: string;
        try {
          text = await readFile(path.resolve(io.cwd, m.file), 'utf8');
        } catch {
          await say(`Cannot read ${m.file}\n`);
          return true;
        }
        await runStatements(text);
        return true;
      }
      case 'output':
        await closeFileOut();
        if (m.file !== undefined) {
          const stream = createWriteStream(path.resolve(io.cwd, m.file));
          const opened = await new Promise<Error | undefined>((resolve) => {
            stream.once('open', () => resolve(undefined));
            stream.once('error', (e) => resolve(e));
          });
          if (opened !== undefined) await say(`Cannot write ${m.file}: ${opened.message}\n`);
          else {
            fileOut = { stream, sink: new StreamSink(stream) };
            await say(`Results go to ${m.file}.\n`);
          }
        } else await say('Results go to the terminal.\n');
        return true;
      case 'invalid': await say(`${m.message}\n`); return true;
      default: return assertNever(m);
    }
  };

  await say(`Shoal — SQL over your data lake. Statements end with ';'. \\? for help, \\q to quit.\n`);
  const { catalog, schema } = runner.current();
  if (catalog !== undefined) await say(`Using ${catalog}${schema === undefined ? '' : `.${schema}`}.\n`);
  rl.prompt();
  for (;;) {
    const line = await lines.next();
    if (line === undefined) break;
    emptyInterrupts = 0;
    if (io.stdin.isTTY === true) appendHistory(historyFile, line);
    const trimmed = line.trim();
    if (buffer === '' && (trimmed === 'quit' || trimmed === 'exit')) break;
    if (buffer === '' && trimmed.startsWith('\\')) {
      if (!(await meta(trimmed))) break;
      rl.setPrompt(PROMPT);
      rl.prompt();
      continue;
    }
    buffer += (buffer === '' ? '' : '\n') + line;
    const parts = splitStatements(buffer);
    const last = parts[parts.length - 1];
    if (buffer.trim() === '' || (last !== undefined && !last.terminated)) {
      if (buffer.trim() === '') buffer = '';
      rl.setPrompt(buffer === '' ? PROMPT : CONTINUE);
      rl.prompt();
      continue;
    }
    const script = buffer;
    buffer = '';
    await runStatements(script);
    rl.setPrompt(PROMPT);
    rl.prompt();
  }
  await closeFileOut();
  rl.close();
  return 0;
}
