import { type InsertSpec, type UpdateSpec, writeRow } from '../db/deferred-rows';
import type { Queryable } from '../db/db';
import type { OutboundMessageRecord, OutboundMessageSummary, OutboundStatus } from './records';
import { strOrNull, toOutbound, toOutboundSummary } from './row-mapping';

/** Every column but the payload and the signed record (and a masked payload's original). */
const SUMMARY_COLUMNS = `id, conversation_id, in_reply_to, type, recipient, agreement_id, purpose, created_at,
  expires_at, record_digest, status, reason_code, reason_rule, reason_detail, submitted_by, sent_at,
  settled_at, redacted_at, masked_at`;

const SETTLED: readonly OutboundStatus[] = ['delivered', 'rejected', 'failed'];

/** Messages this node accepted for sending, and what became of them. */
const OUTBOUND_INSERT: InsertSpec = {
  table: 'outbound_messages',
  columns: [
    ['id'],
    ['conversation_id'],
    ['in_reply_to'],
    ['type'],
    ['recipient'],
    ['agreement_id'],
    ['purpose'],
    ['created_at'],
    ['expires_at'],
    ['payload', 'jsonb'],
    ['record_digest'],
    ['status'],
    ['reason_code'],
    ['reason_rule'],
    ['reason_detail'],
    ['submitted_by'],
    ['record_value'],
  ],
};

/**
 * A receipt settles a message: only the party it was sent to can settle it, and only once (a settled
 * message never moves again, whatever arrives later).
 */
const OUTBOUND_SETTLE: UpdateSpec = {
  table: 'outbound_messages',
  columns: [
    ['id', 'uuid'],
    ['recipient', 'text'],
    ['status', 'text'],
    ['reason_code', 'text'],
    ['reason_rule', 'text'],
    ['reason_detail', 'text'],
    ['settled_at', 'timestamptz'],
  ],
  set: `status = v.status, reason_code = v.reason_code, reason_rule = v.reason_rule,
        reason_detail = v.reason_detail, settled_at = v.settled_at, sent_at = coalesce(t.sent_at, v.settled_at)`,
  key: 2,
  where: `t.id = v.id and t.recipient = v.recipient and t.status not in (${SETTLED.map((s) => `'${s}'`).join(', ')})`,
};

export class OutboundMessagesRepository {
  constructor(private readonly db: Queryable) {}

  /** Deferred to the batch's multi-row insert inside a group commit (nothing reads it back before). */
  async insert(
    tx: Queryable,
    m: Omit<OutboundMessageRecord, 'sentAt' | 'settledAt'> & { readonly recordValue?: string | null },
  ): Promise<void> {
    await writeRow(tx, OUTBOUND_INSERT, [
      m.id,
      m.conversationId,
      m.inReplyTo,
      m.type,
      m.recipient,
      m.agreementId,
      m.purpose,
      m.createdAt,
      m.expiresAt,
      JSON.stringify(m.payload),
      m.recordDigest,
      m.status,
      m.reasonCode,
      m.reasonRule,
      m.reasonDetail,
      m.submittedBy,
      m.recordValue ?? null,
    ]);
  }

  /**
   * What this node signed and published under `id`, byte for byte, for evidence: the compact JWS, or
   * its detached form (`header..signature`) once retention removed the payload; null for rows written
   * before records were kept.
   */
  async findSignedRecord(
    id: string,
    q: Queryable = this.db,
  ): Promise<{ recordValue: string | null; recordDigest: string } | undefined> {
    const rows = await q.query('select record_value, record_digest from outbound_messages where id = $1', [
      id,
    ]);
    const r = rows[0];
    return r ? { recordValue: strOrNull(r.record_value), recordDigest: String(r.record_digest) } : undefined;
  }

  /** Many ids at once, keyed by id. */
  /** Messages sent and not yet settled by a receipt (a gauge). */
  async awaitingReceipt(): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      "select count(*)::text as n from outbound_messages where status in ('queued', 'sent')",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Many ids at once, keyed by id, without the payload and the signed record: what a receipt needs
   * to settle its message. Every delivered message is read this way once, and the two large columns
   * would be read, sent and parsed for nothing.
   */
  async findSummaries(ids: readonly string[]): Promise<Map<string, OutboundMessageSummary>> {
    const rows = await this.db.query(
      `select ${SUMMARY_COLUMNS} from outbound_messages where id = any($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map(toOutboundSummary).map((m) => [m.id, m]));
  }

  async findById(id: string, q: Queryable = this.db): Promise<OutboundMessageRecord | undefined> {
    const rows = await q.query('select * from outbound_messages where id = $1', [id]);
    return rows[0] ? toOutbound(rows[0]) : undefined;
  }

  /** What this node sent, newest first, filtered like the inbox (recipient instead of sender). */
  async list(filter: {
    type?: string;
    recipient?: string;
    conversationId?: string;
    limit: number;
  }): Promise<OutboundMessageRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.type) where.push(`type = $${params.push(filter.type)}`);
    if (filter.recipient) where.push(`recipient = $${params.push(filter.recipient)}`);
    if (filter.conversationId) where.push(`conversation_id = $${params.push(filter.conversationId)}`);
    const limit = params.push(filter.limit);
    const rows = await this.db.query(
      `select * from outbound_messages ${where.length ? `where ${where.join(' and ')}` : ''}
        order by created_at desc, id desc limit $${limit}`,
      params,
    );
    return rows.map(toOutbound);
  }

  async listByConversation(conversationId: string): Promise<OutboundMessageRecord[]> {
    const rows = await this.db.query(
      'select * from outbound_messages where conversation_id = $1 order by created_at, id',
      [conversationId],
    );
    return rows.map(toOutbound);
  }

  /**
   * Settles a message (see OUTBOUND_SETTLE); nothing happens if it is settled already or was sent to
   * another party. Deferred to the batch's one update statement inside a group commit.
   */
  async settle(
    tx: Queryable,
    s: {
      id: string;
      recipient: string;
      status: 'delivered' | 'rejected' | 'failed';
      reasonCode: string | null;
      rule: string | null;
      detail: string | null;
      at: Date;
    },
  ): Promise<void> {
    await writeRow(tx, OUTBOUND_SETTLE, [s.id, s.recipient, s.status, s.reasonCode, s.rule, s.detail, s.at]);
  }

  /**
   * Sent messages still waiting for a receipt whose re-send time has come, and not expired: the
   * re-send schedule moves on in the same statement, so two passes never pick the same message.
   */
  async claimForResend(
    tx: Queryable,
    now: Date,
    resendAfterMs: number,
    limit: number,
  ): Promise<OutboundMessageRecord[]> {
    const rows = await tx.query(
      `update outbound_messages set resend_count = resend_count + 1,
              next_resend_at = $1::timestamptz + ($2::double precision * power(2, least(resend_count, 6))) * interval '1 millisecond'
        where id in (select id from outbound_messages
                      where status = 'sent' and expires_at > $1
                        and coalesce(next_resend_at, sent_at + $2::double precision * interval '1 millisecond') <= $1
                      order by sent_at limit $3)
        returning *`,
      [now, resendAfterMs, limit],
    );
    return rows.map(toOutbound);
  }

  /** Messages that expired before any receipt settled them: failed, visibly, with EXPIRED. */
  async failExpired(tx: Queryable, now: Date): Promise<OutboundMessageRecord[]> {
    const rows = await tx.query(
      `update outbound_messages set status = 'failed', reason_code = 'EXPIRED', reason_rule = 'expiresAt',
              reason_detail = 'no receipt before the message expired', settled_at = $1
        where status in ('queued', 'sent') and expires_at <= $1 returning *`,
      [now],
    );
    return rows.map(toOutbound);
  }

  /** Which of these (received) message ids this node has answered. */
  async answered(inReplyTo: readonly string[]): Promise<Set<string>> {
    if (inReplyTo.length === 0) return new Set();
    const rows = await this.db.query<{ in_reply_to: string }>(
      'select distinct in_reply_to::text as in_reply_to from outbound_messages where in_reply_to = any($1::uuid[])',
      [inReplyTo],
    );
    return new Set(rows.map((r) => r.in_reply_to));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; n: string }>(
      'select status, count(*)::text as n from outbound_messages group by status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
