import { type InsertSpec, writeRow } from '../db/deferred-rows';
import type { Queryable, Row } from '../db/db';
import type { ReceiptRecord } from './records';
import { date, str, strOrNull } from './row-mapping';

/** Receipts this node issued for what it received, and received for what it sent. */
const RECEIPT_UPSERT: InsertSpec = {
  table: 'receipts',
  columns: [
    ['direction'],
    ['counterpart'],
    ['message_id'],
    ['receipt_id'],
    ['outcome'],
    ['reason_code'],
    ['rule'],
    ['detail'],
    ['digest'],
    ['record_value'],
    ['created_at'],
  ],
  suffix: `on conflict (direction, counterpart, message_id) do update
    set receipt_id = excluded.receipt_id, outcome = excluded.outcome, reason_code = excluded.reason_code,
        rule = excluded.rule, detail = excluded.detail, digest = excluded.digest,
        record_value = excluded.record_value, created_at = excluded.created_at
    where receipts.outcome <> 'ACCEPTED'`,
};

export class ReceiptsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores a receipt. An ACCEPTED receipt is final: a later REJECTED one for the same message (say a
   * replay with other content) never overwrites it.
   */
  /**
   * Upserts (a rejection may be replaced, an acceptance never). Deferred to the batch's multi-row
   * statement inside a group commit; a batch holding two receipts for the same message fails as a
   * whole and is re-run unit by unit, where the second one upserts the first.
   */
  async save(tx: Queryable, r: ReceiptRecord): Promise<void> {
    await writeRow(tx, RECEIPT_UPSERT, [
      r.direction,
      r.counterpart,
      r.messageId,
      r.receiptId,
      r.outcome,
      r.reasonCode,
      r.rule,
      r.detail,
      r.digest,
      r.recordValue,
      r.createdAt,
    ]);
  }

  /** The receipts for many messages in one query, keyed `<counterpart>/<message id>`. */
  async findMany(
    direction: ReceiptRecord['direction'],
    messageIds: readonly string[],
  ): Promise<Map<string, ReceiptRecord>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db.query(
      'select * from receipts where direction = $1 and message_id = any($2::uuid[])',
      [direction, messageIds],
    );
    return new Map(rows.map((r) => [`${String(r.counterpart)}/${String(r.message_id)}`, toReceipt(r)]));
  }

  /**
   * Every receipt about `messageId`, issued and received, with the signed receipt record where it
   * was kept (evidence: what each side signed about the message), oldest first.
   */
  async listForMessage(messageId: string, q: Queryable = this.db): Promise<ReceiptRecord[]> {
    const rows = await q.query(
      'select * from receipts where message_id = $1 order by created_at, direction',
      [messageId],
    );
    return rows.map(toReceipt);
  }

  async find(
    direction: ReceiptRecord['direction'],
    counterpart: string,
    messageId: string,
    q: Queryable = this.db,
  ): Promise<ReceiptRecord | undefined> {
    const rows = await q.query(
      'select * from receipts where direction = $1 and counterpart = $2 and message_id = $3',
      [direction, counterpart, messageId],
    );
    const r = rows[0];
    return r ? toReceipt(r) : undefined;
  }
}

function toReceipt(r: Row): ReceiptRecord {
  return {
    direction: r.direction as ReceiptRecord['direction'],
    counterpart: str(r.counterpart),
    messageId: str(r.message_id),
    receiptId: str(r.receipt_id),
    outcome: r.outcome as ReceiptRecord['outcome'],
    reasonCode: strOrNull(r.reason_code),
    rule: strOrNull(r.rule),
    detail: strOrNull(r.detail),
    digest: str(r.digest),
    recordValue: strOrNull(r.record_value),
    createdAt: date(r.created_at),
  };
}
