import type { Queryable } from '../db/db';
import type { InboundRejectionRecord } from './records';

/** Every inbound record that was refused, attributable or not: the node's own account of what it turned away. */
export class InboundRejectionsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(tx: Queryable, r: InboundRejectionRecord): Promise<void> {
    await tx.query(
      `insert into inbound_rejections (received_at, topic, kafka_partition, kafka_offset, record_digest, attributed_sender, message_id, reason_code, rule, detail)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.receivedAt,
        r.topic,
        r.partition,
        r.offset,
        r.recordDigest,
        r.attributedSender,
        r.messageId,
        r.reasonCode,
        r.rule,
        r.detail,
      ],
    );
  }

  async countByReason(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ reason_code: string; n: string }>(
      'select reason_code, count(*)::text as n from inbound_rejections group by reason_code',
    );
    return Object.fromEntries(rows.map((r) => [r.reason_code, Number(r.n)]));
  }
}
