import { randomFillSync } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time, as `crypto.randomUUID` does: one
 * `randomFillSync` call per 400 ids instead of two per id (every request gets an id, and the
 * per-call cost of the system's generator was a noticeable share of a cheap request's CPU).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomByteSlice(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return slice;
}

/**
 * UUID version 7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by
 * creation time and index well. A 12-bit counter in rand_a, started at a random value below 2048
 * each new millisecond, keeps ids made in the same millisecond ordered within this process; should
 * it run out (over 2,048 ids in one millisecond) or the clock step back, the timestamp moves on by
 * a millisecond instead (RFC 9562, 6.2, method 1), so this process's ids always increase.
 */
export function newId(): string {
  const random = randomByteSlice(10);
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    sequence = random.readUInt16BE(0) & 0x7ff;
  } else if (sequence < 0xfff) {
    sequence += 1;
  } else {
    lastMillis += 1;
    sequence = random.readUInt16BE(0) & 0x7ff;
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(lastMillis, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  random.copy(bytes, 8, 2, 10);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
