import { ShoalError } from '../../src/common/index.js';

/** The ShoalError `p` rejects with; any other rejection is rethrown as is, and fulfilment fails the test. */
export async function errorOf(p: Promise<unknown>): Promise<ShoalError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ShoalError) return e;
    throw e;
  }
  throw new Error('expected the call to fail with a ShoalError');
}

/** The ShoalError `f` throws; any other exception is rethrown as is, and returning fails the test. */
export function errorOfCall(f: () => unknown): ShoalError {
  try {
    f();
  } catch (e) {
    if (e instanceof ShoalError) return e;
    throw e;
  }
  throw new Error('expected the call to fail with a ShoalError');
}
