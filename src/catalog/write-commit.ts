/**
 * Publishing a write statement's staged files, all or nothing (see write-staging.ts for the layout).
 *
 * Commit, holding the target's commit lock:
 *   1. write the plan (_commit.json): every staged file and its final name; every live file it replaces and
 *      where that file waits ("retired/…");
 *   2. move the replaced files aside; 3. move the staged files into place (rename where the store renames
 *      atomically, else copy + delete);
 *   4. the commit point: `commitPoint()` (CREATE TABLE writes the catalog's table file there), then _committed;
 *   5. delete the staging directory, retired files included.
 *
 * Recovery (the next statement writing the same target, under the lock) of a staging directory whose writer is
 * gone: without a plan, the writer died before publishing, and the directory is deleted; with a plan but no
 * commit point, the statement is rolled back: its published files are deleted and the retired ones moved back;
 * after the commit point, only the leftovers are deleted. Every statement is therefore all or nothing once
 * recovery ran; re-running it after a crash gives the same result as running it once.
 *
 * Crash windows (documented in README "Writing tables"): while steps 2–3 run (one rename per file on local
 * disk, milliseconds), a reader may see some of the new files or miss some replaced ones, and a crash there
 * leaves that state visible until the next write to the target recovers it. A CREATE TABLE's files are never
 * visible before its table file exists, so a crashed CREATE TABLE … AS leaves no table at all.
 */
import { ShoalError } from '../common/index.js';
import { isHiddenFile, type FileStatus, type IoOptions, type WritableFileSystem } from '../fs/index.js';
import { STAGING_DIR, WRITER_FILE, exists, isStale, parseJsonObject, parseMarker, readText, stagingRoot, writeText, type Staging } from './write-staging.js';

export type WriteKind = 'create' | 'insert' | 'unload';

export interface CommitPlan {
  readonly kind: WriteKind;
  readonly queryId: string;
  /** CREATE TABLE: the table file whose existence is the commit point (for recovery). */
  readonly tableFile?: string | undefined;
  readonly publish: readonly { readonly from: string; readonly to: string }[];
  readonly retire: readonly { readonly path: string; readonly aside: string }[];
}

const PLAN_FILE = '_commit.json';
const COMMITTED_FILE = '_committed';

/** Moves one file within the store: an atomic rename, or a copy then a delete of the source. */
export async function moveFile(fs: WritableFileSystem, from: string, to: string, o?: IoOptions): Promise<void> {
  if (fs.publishMethod === 'rename') return fs.rename(from, to, o);
  await fs.copy(from, to, o);
  await fs.delete(from, o);
}

/** The files readers see under `target` (hidden staging and marker files excluded); [] when it does not exist. */
export async function visibleFiles(fs: WritableFileSystem, target: string, o?: IoOptions): Promise<FileStatus[]> {
  if (!(await fs.isDirectory(target, o))) return [];
  const root = `${target}/`;
  const out: FileStatus[] = [];
  for await (const f of fs.list(target, o)) if (!isHiddenFile(f.location, root)) out.push(f);
  return out;
}

/** The partition path of a file below `target` (`year=2024/month=3`), '' for a file directly in it. */
export function partitionOf(location: string, target: string): string {
  const rel = location.slice(target.length + 1);
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** Publishes a staged statement (steps 1–5 above). The caller holds the commit lock. */
export async function commitStaged(fs: WritableFileSystem, staging: Staging, plan: CommitPlan, commitPoint: () => Promise<void>, o?: IoOptions): Promise<void> {
  const io: IoOptions = { stats: o?.stats };
  await writeText(fs, `${staging.dir}/${PLAN_FILE}`, `${JSON.stringify(plan)}\n`, io);
  // From here on the statement is not canceled half-way: the plan must be carried out or rolled back whole.
  try {
    for (const r of plan.retire) await moveFile(fs, r.path, r.aside, io);
    for (const p of plan.publish) await moveFile(fs, p.from, p.to, io);
    await commitPoint();
  } catch (e) {
    try {
      await rollBack(fs, plan, io);
    } catch {
      // The plan stays in staging for the next writer's recovery to finish the rollback.
      staging.keep();
    }
    throw e;
  }
  await writeText(fs, `${staging.dir}/${COMMITTED_FILE}`, '', io).catch(() => {});
  await staging.discard();
}

/** Undoes a plan's moves: published files deleted, retired files back in place. */
async function rollBack(fs: WritableFileSystem, plan: CommitPlan, o?: IoOptions): Promise<void> {
  // Published names are unique to the statement (its query id), so whatever is there is its own.
  for (const p of [...plan.publish].reverse()) await fs.delete(p.to, o);
  for (const r of [...plan.retire].reverse()) if (await exists(fs, r.aside, o)) await moveFile(fs, r.aside, r.path, o);
}

function parsePlan(text: string | undefined): CommitPlan | undefined {
  const r = parseJsonObject(text);
  if (r === undefined) return undefined;
  const pairs = (v: unknown, a: string, b: string): boolean => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)[a] === 'string' && typeof (x as Record<string, unknown>)[b] === 'string');
  if (!['create', 'insert', 'unload'].includes(String(r['kind'])) || typeof r['queryId'] !== 'string') return undefined;
  if (!pairs(r['publish'], 'from', 'to') || !pairs(r['retire'], 'path', 'aside')) return undefined;
  if (r['tableFile'] !== undefined && typeof r['tableFile'] !== 'string') return undefined;
  return r as unknown as CommitPlan;
}

export interface RecoveryReport {
  /** Stale statements whose staging was deleted without publishing anything. */
  readonly discarded: number;
  /** Statements that had started publishing and were undone. */
  readonly rolledBack: number;
  /** Statements that had committed; only their leftovers were deleted. */
  readonly cleaned: number;
}

/**
 * Recovers every stale staging directory of `target` other than `ownQueryId` (see the module comment). The
 * caller holds the commit lock. `tableFileExists` tells whether a CREATE TABLE reached its commit point.
 */
export async function recoverStaging(
  fs: WritableFileSystem, target: string, ownQueryId: string, tableFileExists: (file: string) => Promise<boolean>, o?: IoOptions,
): Promise<RecoveryReport> {
  const report = { discarded: 0, rolledBack: 0, cleaned: 0 };
  const root = stagingRoot(target);
  if (!(await fs.isDirectory(root, o))) return report;
  const byQuery = new Map<string, FileStatus[]>();
  for await (const f of fs.list(root, o)) {
    const rel = f.location.slice(root.length + 1);
    const slash = rel.indexOf('/');
    if (slash < 0) continue; // the lock file
    const q = rel.slice(0, slash);
    if (q === ownQueryId) continue;
    let files = byQuery.get(q);
    if (files === undefined) byQuery.set(q, (files = []));
    files.push(f);
  }
  for (const [q, files] of byQuery) {
    const dir = `${root}/${q}`;
    const newest = files.reduce<number | undefined>((m, f) => (f.mtimeMs === undefined ? m : Math.max(m ?? 0, f.mtimeMs)), undefined);
    if (!isStale(parseMarker(await readText(fs, `${dir}/${WRITER_FILE}`, o)), newest)) continue;
    const plan = parsePlan(await readText(fs, `${dir}/${PLAN_FILE}`, o));
    if (plan === undefined) report.discarded++;
    else {
      const committed = (await exists(fs, `${dir}/${COMMITTED_FILE}`, o)) || (plan.kind === 'create' && plan.tableFile !== undefined && (await tableFileExists(plan.tableFile)));
      if (committed) report.cleaned++;
      else {
        await rollBack(fs, plan, o);
        report.rolledBack++;
      }
    }
    await fs.deletePrefix(dir, o);
  }
  return report;
}

/** Relative paths of `files` below `target`, for messages. */
export function describeFiles(files: readonly FileStatus[], target: string, max = 3): string {
  const names = files.slice(0, max).map((f) => f.location.slice(target.length + 1));
  return `${names.join(', ')}${files.length > max ? `, … (${files.length} files)` : ''}`;
}

/** PATH_ALREADY_EXISTS unless `target` holds no visible files. */
export async function requireEmptyTarget(fs: WritableFileSystem, target: string, what: string, o?: IoOptions): Promise<void> {
  const files = await visibleFiles(fs, target, o);
  if (files.length > 0) {
    throw new ShoalError('PATH_ALREADY_EXISTS', `Target directory for ${what} already exists and is not empty: ${target} holds ${describeFiles(files, target)}`, {
      location: target,
      hint: 'Write to an empty location, or delete the files there first',
    });
  }
}

export { STAGING_DIR };
