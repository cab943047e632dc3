import type { Queryable } from '../db/db';
import { dateOrNull, strOrNull } from './row-mapping';

/** How far one webhook endpoint has been delivered, and the pending retry of its next event. */
export interface WebhookCursor {
  readonly endpointId: string;
  readonly deliveredSeq: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
}

export interface WebhookEndpointStats {
  readonly endpointId: string;
  readonly deliveredSeq: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly deadLetters: number;
}

/**
 * Webhook delivery state: one cursor per endpoint (events are delivered in `seq` order, one at a
 * time, so per-message order holds) and the events that used up their attempts (dead letters).
 */
export class WebhookCursorsRepository {
  constructor(private readonly db: Queryable) {}

  /** A new endpoint starts at the current end of the event sequence: it is told what happens from now. */
  async ensure(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length === 0) return;
    await this.db.query(
      `insert into webhook_cursors (endpoint_id, delivered_seq)
       select e, (select coalesce(max(seq), 0) from node_events) from unnest($1::text[]) as e
       on conflict (endpoint_id) do nothing`,
      [endpointIds],
    );
  }

  async find(endpointId: string): Promise<WebhookCursor | undefined> {
    const rows = await this.db.query(
      `select endpoint_id, delivered_seq::text as delivered_seq, attempts, next_attempt_at, last_error
         from webhook_cursors where endpoint_id = $1`,
      [endpointId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      endpointId: String(r.endpoint_id),
      deliveredSeq: String(r.delivered_seq),
      attempts: Number(r.attempts),
      nextAttemptAt: dateOrNull(r.next_attempt_at),
      lastError: strOrNull(r.last_error),
    };
  }

  /** The event at `seq` is delivered (or set aside): the next one starts with a clean slate. */
  async advance(q: Queryable, endpointId: string, seq: string): Promise<void> {
    await q.query(
      `update webhook_cursors set delivered_seq = greatest(delivered_seq, $2::bigint), attempts = 0,
              next_attempt_at = null, last_error = null where endpoint_id = $1`,
      [endpointId, seq],
    );
  }

  async recordFailure(
    endpointId: string,
    attempts: number,
    nextAttemptAt: Date,
    error: string,
  ): Promise<void> {
    await this.db.query(
      'update webhook_cursors set attempts = $2, next_attempt_at = $3, last_error = $4 where endpoint_id = $1',
      [endpointId, attempts, nextAttemptAt, error.slice(0, 200)],
    );
  }

  /** The event used up its attempts: kept as a dead letter, and the endpoint moves on, in one transaction. */
  async deadLetter(
    tx: Queryable,
    d: { endpointId: string; seq: string; eventId: string; attempts: number; error: string; at: Date },
  ): Promise<void> {
    await tx.query(
      `insert into webhook_dead_letters (endpoint_id, event_seq, event_id, attempts, last_error, dead_at)
       values ($1, $2::bigint, $3, $4, $5, $6) on conflict do nothing`,
      [d.endpointId, d.seq, d.eventId, d.attempts, d.error.slice(0, 200), d.at],
    );
    await this.advance(tx, d.endpointId, d.seq);
  }

  async stats(): Promise<WebhookEndpointStats[]> {
    const rows = await this.db.query(
      `select c.endpoint_id, c.delivered_seq::text as delivered_seq, c.attempts, c.last_error,
              (select count(*) from webhook_dead_letters d where d.endpoint_id = c.endpoint_id)::int as dead
         from webhook_cursors c order by c.endpoint_id`,
    );
    return rows.map((r) => ({
      endpointId: String(r.endpoint_id),
      deliveredSeq: String(r.delivered_seq),
      attempts: Number(r.attempts),
      lastError: strOrNull(r.last_error),
      deadLetters: Number(r.dead),
    }));
  }

  /** The lowest seq every endpoint has passed (events at or below it are no longer needed by webhooks). */
  async minDeliveredSeq(endpointIds: readonly string[]): Promise<string> {
    if (endpointIds.length === 0) return '9223372036854775807';
    const rows = await this.db.query<{ seq: string | null }>(
      'select min(delivered_seq)::text as seq from webhook_cursors where endpoint_id = any($1::text[])',
      [endpointIds],
    );
    return rows[0]?.seq ?? '0';
  }
}
