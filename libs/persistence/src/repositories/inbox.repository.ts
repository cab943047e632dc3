import type { Queryable } from '../db/db';
import { type InsertSpec, writeRow } from '../db/deferred-rows';
import type { InboxMessageRecord, SignedInboxRecord } from './records';
import { date, dateOrNull, str, strOrNull, toInbox } from './row-mapping';

export interface InboxFilter {
  readonly type?: string;
  readonly sender?: string;
  readonly conversationId?: string;
  readonly limit: number;
  /** Keyset pagination: messages received strictly before this one (received-at, id). */
  readonly before?: { receivedAt: Date; id: string };
}

const INBOX_INSERT: InsertSpec = {
  table: 'inbox_messages',
  columns: [
    ['sender'],
    ['id'],
    ['conversation_id'],
    ['in_reply_to'],
    ['type'],
    ['agreement_id'],
    ['purpose'],
    ['created_at'],
    ['expires_at'],
    ['payload', 'jsonb'],
    ['record_digest'],
    ['received_at'],
    ['record_value'],
    ['source_record'],
  ],
};

/** The columns listings read: every one but the signed record, which only evidence reads (findSignedRecords). */
const COLUMNS = `sender, id, conversation_id, in_reply_to, type, agreement_id, purpose, created_at, expires_at,
  payload, record_digest, received_at, redacted_at, masked_at`;

/** Messages this node received and accepted, keyed by (sender, message id). */
export class InboxRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores an accepted message; deferred to the batch's multi-row insert inside a group commit. A
   * message is stored once per (sender, id): storing it again fails the transaction with a unique
   * violation, so a second copy that raced past the duplicate check never commits its effects.
   */
  async insert(tx: Queryable, m: InboxMessageRecord): Promise<void> {
    await writeRow(tx, INBOX_INSERT, [
      m.sender,
      m.id,
      m.conversationId,
      m.inReplyTo,
      m.type,
      m.agreementId,
      m.purpose,
      m.createdAt,
      m.expiresAt,
      JSON.stringify(m.payload),
      m.recordDigest,
      m.receivedAt,
      m.recordValue ?? null,
      m.sourceRecord ?? null,
    ]);
  }

  /**
   * The signed record(s) received under `messageId`, exactly as they came (one per sender: ids are
   * unique per sender only), for evidence: what the peer signed, not what this node decoded from it.
   */
  async findSignedRecords(messageId: string, q: Queryable = this.db): Promise<SignedInboxRecord[]> {
    const rows = await q.query(
      `select sender, id, record_value, record_digest, received_at, redacted_at
         from inbox_messages where id = $1 order by received_at`,
      [messageId],
    );
    return rows.map((r) => ({
      sender: str(r.sender),
      messageId: str(r.id),
      recordValue: strOrNull(r.record_value),
      recordDigest: str(r.record_digest),
      receivedAt: date(r.received_at),
      redactedAt: dateOrNull(r.redacted_at),
    }));
  }

  async find(sender: string, id: string, q: Queryable = this.db): Promise<InboxMessageRecord | undefined> {
    const rows = await q.query(`select ${COLUMNS} from inbox_messages where sender = $1 and id = $2`, [
      sender,
      id,
    ]);
    return rows[0] ? toInbox(rows[0]) : undefined;
  }

  /** Many (sender, id) at once, keyed `<sender>/<id>`. */
  async findMany(keys: readonly { sender: string; id: string }[]): Promise<Map<string, InboxMessageRecord>> {
    const rows = await this.db.query(
      `select ${COLUMNS}, source_record from inbox_messages where (sender, id) in (select * from unnest($1::text[], $2::uuid[]))`,
      [keys.map((k) => k.sender), keys.map((k) => k.id)],
    );
    return new Map(
      rows
        .map((r) => ({ ...toInbox(r), sourceRecord: strOrNull(r.source_record) }))
        .map((m) => [`${m.sender}/${m.id}`, m]),
    );
  }

  async findById(id: string): Promise<InboxMessageRecord | undefined> {
    const rows = await this.db.query(
      `select ${COLUMNS} from inbox_messages where id = $1 order by received_at limit 1`,
      [id],
    );
    return rows[0] ? toInbox(rows[0]) : undefined;
  }

  async list(filter: InboxFilter): Promise<InboxMessageRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: number) => string, ...values: unknown[]) => {
      where.push(clause(params.length + 1));
      params.push(...values);
    };
    if (filter.type) add((n) => `type = $${n}`, filter.type);
    if (filter.sender) add((n) => `sender = $${n}`, filter.sender);
    if (filter.conversationId) add((n) => `conversation_id = $${n}`, filter.conversationId);
    if (filter.before)
      add((n) => `(received_at, id) < ($${n}, $${n + 1}::uuid)`, filter.before.receivedAt, filter.before.id);
    params.push(filter.limit);
    const rows = await this.db.query(
      `select ${COLUMNS} from inbox_messages ${where.length ? `where ${where.join(' and ')}` : ''}
        order by received_at desc, id desc limit $${params.length}`,
      params,
    );
    return rows.map(toInbox);
  }

  async listByConversation(conversationId: string): Promise<InboxMessageRecord[]> {
    const rows = await this.db.query(
      `select ${COLUMNS} from inbox_messages where conversation_id = $1 order by created_at, id`,
      [conversationId],
    );
    return rows.map(toInbox);
  }

  /** Messages received in reply to `inReplyTo` (one of ours), oldest first. */
  async listReplies(inReplyTo: string): Promise<InboxMessageRecord[]> {
    const rows = await this.db.query(
      `select ${COLUMNS} from inbox_messages where in_reply_to = $1 order by created_at, id`,
      [inReplyTo],
    );
    return rows.map(toInbox);
  }

  /**
   * Messages of `type` this node received and has not answered with `replyType` yet (nor redacted),
   * oldest first: the work list of an automatic responder.
   */
  async listUnanswered(type: string, replyType: string, limit: number): Promise<InboxMessageRecord[]> {
    const rows = await this.db.query(
      `select ${COLUMNS.replace(/(\w+)/g, 'q.$1')} from inbox_messages q
        where q.type = $1 and q.redacted_at is null and q.masked_at is null
          and not exists (select 1 from outbound_messages a where a.in_reply_to = q.id and a.recipient = q.sender and a.type = $2)
        order by q.received_at limit $3`,
      [type, replyType, limit],
    );
    return rows.map(toInbox);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: string }>('select count(*)::text as n from inbox_messages');
    return Number(rows[0]?.n ?? 0);
  }
}
