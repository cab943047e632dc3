import type { Queryable } from '../db/db';
import type { InboundRejectionRecord } from './records';

export interface InboundRejectionRow {
  readonly reasonCode: string;
  readonly rule: string | null;
  readonly attributedSender: string | null;
  readonly key: { readonly encoding: 'utf8' | 'base64'; readonly text: string } | null;
  readonly value: { readonly encoding: 'utf8' | 'base64'; readonly text: string } | null;
  readonly headers: unknown[] | null;
}

const encodingOf = (e: string | null): 'utf8' | 'base64' => (e === 'base64' ? 'base64' : 'utf8');

/** Every inbound record that was refused, attributable or not: the node's own account of what it turned away. */
export class InboundRejectionsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(tx: Queryable, r: InboundRejectionRecord): Promise<void> {
    await tx.query(
      `insert into inbound_rejections (received_at, topic, kafka_partition, kafka_offset, record_digest, attributed_sender, message_id, reason_code, rule, detail,
                                       record_key, record_key_encoding, record_value, record_value_encoding, record_headers)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb)`,
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
        r.preserved?.key?.text ?? null,
        r.preserved?.key?.encoding ?? null,
        r.preserved?.value?.text ?? null,
        r.preserved?.value?.encoding ?? null,
        r.preserved ? JSON.stringify(r.preserved.headers) : null,
      ],
    );
  }

  /** Deletes rows received before `cutoff`: the refusal ledger is kept for a retention period, not forever. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const rows = await this.db.query('delete from inbound_rejections where received_at < $1 returning id', [
      cutoff,
    ]);
    return rows.length;
  }

  /** The rows of one inbox record (topic, partition, offset), newest first. */
  async findBySource(topic: string, partition: number, offset: string): Promise<InboundRejectionRow[]> {
    const rows = await this.db.query<{
      reason_code: string;
      rule: string | null;
      attributed_sender: string | null;
      record_key: string | null;
      record_key_encoding: string | null;
      record_value: string | null;
      record_value_encoding: string | null;
      record_headers: unknown;
    }>(
      `select reason_code, rule, attributed_sender, record_key, record_key_encoding, record_value, record_value_encoding, record_headers
         from inbound_rejections where topic = $1 and kafka_partition = $2 and kafka_offset = $3 order by id desc`,
      [topic, partition, offset],
    );
    return rows.map((r) => ({
      reasonCode: r.reason_code,
      rule: r.rule,
      attributedSender: r.attributed_sender,
      key: r.record_key === null ? null : { encoding: encodingOf(r.record_key_encoding), text: r.record_key },
      value:
        r.record_value === null
          ? null
          : { encoding: encodingOf(r.record_value_encoding), text: r.record_value },
      headers: (typeof r.record_headers === 'string' ? JSON.parse(r.record_headers) : r.record_headers) as
        unknown[] | null,
    }));
  }

  async countByReason(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ reason_code: string; n: string }>(
      'select reason_code, count(*)::text as n from inbound_rejections group by reason_code',
    );
    return Object.fromEntries(rows.map((r) => [r.reason_code, Number(r.n)]));
  }
}
