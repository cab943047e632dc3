import type { Queryable } from '../db/db';

export interface RedactionCount {
  readonly received: number;
  readonly sent: number;
  readonly outboxRecords: number;
}

/**
 * A compact JWS reduced to its detached form (RFC 7515 appendix F): `header..signature`. The payload,
 * readable or sealed to this node, goes; the signature stays listed, and the record's digest (kept in
 * its row, its receipt and the audit chain) still says which record it was.
 */
export const DETACHED_RECORD_SQL = `case when record_value is null then null
  else split_part(record_value, '.', 1) || '..' || split_part(record_value, '.', 3) end`;

/**
 * Depersonalises what an agreement's retention period has run out for: the payload is emptied (and
 * the signed record reduced to its detached form, since it holds the payload sealed or readable) and the row marked, while ids, parties, types, digests, receipts and the audit chain stay — the record of
 * what was exchanged outlives the personal data in it.
 */
export class RetentionRepository {
  async redactOlderThan(
    tx: Queryable,
    agreementId: string,
    cutoff: Date,
    now: Date,
  ): Promise<RedactionCount> {
    const received = await tx.query(
      `update inbox_messages set payload = '{}'::jsonb, record_value = ${DETACHED_RECORD_SQL}, masked_original = null, redacted_at = $3
        where agreement_id = $1 and received_at < $2 and redacted_at is null returning id`,
      [agreementId, cutoff, now],
    );
    const sent = await tx.query(
      `update outbound_messages set payload = '{}'::jsonb, record_value = ${DETACHED_RECORD_SQL}, masked_original = null, redacted_at = $3
        where agreement_id = $1 and created_at < $2 and redacted_at is null returning id`,
      [agreementId, cutoff, now],
    );
    // Published outbox rows hold the signed (encrypted) record; once on the broker they are not needed.
    const outboxRecords = await tx.query(
      `delete from outbox o using outbound_messages m
        where o.message_id = m.id and m.agreement_id = $1 and o.published_at is not null and m.created_at < $2 returning o.seq`,
      [agreementId, cutoff],
    );
    // The keyed digests of the travelers those messages named go with them.
    await tx.query('delete from traveler_sightings where agreement_id = $1 and seen_at < $2', [
      agreementId,
      cutoff,
    ]);
    return { received: received.length, sent: sent.length, outboxRecords: outboxRecords.length };
  }
}
