import { randomUUID } from 'node:crypto';
import { type InsertSpec, writeRow } from '../db/deferred-rows';
import type { NodeEventData, NodeEventType } from '@app/contracts';
import type { Queryable } from '../db/db';
import { date } from './row-mapping';

export interface NodeEvent {
  /** Position in this node's event sequence: the SSE id and the webhook cursor. */
  readonly seq: string;
  /** Unique per event, for de-duplication by receivers (delivery is at least once). */
  readonly id: string;
  readonly type: NodeEventType;
  readonly occurredAt: Date;
  readonly data: NodeEventData;
}

const EVENT_INSERT: InsertSpec = {
  table: 'node_events',
  columns: [['id', 'uuid'], ['subject'], ['type'], ['occurred_at', 'timestamptz'], ['data', 'jsonb']],
  // The same fact reported twice (a second receipt for a settled message) is one event.
  suffix: 'on conflict (subject) do nothing',
};

/**
 * The events outbox. An event is written in the transaction that makes the fact it reports, so a
 * restart loses none; readers (webhook dispatcher, event stream) follow `seq`. Every transaction that
 * appends events runs through the node's GroupCommitter, which commits one transaction at a time: a
 * reader that has seen `seq` n never later finds a smaller seq committing behind it.
 */
export class NodeEventsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * `subject` names the fact (`settled:<message id>`): at most one event per subject, ever. Deferred
   * to the batch's multi-row insert inside a group commit.
   */
  async append(
    tx: Queryable,
    at: Date,
    event: { readonly subject: string; readonly type: NodeEventType; readonly data: NodeEventData },
  ): Promise<void> {
    await writeRow(tx, EVENT_INSERT, [
      randomUUID(),
      event.subject,
      event.type,
      at,
      JSON.stringify(event.data),
    ]);
  }

  /** Events after `seq`, oldest first (by the number: `seq` the output column is text), at most `limit`; only `types` when given. */
  async after(seq: string, limit: number, types?: readonly string[]): Promise<NodeEvent[]> {
    const rows = await this.db.query(
      `select seq::text as seq, id::text as id, type, occurred_at, data from node_events
        where seq > $1::bigint and ($3::text[] is null or type = any($3::text[]))
        order by node_events.seq limit $2`,
      [seq, limit, types ?? null],
    );
    return rows.map((r) => ({
      seq: String(r.seq),
      id: String(r.id),
      type: String(r.type) as NodeEventType,
      occurredAt: date(r.occurred_at),
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as NodeEventData,
    }));
  }

  /**
   * `message.overdue` for every request of `type` past its `replyBy` date (`today`, YYYY-MM-DD) with
   * no answer yet — received here and not answered by us, or sent by us and not answered by the peer —
   * once per message (the subject), at most `limit` per call. Run it through the group committer.
   */
  async appendOverdue(tx: Queryable, type: string, today: string, at: Date, limit = 1_000): Promise<number> {
    const rows = await tx.query(
      `insert into node_events (id, subject, type, occurred_at, data)
       select gen_random_uuid(), d.subject, 'message.overdue', $3, jsonb_build_object(
                'messageId', d.id::text, 'conversationId', d.conversation_id::text, 'inReplyTo', d.in_reply_to::text,
                'messageType', d.type, 'direction', d.direction, 'counterpart', d.counterpart,
                'agreement', d.agreement_id, 'status', 'overdue', 'reasonCode', null)
         from (select 'overdue:' || m.sender || ':' || m.id as subject, m.id, m.conversation_id, m.in_reply_to,
                      m.type, 'inbound' as direction, m.sender as counterpart, m.agreement_id, m.received_at as since
                 from inbox_messages m
                where m.type = $1 and m.payload->>'replyBy' < $2
                  and not exists (select 1 from outbound_messages o where o.in_reply_to = m.id)
               union all
               select 'overdue:' || o.id, o.id, o.conversation_id, o.in_reply_to, o.type, 'outbound', o.recipient,
                      o.agreement_id, o.created_at
                 from outbound_messages o
                where o.type = $1 and o.payload->>'replyBy' < $2 and o.status not in ('rejected', 'failed')
                  and not exists (select 1 from inbox_messages r where r.in_reply_to = o.id and r.sender = o.recipient)) d
        where not exists (select 1 from node_events e where e.subject = d.subject)
        order by d.since limit $4
       on conflict (subject) do nothing returning seq`,
      [type, today, at, limit],
    );
    return rows.length;
  }

  async lastSeq(): Promise<string> {
    const rows = await this.db.query<{ seq: string | null }>('select max(seq)::text as seq from node_events');
    return rows[0]?.seq ?? '0';
  }

  /** Events after `seq` (of `types` when given) not yet read. */
  async countAfter(seq: string, types?: readonly string[]): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      `select count(*)::text as n from node_events
        where seq > $1::bigint and ($2::text[] is null or type = any($2::text[]))`,
      [seq, types ?? null],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Deletes events older than `cutoff` and at or below `upToSeq` (what every webhook has passed). */
  async prune(cutoff: Date, upToSeq: string, limit = 10_000): Promise<number> {
    const rows = await this.db.query(
      `delete from node_events where seq in (
         select seq from node_events where occurred_at < $1 and seq <= $2::bigint order by seq limit $3)
       returning seq`,
      [cutoff, upToSeq, limit],
    );
    return rows.length;
  }
}
