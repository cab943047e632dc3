import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time and handed out once each, as node's own
 * randomUUID does: one call into OpenSSL per 200-odd ids instead of two per id (a message and its
 * receipt each take one).
 */
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

function random(size: number): Buffer {
  if (poolUsed + size > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = pool.subarray(poolUsed, poolUsed + size);
  poolUsed += size;
  return out;
}

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then randomness. Within one millisecond a 12-bit counter
 * in rand_a keeps ids from this process in creation order.
 */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0) lastMs += 1; // counter wrapped: borrow the next millisecond
  } else {
    lastMs = now;
    sequence = random(2).readUInt16BE(0) & 0x7ff; // room to count upwards
  }
  // Written over in place: those pool bytes are never handed out again, and the id is made from them now.
  const bytes = random(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
