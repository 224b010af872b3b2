/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of zip, gzip and PNG.
 * Written here so that saving and loading need neither node:crypto nor an async digest.
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  table = t;
  return t;
}

/**
 * Feeds `bytes` into a running CRC-32. Start with `crc = 0` and pass each result to the next
 * call to checksum data that arrives in pieces: `crc32(b, crc32(a))` equals `crc32(a ++ b)`.
 *
 * @param bytes - the bytes to add.
 * @param crc - the CRC-32 of everything before `bytes` (0 for none).
 * @returns the CRC-32 of everything so far, as an unsigned 32-bit integer.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = crcTable();
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Formats a CRC-32 as 8 lowercase hex digits, the way model files store it. */
export function crc32Hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
