import { createHash } from 'node:crypto';

/**
 * `sha256:<hex>` of a record value, exactly as it travelled: what a receipt acknowledges. A string is
 * hashed as its UTF-8 bytes, so the digest of a compact JWS string and of its Buffer agree.
 */
export function digestOf(recordValue: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(recordValue).digest('hex')}`;
}
