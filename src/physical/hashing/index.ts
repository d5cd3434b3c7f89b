export { KeyEncoder } from './key-encoder.js';
export { GroupTable } from './group-table.js';
export { StringInterner } from './string-interner.js';
export { dictionaryGroupIds } from './dictionary-groups.js';
export { IntegerKeyGroups } from './integer-key-groups.js';
export { DistinctPairs } from './distinct-pairs.js';
export { integerKeyWidth, integerKeyWords } from './integer-key.js';
export { anyNullKey, packKeys, planPacking, type KeyPacking } from './packed-keys.js';
export { slotHash } from './hash.js';
