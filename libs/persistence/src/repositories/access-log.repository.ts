import type { Queryable } from '../db/db';
import type { AuditKind } from './audit-log.repository';
import { date, json, str, strOrNull } from './row-mapping';

/** The audit chain's entries that record access to personal data. */
export const ACCESS_KINDS: readonly AuditKind[] = [
  'message.read',
  'message.unmask-requested',
  'message.unmask-approved',
  'message.unmasked-read',
];

export interface AccessLogFilter {
  readonly messageId?: string;
  readonly conversationId?: string;
  readonly clientId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Entries after this audit sequence number (the previous page's `next`). */
  readonly after?: number;
  readonly limit: number;
}

export interface AccessLogEntry {
  readonly seq: number;
  readonly at: Date;
  readonly kind: AuditKind;
  readonly messageId: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Who saw what: the read entries of the hash-chained audit log, filtered and paged by sequence number
 * (stable under appends, unlike an offset). Reading it changes nothing; the entries stay chained.
 */
export class AccessLogRepository {
  constructor(private readonly db: Queryable) {}

  async list(f: AccessLogFilter): Promise<AccessLogEntry[]> {
    const where = ['kind = any($1::text[])', 'seq > $2'];
    const params: unknown[] = [ACCESS_KINDS, f.after ?? 0];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.messageId) add('message_id = ?', f.messageId);
    if (f.conversationId) add("detail->>'conversation' = ?", f.conversationId);
    if (f.clientId) add("detail->>'client' = ?", f.clientId);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    params.push(f.limit);
    const rows = await this.db.query(
      `select seq::text as seq, at, kind, message_id, detail from audit_log
        where ${where.join(' and ')} order by audit_log.seq limit $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      seq: Number(str(r.seq)),
      at: date(r.at),
      kind: str(r.kind) as AuditKind,
      messageId: strOrNull(r.message_id),
      detail: json(r.detail),
    }));
  }
}
