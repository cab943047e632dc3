import type { Queryable } from '../db/db';
import { date, dateOrNull, str, strOrNull } from './row-mapping';

export interface UnmaskRequest {
  readonly id: string;
  readonly messageId: string;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
  readonly approvedBy: string | null;
  readonly approvedAt: Date | null;
  readonly viewUntil: Date | null;
}

function toRequest(r: Record<string, unknown>): UnmaskRequest {
  return {
    id: str(r.id),
    messageId: str(r.message_id),
    requestedBy: str(r.requested_by),
    requestedAt: date(r.requested_at),
    expiresAt: date(r.expires_at),
    approvedBy: strOrNull(r.approved_by),
    approvedAt: dateOrNull(r.approved_at),
    viewUntil: dateOrNull(r.view_until),
  };
}

/** Four-eyes unmask requests: one DPO asks, another approves; the row records who and when. */
export class UnmaskRequestsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(
    tx: Queryable,
    r: Omit<UnmaskRequest, 'approvedBy' | 'approvedAt' | 'viewUntil'>,
  ): Promise<void> {
    await tx.query(
      `insert into unmask_requests (id, message_id, requested_by, requested_at, expires_at)
        values ($1, $2, $3, $4, $5)`,
      [r.id, r.messageId, r.requestedBy, r.requestedAt, r.expiresAt],
    );
  }

  async find(id: string, q: Queryable = this.db): Promise<UnmaskRequest | undefined> {
    const rows = await q.query('select * from unmask_requests where id = $1', [id]);
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /** Approves a pending request; false when another approval got there first. */
  async approve(tx: Queryable, id: string, by: string, at: Date, viewUntil: Date): Promise<boolean> {
    const rows = await tx.query(
      `update unmask_requests set approved_by = $2, approved_at = $3, view_until = $4
        where id = $1 and approved_by is null returning id`,
      [id, by, at, viewUntil],
    );
    return rows.length === 1;
  }
}
