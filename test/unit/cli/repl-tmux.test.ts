import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../support/paths.js';
import { startServer } from '../../server/server-fixture.js';

/**
 * The REPL in a real pseudo-terminal: tmux runs `node bin/shoal.js` (the built CLI: npm test builds first) and
 * the tests type into it and read the screen. A private tmux socket keeps other sessions out of reach.
 */
const TMUX_OK = spawnSync('tmux', ['-V']).status === 0;
const BUILT = existsSync(path.join(REPO_ROOT, 'dist/cli/main.js'));
// A fresh socket per REPL started: a server that is still shutting down can't be reused safely.
let starts = 0;
let socket = `shoal-test-${process.pid}-0`;
const SESSION = 'repl';
const tmpDir = mkdtempSync(path.join(tmpdir(), 'shoal-repl-'));

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function screen(): string {
  try {
    return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', SESSION);
  } catch {
    return '';
  }
}

function alive(): boolean {
  return spawnSync('tmux', ['-L', socket, 'has-session', '-t', SESSION]).status === 0;
}

/** Waits (bounded) until the screen satisfies `pred`; fails with the screen's text otherwise. */
async function waitFor(pred: (s: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const contains = (text: string) => (s: string) => s.includes(text);

/** Types literal text (tmux reads a trailing `;` as its own command separator: escape it). */
function type(text: string): void {
  tmux('send-keys', '-t', SESSION, '-l', text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text);
}

function key(...keys: string[]): void {
  tmux('send-keys', '-t', SESSION, ...keys);
}

async function start(historyFile: string, cliArgs = '--catalog-dir catalog'): Promise<void> {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  socket = `shoal-test-${process.pid}-${++starts}`;
  const cmd = `cd ${REPO_ROOT} && SHOAL_HISTORY_FILE=${historyFile} node bin/shoal.js ${cliArgs}`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '50', cmd);
  await waitFor(contains('shoal> '), 'the prompt');
}

const skipReason = !TMUX_OK ? 'tmux is not installed (.ci/run installs it with apt-get)' : !BUILT ? 'dist/ is not built (npm test builds it first)' : undefined;

describe.skipIf(skipReason !== undefined)(`REPL in a terminal${skipReason === undefined ? '' : ` — skipped: ${skipReason}`}`, () => {
  let n = 0;
  const hist = (): string => path.join(tmpDir, `history-${++n}`);

  afterEach(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });
  afterAll(() => {
    rmSync(tmpDir, { recursive: true, force: true });
  });

  test('a statement over two lines with the continuation prompt, then its boxed table', async () => {
    await start(hist());
    type('SELECT locationid, zone');
    key('Enter');
    await waitFor(contains('    -> '), 'the continuation prompt');
    type('FROM taxi_zone_lookup ORDER BY locationid LIMIT 3;');
    key('Enter');
    const s = await waitFor(contains('(3 rows)'), 'the table');
    expect(s).toContain('shoal> SELECT locationid, zone\n    -> FROM taxi_zone_lookup ORDER BY locationid LIMIT 3;');
    expect(s).toMatch(/│ locationid │ zone +│/);
    expect(s).toMatch(/│ +1 │ Newark Airport +│/);
    expect(s).toMatch(/Time: \d+\.\d{3} s/);
  });

  test('Tab completes a column of a table named in the statement', async () => {
    await start(hist());
    type('SELECT zone FROM taxi_zone_lookup WHERE boro');
    key('Tab');
    await waitFor(contains('WHERE borough'), 'the completed column');
    type(" = 'EWR';");
    key('Enter');
    const s = await waitFor(contains('(1 row)'), 'the result');
    expect(s).toContain('Newark Airport');
  });

  test('an error shows line:column, the line and a caret, and the REPL carries on', async () => {
    await start(hist());
    type('SELECT 1,');
    key('Enter');
    type('  nope FROM taxi_zone_lookup;');
    key('Enter');
    const s = await waitFor(contains('^~~~'), 'the caret');
    expect(s).toContain("line 2:3: Column 'nope' cannot be resolved");
    expect(s).toContain('  nope FROM taxi_zone_lookup\n  ^~~~');
    type('SELECT 40 + 2 AS answer;');
    key('Enter');
    expect(await waitFor(contains('(1 row)'), 'the next result')).toMatch(/│ +42 │/);
  });

  test('history is kept across two runs', async () => {
    const file = hist();
    await start(file);
    type("SELECT 'remember me' AS m;");
    key('Enter');
    await waitFor(contains('(1 row)'), 'the result');
    type('\\q');
    key('Enter');
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain("SELECT 'remember me' AS m;");
    await start(file);
    // Up once recalls \\q (history keeps meta commands, as psql's does); twice, the statement.
    key('Up');
    await waitFor(contains('shoal> \\q'), 'the recalled \\q');
    key('Up');
    await waitFor((s) => /shoal> SELECT 'remember me' AS m;\s*$/.test(s.trimEnd() + ' '), 'the recalled statement');
  });

  test('a slow query shows a progress line, Ctrl-C cancels it and the session goes on', async () => {
    await start(hist());
    type('SELECT count(*) FROM yellow_tripdata a CROSS JOIN yellow_tripdata b;');
    key('Enter');
    const s = await waitFor((x) => /splits\] [\d,]+ rows, [\d.]+ \w*B, [\d.]+ \w*B\/s, \d+\.\d s/.test(x), 'the progress line');
    expect(s).toMatch(/\[\d+\/\d+ splits\]/);
    key('C-c');
    await waitFor(contains('Query cancelled.'), 'the cancellation');
    type("SELECT 'still here' AS s;");
    key('Enter');
    expect(await waitFor(contains('(1 row)'), 'a result after cancelling')).toContain('still here');
  });

  test('\\d lists the tables; \\d name describes one; Ctrl-C twice on an empty prompt exits', async () => {
    await start(hist());
    type('\\d');
    key('Enter');
    const s = await waitFor(contains('(3 rows)'), 'the table list');
    for (const t of ['green_tripdata', 'taxi_zone_lookup', 'yellow_tripdata']) expect(s).toContain(t);
    type('\\d taxi_zone_lookup');
    key('Enter');
    expect(await waitFor(contains('service_zone'), 'the description')).toMatch(/│ borough +│ varchar/);
    key('C-c');
    await waitFor(contains('Ctrl-C again'), 'the exit hint');
    key('C-c');
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });

  test('\\set maxrows, \\mode csv, \\x, USE and SET SESSION', async () => {
    await start(hist());
    type('\\set maxrows 2');
    key('Enter');
    type('SELECT locationid FROM taxi_zone_lookup ORDER BY 1 LIMIT 5;');
    key('Enter');
    let s = await waitFor(contains('(5 rows)'), 'the cut table');
    expect(s).toContain('… 3 more rows');
    type('\\mode csv');
    key('Enter');
    type('SELECT locationid, borough FROM taxi_zone_lookup ORDER BY 1 LIMIT 2;');
    key('Enter');
    s = await waitFor(contains('(2 rows,'), 'the csv rows');
    expect(s).toContain('locationid,borough\n1,EWR\n2,Queens\n');
    type('\\x');
    key('Enter');
    type('USE lake.information_schema;');
    key('Enter');
    await waitFor(contains('USE ('), 'USE done');
    type("SET SESSION query_max_execution_time = '1h';");
    key('Enter');
    await waitFor(contains('SET SESSION ('), 'SET SESSION done');
    type("SELECT table_name AS s, 1 AS one FROM tables WHERE table_name = 'taxi_zone_lookup';");
    key('Enter');
    s = await waitFor(contains('RECORD 1'), 'the vertical record');
    expect(s).toMatch(/-\[ RECORD 1 \]-*\ns +\| taxi_zone_lookup\none +\| 1\n\(1 row\)/);
  });

  test('\\i runs a file of statements; \\o sends results to a file and \\o alone back to the terminal', async () => {
    const script = path.join(tmpDir, 'script.sql');
    writeFileSync(script, "SELECT 'from-file' AS src;\nSELECT 40 + 2 AS answer;\n");
    const out = path.join(tmpDir, 'out.csv');
    await start(hist());
    type(`\\i ${script}`);
    key('Enter');
    await waitFor((sc) => sc.includes('from-file') && sc.includes('42'), 'the results of the file');
    type(`\\o ${out}`);
    key('Enter');
    type('\\mode csv');
    key('Enter');
    type("SELECT 'to-file' AS dest;");
    key('Enter');
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').includes('to-file'), 'the output file', 10_000);
    type('\\o');
    key('Enter');
    type("SELECT 'back-on-screen' AS dest;");
    key('Enter');
    await waitFor(contains('back-on-screen'), 'output on the terminal again');
    expect(readFileSync(out, 'utf8')).toBe('dest\nto-file\n');
  });

  test('remote mode: the same REPL against shoal serve through the Trino protocol', async () => {
    const server = await startServer();
    try {
      await start(hist(), `--server ${server.url} --catalog lake --schema nyc`);
      type("SELECT Borough, count(*) AS n FROM taxi_zone_lookup WHERE Borough IN ('EWR', 'Staten Island') GROUP BY Borough ORDER BY Borough;");
      key('Enter');
      const shown = await waitFor(contains('(2 rows)'), 'the remote result');
      expect(shown).toMatch(/│ EWR\s+│\s+1 │/);
      expect(shown).toMatch(/│ Staten Island\s+│\s+20 │/);
      // The server's errorLocation becomes the caret under the offending name.
      type('SELECT nosuch FROM taxi_zone_lookup;');
      key('Enter');
      const err = await waitFor(contains('^'), 'the remote error');
      expect(err).toContain("line 1:8: Column 'nosuch' cannot be resolved");
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      await server.close();
    }
  });
});
