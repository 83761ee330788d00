import { randomBytes } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/**
 * UUID version 7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by
 * creation time and index well. A 12-bit counter in rand_a keeps ids made in the same
 * millisecond ordered within this process.
 */
export function newId(): string {
  const now = Date.now();
  if (now === lastMillis) {
    sequence = (sequence + 1) & 0xfff;
  } else {
    lastMillis = now;
    sequence = randomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
