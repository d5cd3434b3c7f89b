import { createHash } from 'node:crypto';

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Cloud Storage reports for every object. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `crc32c` as the JSON API spells it: base64 of the big-endian 32-bit value. */
export function crc32cBase64(bytes: Uint8Array): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32c(bytes));
  return b.toString('base64');
}

/** `md5Hash` as the JSON API spells it: base64 of the 16-byte digest. */
export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
