import { test } from 'vitest';
import { ShoalError } from '../../src/index.js';
import { sampleSession, shoalRows } from '../../test/support/shoal-runner.js';
import { hostileSqlCorpus } from '../../test/hostile/sql-corpus.js';
const names = (process.env.CASES ?? '').split('|');
test('probe', async () => {
  const s = await sampleSession();
  for (const c of hostileSqlCorpus().filter((c) => names.includes(c.name))) {
    const t0 = performance.now();
    try { for (const x of c.setup ?? []) await shoalRows(s, x); const r = await shoalRows(s, c.sql); console.log(c.name, 'ROWS', JSON.stringify(r.rows.slice(0, 3)).slice(0, 200)); }
    catch (e) { const x = e as ShoalError; console.log(c.name, (performance.now()-t0).toFixed(0), 'ms', e instanceof ShoalError, x.code, String(x.message).slice(0, 200), JSON.stringify(x.span)?.slice(0, 200), ((x as {cause?: {stack?: string}}).cause?.stack ?? "").split("\n").slice(0, 14).join("\n"), x.code === 'GENERIC_INTERNAL_ERROR' || x.code === 'STACK_OVERFLOW' ? x.stack?.split('\n').slice(0, 8).join('\n') : ''); }
  }
}, 120000);
