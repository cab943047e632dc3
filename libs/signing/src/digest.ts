import { createHash } from 'node:crypto';

/** `sha256:<hex>` of a record value: what a receipt acknowledges, exactly. */
export function digestOf(recordValue: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(recordValue).digest('hex')}`;
}
