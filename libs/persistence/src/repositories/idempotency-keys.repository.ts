import { type InsertSpec, writeRow } from '../db/deferred-rows';
import type { Queryable } from '../db/db';
import { date } from './row-mapping';

/** What a submission with an idempotency key was first answered with, and a digest of its body. */
export interface IdempotencyKeyRecord {
  readonly clientId: string;
  readonly key: string;
  readonly requestSha256: string;
  readonly messageId: string;
  readonly conversationId: string;
  readonly createdAt: Date;
}

const KEY_INSERT: InsertSpec = {
  table: 'idempotency_keys',
  columns: [['client_id'], ['key'], ['request_sha256'], ['message_id'], ['conversation_id'], ['created_at']],
};

/** PostgreSQL's unique_violation: the key was stored by a submission that committed first. */
export function isIdempotencyKeyConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  return (
    e?.code === '23505' &&
    (e.constraint === 'idempotency_keys_pkey' ||
      (typeof e.message === 'string' && e.message.includes('idempotency_keys_pkey')))
  );
}

/**
 * Idempotency keys of submissions, per API client. A key is written in the transaction that stores
 * its message, so a stored key always names a stored message and a stored message's key is never lost.
 */
export class IdempotencyKeysRepository {
  constructor(private readonly db: Queryable) {}

  /** Deferred to the batch's multi-row insert inside a group commit; a second use of a key fails it. */
  async insert(tx: Queryable, r: IdempotencyKeyRecord): Promise<void> {
    await writeRow(tx, KEY_INSERT, [
      r.clientId,
      r.key,
      r.requestSha256,
      r.messageId,
      r.conversationId,
      r.createdAt,
    ]);
  }

  /** The key's record, if this client used it and housekeeping has not forgotten it yet. */
  async find(clientId: string, key: string): Promise<IdempotencyKeyRecord | undefined> {
    const rows = await this.db.query(
      `select client_id, key, request_sha256, message_id::text as message_id,
              conversation_id::text as conversation_id, created_at
         from idempotency_keys where client_id = $1 and key = $2`,
      [clientId, key],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      clientId: String(r.client_id),
      key: String(r.key),
      requestSha256: String(r.request_sha256),
      messageId: String(r.message_id),
      conversationId: String(r.conversation_id),
      createdAt: date(r.created_at),
    };
  }

  /** Forgets keys stored before `cutoff`, at most `limit` per call (housekeeping runs it in slices). */
  async deleteOlderThan(cutoff: Date, limit = 10_000): Promise<number> {
    const rows = await this.db.query(
      `delete from idempotency_keys where (client_id, key) in (
         select client_id, key from idempotency_keys where created_at < $1 limit $2) returning key`,
      [cutoff, limit],
    );
    return rows.length;
  }
}
