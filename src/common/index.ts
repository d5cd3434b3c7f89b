export { ERROR_CODES, type ErrorCode, type ErrorType } from './error-codes.js';
export { ShoalError, isShoalError, toShoalError, internalError, type ShoalErrorOptions } from './errors.js';
export { type SourcePosition, type SourceSpan, positionAt, spanOf, unionSpan, shiftSpan } from './span.js';
export { assertNever, invariant } from './assert.js';
export { editDistance, closestName, didYouMean } from './did-you-mean.js';
export { formatError } from './format-error.js';
export { throwIfAborted } from './abort.js';
export { mix32, hashBytes, canonicalFloat64Words, canonicalFloat32Word } from './hash.js';
export { parseDataSize } from './data-size.js';
