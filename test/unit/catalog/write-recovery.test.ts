import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LocalFileSystem } from '../../../src/fs/index.js';
import { recoverStaging } from '../../../src/catalog/write-commit.js';
import { withCommitLock } from '../../../src/catalog/write-staging.js';

// Recovery of staging directories left by writers that died at each step of a commit (write-commit.ts).
const root = mkdtempSync(path.join(tmpdir(), 'shoal-recovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = new LocalFileSystem();
const DEAD_PID = 2 ** 22 + 12345; // above pid_max's default: no such process

function put(file: string, text = 'x'): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** A staging directory of query `q` whose writer (pid) is `pid`, with a plan and files as given. */
function staging(target: string, q: string, pid: number, plan?: object): string {
  const dir = path.join(target, '.shoal-staging', q);
  put(path.join(dir, '_writer.json'), JSON.stringify({ queryId: q, pid, host: hostname(), startedAt: '' }));
  if (plan !== undefined) put(path.join(dir, '_commit.json'), JSON.stringify({ queryId: q, ...plan }));
  return dir;
}

const noTable = async (): Promise<boolean> => false;

describe('recoverStaging', () => {
  test('a writer that died before publishing: its staging is deleted, the table untouched', async () => {
    const t = path.join(root, 't1');
    put(path.join(t, 'old.parquet'));
    const dir = staging(t, 'q1', DEAD_PID);
    put(path.join(dir, 'data/new.parquet'));
    expect(await recoverStaging(fs, t, 'me', noTable)).toEqual({ discarded: 1, rolledBack: 0, cleaned: 0 });
    expect(files(t)).toEqual(['old.parquet']);
  });

  test('an INSERT overwrite that died half-way through publishing is rolled back: new files gone, retired ones back', async () => {
    const t = path.join(root, 't2');
    const dir = staging(t, 'q2', DEAD_PID, {
      kind: 'insert',
      publish: [{ from: `${t}/.shoal-staging/q2/data/m=1/q2_0.parquet`, to: `${t}/m=1/q2_0.parquet` }, { from: `${t}/.shoal-staging/q2/data/m=1/q2_1.parquet`, to: `${t}/m=1/q2_1.parquet` }],
      retire: [{ path: `${t}/m=1/old_0.parquet`, aside: `${t}/.shoal-staging/q2/retired/m=1/old_0.parquet` }],
    });
    // State at the crash: the old file moved aside, the first new file published, the second still staged.
    put(path.join(dir, 'retired/m=1/old_0.parquet'), 'old');
    put(path.join(t, 'm=1/q2_0.parquet'), 'new');
    put(path.join(dir, 'data/m=1/q2_1.parquet'), 'new');
    put(path.join(t, 'm=2/keep.parquet'));
    expect(await recoverStaging(fs, t, 'me', noTable)).toEqual({ discarded: 0, rolledBack: 1, cleaned: 0 });
    expect(files(t)).toEqual(['m=1/old_0.parquet', 'm=2/keep.parquet']);
    expect(readFileSync(path.join(t, 'm=1/old_0.parquet'), 'utf8')).toBe('old');
  });

  test('a CREATE TABLE … AS that published but died before its table file is rolled back; one past its commit point only cleaned', async () => {
    const t = path.join(root, 't3');
    staging(t, 'q3', DEAD_PID, { kind: 'create', tableFile: '/catalog/t3.json', publish: [{ from: `${t}/.shoal-staging/q3/data/a.parquet`, to: `${t}/a.parquet` }], retire: [] });
    put(path.join(t, 'a.parquet'));
    expect(await recoverStaging(fs, t, 'me', noTable)).toMatchObject({ rolledBack: 1 });
    expect(files(t)).toEqual([]);

    staging(t, 'q4', DEAD_PID, { kind: 'create', tableFile: '/catalog/t3.json', publish: [{ from: `${t}/.shoal-staging/q4/data/b.parquet`, to: `${t}/b.parquet` }], retire: [] });
    put(path.join(t, 'b.parquet'));
    expect(await recoverStaging(fs, t, 'me', async (f) => f === '/catalog/t3.json')).toMatchObject({ cleaned: 1 });
    expect(files(t)).toEqual(['b.parquet']);
  });

  test('a committed statement whose cleanup was cut short keeps its files; only the leftovers go', async () => {
    const t = path.join(root, 't4');
    const dir = staging(t, 'q5', DEAD_PID, { kind: 'insert', publish: [{ from: `${t}/.shoal-staging/q5/data/n.parquet`, to: `${t}/n.parquet` }], retire: [{ path: `${t}/o.parquet`, aside: `${t}/.shoal-staging/q5/retired/o.parquet` }] });
    put(path.join(t, 'n.parquet'));
    put(path.join(dir, 'retired/o.parquet'));
    put(path.join(dir, '_committed'), '');
    expect(await recoverStaging(fs, t, 'me', noTable)).toMatchObject({ cleaned: 1 });
    expect(files(t)).toEqual(['n.parquet']);
  });

  test("a live writer's staging is left alone; a silent one is stale after ten minutes", async () => {
    const t = path.join(root, 't5');
    const live = staging(t, 'q6', process.pid);
    put(path.join(live, 'data/x.parquet'));
    expect(await recoverStaging(fs, t, 'me', noTable)).toEqual({ discarded: 0, rolledBack: 0, cleaned: 0 });
    expect(files(t)).toHaveLength(2);
    // Another host's writer (the pid cannot be checked) that has not written for 11 minutes.
    const far = path.join(t, '.shoal-staging', 'q7');
    put(path.join(far, '_writer.json'), JSON.stringify({ queryId: 'q7', pid: 1, host: 'elsewhere', startedAt: '' }));
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(path.join(far, '_writer.json'), old, old);
    expect(await recoverStaging(fs, t, 'me', noTable)).toMatchObject({ discarded: 1 });
    expect(files(t)).toEqual(['.shoal-staging/q6/_writer.json', '.shoal-staging/q6/data/x.parquet']);
  });
});

describe('the commit lock', () => {
  test('serializes statements on one target and is broken when its holder died', async () => {
    const t = path.join(root, 'lock');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const first = withCommitLock(fs, t, 'a', async () => { order.push('a in'); await held; order.push('a out'); });
    await new Promise((r) => setTimeout(r, 50));
    const second = withCommitLock(fs, t, 'b', async () => { order.push('b in'); });
    await new Promise((r) => setTimeout(r, 100));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(existsSync(path.join(t, '.shoal-staging', '_commit.lock'))).toBe(false);

    put(path.join(t, '.shoal-staging', '_commit.lock'), JSON.stringify({ queryId: 'dead', pid: DEAD_PID, host: hostname(), startedAt: '' }));
    expect(await withCommitLock(fs, t, 'c', async () => 'got it')).toBe('got it');
  });
});
