/**
 * Where a write statement keeps its files until it commits, and how writers of one target stay out of each
 * other's way. Layout inside the target directory (hidden from readers: registry.ts isHiddenFile):
 *
 *   <target>/.shoal-staging/_commit.lock              held while a statement commits or recovers (one at a time)
 *   <target>/.shoal-staging/<query id>/_writer.json   who writes here: query id, pid, host; rewritten every minute
 *   <target>/.shoal-staging/<query id>/data/…         the statement's files, laid out as they will be published
 *   <target>/.shoal-staging/<query id>/_commit.json   the publish plan, written when publishing starts
 *   <target>/.shoal-staging/<query id>/retired/…      files the statement replaces, until it has committed
 *   <target>/.shoal-staging/<query id>/_committed     the statement passed its commit point
 *
 * A staging directory whose writer is gone is stale: its pid is dead on this host, or nothing in it changed for
 * STALE_AFTER_MS (the heartbeat keeps a live writer's marker fresh, also on other hosts). The next statement
 * writing the same target recovers stale directories first (write-commit.ts recoverStaging). The same rule
 * breaks a lock whose holder is gone. Known limit: two statements breaking the same stale lock at the same
 * moment can both believe they hold it; staleness needs a dead process or ten silent minutes, so this is rare.
 */
import { hostname } from 'node:os';
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, IoOptions, WritableFileSystem } from '../fs/index.js';

export const STAGING_DIR = '.shoal-staging';
export const STALE_AFTER_MS = 10 * 60_000;
const HEARTBEAT_MS = 60_000;
const LOCK_WAIT_MS = 120_000;
const LOCK_FILE = '_commit.lock';
export const WRITER_FILE = '_writer.json';

export interface WriterMarker {
  readonly queryId: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export function stagingRoot(target: string): string {
  return `${target}/${STAGING_DIR}`;
}

/** Whether a local process is alive (EPERM: alive, someone else's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** A JSON object from a staging file; undefined when the file is missing, half-written or not an object. */
export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/** Parses a marker or lock file; undefined when it is missing, half-written or not ours. */
export function parseMarker(text: string | undefined): WriterMarker | undefined {
  const r = parseJsonObject(text);
  if (r === undefined) return undefined;
  if (typeof r['queryId'] !== 'string' || typeof r['pid'] !== 'number' || typeof r['host'] !== 'string') return undefined;
  return { queryId: r['queryId'], pid: r['pid'], host: r['host'], startedAt: typeof r['startedAt'] === 'string' ? r['startedAt'] : '' };
}

/** A writer is gone when its process is dead on this host, or when its files have been silent too long. */
export function isStale(marker: WriterMarker | undefined, newestMtimeMs: number | undefined, now = Date.now()): boolean {
  if (marker !== undefined && marker.host === hostname() && !processAlive(marker.pid)) return true;
  return newestMtimeMs === undefined || now - newestMtimeMs > STALE_AFTER_MS;
}

export async function readText(fs: WritableFileSystem, location: string, o?: IoOptions): Promise<string | undefined> {
  let f;
  try {
    f = await fs.open(location, o);
  } catch (e) {
    if (e instanceof ShoalError && e.code === 'FILE_NOT_FOUND') return undefined;
    throw e;
  }
  try {
    return new TextDecoder().decode(await f.read(0, f.size, o));
  } finally {
    await f.close();
  }
}

export async function writeText(fs: WritableFileSystem, location: string, text: string, o?: IoOptions & { exclusive?: boolean }): Promise<FileStatus> {
  const w = await fs.create(location, o);
  try {
    await w.write(new TextEncoder().encode(text));
  } catch (e) {
    await w.abort();
    throw e;
  }
  return w.close();
}

export async function exists(fs: WritableFileSystem, location: string, o?: IoOptions): Promise<boolean> {
  try {
    await fs.stat(location, o);
    return true;
  } catch (e) {
    if (e instanceof ShoalError && e.code === 'FILE_NOT_FOUND') return false;
    throw e;
  }
}

function markerText(queryId: string): string {
  const m: WriterMarker = { queryId, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  return `${JSON.stringify(m)}\n`;
}

/** One statement's staging directory; the heartbeat runs until `stop` or `discard`. */
export class Staging {
  readonly dir: string;
  /** Files are written here under the paths they will have below the target. */
  readonly dataDir: string;
  private heartbeat: NodeJS.Timeout | undefined;
  private kept = false;

  private constructor(private readonly fs: WritableFileSystem, readonly target: string, readonly queryId: string) {
    this.dir = `${stagingRoot(target)}/${queryId}`;
    this.dataDir = `${this.dir}/data`;
  }

  static async open(fs: WritableFileSystem, target: string, queryId: string, o?: IoOptions): Promise<Staging> {
    const s = new Staging(fs, target, queryId);
    const text = markerText(queryId);
    await writeText(fs, `${s.dir}/${WRITER_FILE}`, text, o);
    s.heartbeat = setInterval(() => {
      void writeText(fs, `${s.dir}/${WRITER_FILE}`, text).catch(() => {});
    }, HEARTBEAT_MS);
    s.heartbeat.unref();
    return s;
  }

  stop(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Leaves the directory for recovery (a rollback that could not finish); discard() then keeps it. */
  keep(): void {
    this.kept = true;
    this.stop();
  }

  /** Deletes the staging directory (a failed or finished statement) unless kept. Never throws. */
  async discard(): Promise<void> {
    this.stop();
    if (!this.kept) await this.fs.deletePrefix(this.dir).catch(() => {});
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/**
 * Runs `f` holding the target's commit lock: an exclusively created lock file, deleted afterwards. Waits while a
 * live statement holds it (up to two minutes, then WRITE_CONFLICT); breaks a lock whose holder is gone.
 */
export async function withCommitLock<T>(fs: WritableFileSystem, target: string, queryId: string, f: () => Promise<T>, o?: IoOptions): Promise<T> {
  const lock = `${stagingRoot(target)}/${LOCK_FILE}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    throwIfAborted(o?.signal);
    try {
      await writeText(fs, lock, markerText(queryId), { ...o, exclusive: true });
      break;
    } catch (e) {
      if (!(e instanceof ShoalError && e.code === 'ALREADY_EXISTS')) throw e;
    }
    const holder = parseMarker(await readText(fs, lock, o));
    let mtime: number | undefined;
    try {
      mtime = (await fs.stat(lock, o)).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (isStale(holder, mtime)) {
      await fs.delete(lock, o);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ShoalError('WRITE_CONFLICT', `Another statement (query ${holder?.queryId ?? 'unknown'}) is committing to ${target}`, {
        location: target,
        hint: 'Re-run the statement when it has finished',
      });
    }
    await sleep(50 + Math.floor(Math.random() * 100), o?.signal);
  }
  try {
    return await f();
  } finally {
    await fs.delete(lock).catch(() => {});
  }
}
