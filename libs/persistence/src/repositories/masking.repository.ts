import type { Queryable } from '../db/db';
import { dateOrNull, json, str, strOrNull } from './row-mapping';
import type { JsonRecord } from './records';
import { DETACHED_RECORD_SQL } from './retention.repository';

/** A stored message whose personal data is due for masking, or was masked. */
export interface MaskableMessage {
  readonly table: 'inbox' | 'outbound';
  readonly id: string;
  /** Inbound rows are keyed by (sender, id). */
  readonly sender: string | null;
  readonly agreementId: string;
  readonly payload: JsonRecord;
  readonly maskedAt: Date | null;
  readonly maskedOriginal: string | null;
}

const SELECT_INBOX = `select 'inbox' as tbl, id::text as id, sender, agreement_id, payload, masked_at, masked_original from inbox_messages`;
const SELECT_OUTBOUND = `select 'outbound' as tbl, id::text as id, null as sender, agreement_id, payload, masked_at, masked_original from outbound_messages`;

function toMaskable(r: Record<string, unknown>): MaskableMessage {
  return {
    table: str(r.tbl) === 'inbox' ? 'inbox' : 'outbound',
    id: str(r.id),
    sender: strOrNull(r.sender),
    agreementId: str(r.agreement_id),
    payload: json(r.payload),
    maskedAt: dateOrNull(r.masked_at),
    maskedOriginal: strOrNull(r.masked_original),
  };
}

/**
 * Masking replaces a payload by its masked form and keeps the original only sealed (by the caller,
 * under the node's masking secret). The signed record is reduced to its detached form, as retention
 * does: it holds the payload encrypted to this node, which the node's key would re-identify.
 */
export class MaskingRepository {
  constructor(private readonly db: Queryable) {}

  /** Unmasked, unredacted messages of the agreement older than `cutoff`, oldest first. */
  async due(agreementId: string, cutoff: Date, limit: number): Promise<MaskableMessage[]> {
    const inbox = await this.db.query(
      `${SELECT_INBOX} where agreement_id = $1 and received_at < $2 and masked_at is null and redacted_at is null
        order by received_at limit $3`,
      [agreementId, cutoff, limit],
    );
    const outbound = await this.db.query(
      `${SELECT_OUTBOUND} where agreement_id = $1 and created_at < $2 and masked_at is null and redacted_at is null
        order by created_at limit $3`,
      [agreementId, cutoff, limit],
    );
    return [...inbox, ...outbound].map(toMaskable);
  }

  async setMasked(
    tx: Queryable,
    m: MaskableMessage,
    payload: JsonRecord,
    sealed: string,
    now: Date,
  ): Promise<void> {
    if (m.table === 'inbox') {
      await tx.query(
        `update inbox_messages set payload = $3::jsonb, masked_original = $4, masked_at = $5, record_value = ${DETACHED_RECORD_SQL}
          where sender = $1 and id = $2 and masked_at is null`,
        [m.sender, m.id, JSON.stringify(payload), sealed, now],
      );
      return;
    }
    await tx.query(
      `update outbound_messages set payload = $2::jsonb, masked_original = $3, masked_at = $4, record_value = ${DETACHED_RECORD_SQL}
        where id = $1 and masked_at is null`,
      [m.id, JSON.stringify(payload), sealed, now],
    );
    // Published records hold the payload encrypted to the peer: no longer needed once on the broker.
    await tx.query('delete from outbox where message_id = $1 and published_at is not null', [m.id]);
  }

  /** The message by id, sent or received (a node never holds the same id both ways). */
  async find(id: string): Promise<MaskableMessage | undefined> {
    const rows = await this.db.query(
      `${SELECT_INBOX} where id = $1 union all ${SELECT_OUTBOUND} where id = $1 limit 1`,
      [id],
    );
    return rows[0] ? toMaskable(rows[0]) : undefined;
  }
}
