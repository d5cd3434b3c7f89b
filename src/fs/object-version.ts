import { ShoalError } from '../common/index.js';

/** An ETag as a comparable token: without quotes and without the weak-validator prefix. */
export function normalizeEtag(etag: string | undefined | null): string | undefined {
  if (etag === undefined || etag === null || etag === '') return undefined;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The object's version differs from the one the query pinned when it listed or opened it. */
export function fileChanged(location: string, detail: string, cause?: unknown): ShoalError {
  return new ShoalError('FILE_CHANGED', `${location} changed while the query was reading it (${detail}); re-run the query`, {
    location,
    hint: 'Re-running the query reads the new version',
    cause,
  });
}

/** Throws FILE_CHANGED when a response's version differs from the pinned one (both known). */
export function checkVersion(location: string, pinned: string | undefined, got: string | undefined): void {
  if (pinned !== undefined && got !== undefined && pinned !== got) {
    throw fileChanged(location, `its version was ${pinned} and is now ${got}`);
  }
}
