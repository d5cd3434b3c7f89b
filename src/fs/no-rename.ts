import { ShoalError } from '../common/index.js';

/** What `rename` throws on object stores, whose publishMethod is 'copy' (see writable.ts). */
export function renameNotSupported(store: string, from: string, to: string): ShoalError {
  return new ShoalError('NOT_SUPPORTED', `${store} cannot rename ${from} to ${to}: object stores publish by copy and delete`, {
    location: from,
    hint: 'This is a bug in Shoal if a statement asked for it: writers must copy where publishMethod is copy',
  });
}
