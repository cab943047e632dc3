import { createHash } from 'node:crypto';

/**
 * The audit chain's entry format. It lives with the contracts because it leaves the node: evidence
 * bundles carry chain segments that an offline verifier re-hashes without the node's code or database.
 */

/** Metadata only: ids, types, agreements, reason codes and digests — a digest commits to the content without holding it. */
export type AuditDetail = Readonly<Record<string, string | number | boolean | null>>;

export interface ChainedAuditEntry {
  readonly seq: number;
  readonly at: Date;
  readonly kind: string;
  readonly messageId: string | null;
  readonly counterpart: string | null;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash of an entry commits to every field and to the previous entry's hash. */
export function auditHash(e: Omit<ChainedAuditEntry, 'hash'>): string {
  const detail = Object.fromEntries(Object.entries(e.detail).sort(([a], [b]) => a.localeCompare(b)));
  const canonical = JSON.stringify([
    e.seq,
    e.at.toISOString(),
    e.kind,
    e.messageId,
    e.counterpart,
    detail,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
