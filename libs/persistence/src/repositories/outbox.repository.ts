import { type InsertSpec, writeRow } from '../db/deferred-rows';
import type { Queryable } from '../db/db';
import type { OutboxEntry, PendingOutboxEntry } from './records';
import { strOrNull } from './row-mapping';

/**
 * The transactional outbox: records are written in the same transaction as the state that makes
 * them necessary, and the relay publishes them afterwards. A record leaves only once published.
 */
const OUTBOX_INSERT: InsertSpec = {
  table: 'outbox',
  columns: [['kind'], ['message_id'], ['topic'], ['record_key'], ['record_value'], ['headers', 'jsonb']],
};

export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  /** In order; deferred to the batch's multi-row insert inside a group commit. */
  async enqueue(tx: Queryable, entries: readonly OutboxEntry[]): Promise<void> {
    for (const e of entries)
      await writeRow(tx, OUTBOX_INSERT, [
        e.kind,
        e.messageId,
        e.topic,
        e.key,
        e.value,
        JSON.stringify(e.headers),
      ]);
  }

  /**
   * The oldest unpublished rows, at most `limit` of them and `maxBytes` of key and value in all
   * (always at least one). Kafka refuses a record batch over the broker's message.max.bytes, and the
   * relay would retry such a send forever; and rows beyond what one send takes are not read at all.
   */
  /**
   * Deletes rows published before `cutoff` whose message is settled (delivered, rejected, expired) or
   * that belong to no message (receipts, dead letters): once on the broker and past retention, the
   * outbox has no more use for them. A sent message still awaiting its receipt keeps its row, which
   * redelivery re-publishes.
   */
  async prunePublished(cutoff: Date, limit = 10_000): Promise<number> {
    const rows = await this.db.query(
      `delete from outbox where seq in (
         select o.seq from outbox o left join outbound_messages m on m.id = o.message_id
          where o.published_at is not null and o.published_at < $1
            and (o.message_id is null or m.id is null or m.status not in ('queued', 'sent'))
          order by o.seq limit $2)
       returning seq`,
      [cutoff, limit],
    );
    return rows.length;
  }

  async pending(
    limit: number,
    maxBytes = Number.MAX_SAFE_INTEGER,
    skipTopics: readonly string[] = [],
    q: Queryable = this.db,
  ): Promise<PendingOutboxEntry[]> {
    // `skipTopics`: topics the broker refuses for now; their rows wait without holding up the others.
    const rows = await q.query(
      `select seq::text as seq, kind, message_id, topic, record_key, record_value, headers, attempts
         from (select o.*, row_number() over w as n,
                      sum(octet_length(o.record_value) + coalesce(octet_length(o.record_key), 0)) over w as upto
                 from outbox o where o.published_at is null and o.topic <> all($3::text[])
               window w as (order by o.seq)
                order by o.seq limit $1) p
        where p.n = 1 or p.upto <= $2
        order by p.seq`,
      [limit, maxBytes, skipTopics],
    );
    return rows.map((r) => ({
      seq: String(r.seq),
      kind: r.kind as OutboxEntry['kind'],
      messageId: strOrNull(r.message_id),
      topic: String(r.topic),
      key: strOrNull(r.record_key),
      value: String(r.record_value),
      headers: (typeof r.headers === 'string' ? JSON.parse(r.headers) : r.headers) as Record<string, string>,
      attempts: Number(r.attempts),
    }));
  }

  /**
   * The rows are on the broker: they leave the outbox, and the messages they carry move from queued
   * to sent (never a settled message backwards). One statement, so atomic without a transaction.
   */
  async markPublished(
    q: Queryable,
    seqs: readonly string[],
    at: Date,
    sentMessageIds: readonly string[] = [],
  ): Promise<void> {
    if (seqs.length === 0 && sentMessageIds.length === 0) return;
    await q.query(
      `with published as (update outbox set published_at = $2 where seq = any($1::bigint[]))
       update outbound_messages set status = 'sent', sent_at = $2
        where id = any($3::uuid[]) and status = 'queued'`,
      [seqs, at, sentMessageIds],
    );
  }

  async recordFailure(seqs: readonly string[], error: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.query(
      'update outbox set attempts = attempts + 1, last_error = $2 where seq = any($1::bigint[])',
      [seqs, error.slice(0, 500)],
    );
  }

  /** Queues again the last record published for `messageId` — the same signed bytes, so the same message id. */
  async requeue(tx: Queryable, messageId: string): Promise<boolean> {
    const rows = await tx.query(
      `insert into outbox (kind, message_id, topic, record_key, record_value, headers)
       select kind, message_id, topic, record_key, record_value, headers from outbox
        where message_id = $1 and kind = 'message' order by seq desc limit 1
       returning seq`,
      [messageId],
    );
    return rows.length > 0;
  }

  async backlog(): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      'select count(*)::text as n from outbox where published_at is null',
    );
    return Number(rows[0]?.n ?? 0);
  }
}
