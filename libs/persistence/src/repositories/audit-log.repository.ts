import { type AuditDetail, auditHash } from '@app/contracts';
import type { Queryable, Row } from '../db/db';
import type { Statement } from '../db/deferred-rows';
import { strOrNull } from './row-mapping';

export type AuditKind =
  | 'message.submitted'
  | 'message.refused'
  | 'message.received'
  | 'record.rejected'
  | 'record.dead-lettered'
  | 'receipt.issued'
  | 'receipt.received'
  | 'message.failed'
  | 'message.redacted'
  /** A received message's provider corrected or withdrew it, and this node applied the change. */
  | 'message.corrected'
  | 'message.withdrawn'
  /** Names, dates of birth and document numbers replaced by keyed digests (counts per agreement). */
  | 'message.masked'
  /** A client read a message holding personal data: client, declared purpose, whether fields were withheld. */
  | 'message.read'
  /** Four eyes: a DPO asked to unmask a masked message, another approved, the requester read it. */
  | 'message.unmask-requested'
  | 'message.unmask-approved'
  | 'message.unmasked-read'
  /** The database was replaced by a backup's rows; the entry names the backup and its head. */
  | 'node.restored'
  /** A key announcement from the trust topic applied to the trust store, or refused (the reason in detail). */
  | 'key.announcement.applied'
  | 'key.announcement.refused'
  /** A conversation exported as an evidence bundle: by which client, of which conversation. */
  | 'evidence.exported';

export type { AuditDetail };

export interface AuditEntry {
  readonly seq: number;
  readonly at: Date;
  readonly kind: AuditKind;
  readonly messageId: string | null;
  readonly counterpart: string | null;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly firstBadSeq: number;
      readonly problem: 'altered' | 'removed' | 'head-mismatch';
      readonly detail: string;
    };

/** An entry before it is chained: the head assigns its sequence number and previous hash. */
export type PendingAuditEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/**
 * A transaction that collects audit entries and chains them together when it commits (GroupCommitter),
 * instead of taking the audit head lock for each.
 */
export interface AuditBuffer extends Queryable {
  deferAudit(entry: PendingAuditEntry): void;
}

function isAuditBuffer(tx: Queryable): tx is AuditBuffer {
  return typeof (tx as Partial<AuditBuffer>).deferAudit === 'function';
}

export { auditHash };

/**
 * An append-only, hash-chained record of every message sent or received, every decision and every
 * receipt. Altering or deleting a row breaks the chain at that row, which `verify` names.
 */
export class AuditLogRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends inside the caller's transaction, so the entry exists exactly when the state change does. */
  async append(
    tx: Queryable,
    at: Date,
    kind: AuditKind,
    messageId: string | null,
    counterpart: string | null,
    detail: AuditDetail,
  ): Promise<void> {
    const entry = { at, kind, messageId, counterpart, detail };
    if (isAuditBuffer(tx)) tx.deferAudit(entry);
    else await this.appendMany(tx, [entry]);
  }

  /**
   * Chains `entries` after the head, in order, with one head lock, one insert and one head update —
   * the lock serialises appenders, so a group commit appends all of its units' entries at once.
   */
  async appendMany(tx: Queryable, entries: readonly PendingAuditEntry[]): Promise<void> {
    for (const { sql, params } of await this.chain(tx, entries)) await tx.query(sql, params);
  }

  /**
   * Locks the head (the caller's transaction holds the lock until it ends) and returns the two
   * statements that append `entries` after it — the insert and the head update — for the caller to
   * run, alone or with its other writes.
   */
  async chain(tx: Queryable, entries: readonly PendingAuditEntry[]): Promise<Statement[]> {
    if (entries.length === 0) return [];
    const [head] = await tx.query<{ seq: string; hash: string }>(
      'select seq::text as seq, hash from audit_head where id = 1 for update',
    );
    if (!head) throw new Error('audit_head is missing: the audit log was tampered with or never migrated');
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const e of entries) {
      seq += 1;
      const hash = auditHash({ seq, ...e, prevHash });
      const p = params.length;
      rows.push(
        `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb, $${p + 7}, $${p + 8})`,
      );
      params.push(seq, e.at, e.kind, e.messageId, e.counterpart, JSON.stringify(e.detail), prevHash, hash);
      prevHash = hash;
    }
    return [
      {
        sql: `insert into audit_log (seq, at, kind, message_id, counterpart, detail, prev_hash, hash) values ${rows.join(', ')}`,
        params,
      },
      { sql: 'update audit_head set seq = $1, hash = $2 where id = 1', params: [seq, prevHash] },
    ];
  }

  /** The chain's head as recorded: the last entry's number and hash (0 and `genesis` when empty). */
  async head(q: Queryable = this.db): Promise<{ seq: number; hash: string }> {
    const [head] = await q.query<{ seq: string; hash: string }>(
      'select seq::text as seq, hash from audit_head where id = 1',
    );
    return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? 'genesis' };
  }

  /** The stored hash of each entry asked for, by number (absent entries are left out). */
  async hashesAt(seqs: readonly number[], q: Queryable = this.db): Promise<Map<number, string>> {
    if (seqs.length === 0) return new Map();
    const rows = await q.query<{ seq: string; hash: string }>(
      'select seq::text as seq, hash from audit_log where seq = any($1::bigint[])',
      [seqs],
    );
    return new Map(rows.map((r) => [Number(r.seq), r.hash]));
  }

  // `order by audit_log.seq`, not `seq`: the select renames seq to its text form, and ordering by
  // that would put entry 10 before entry 2.

  /** The entry numbers that record any of these messages (sent, received, receipts, refusals), in order. */
  async seqsAbout(
    messageIds: readonly string[],
    q: Queryable = this.db,
  ): Promise<{ seq: number; kind: AuditKind; messageId: string; receipt: string | null }[]> {
    if (messageIds.length === 0) return [];
    const rows = await q.query(
      `select seq::text as seq, kind, message_id, detail->>'receipt' as receipt
         from audit_log where message_id = any($1::text[]) order by audit_log.seq`,
      [messageIds],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      kind: String(r.kind) as AuditKind,
      messageId: String(r.message_id),
      receipt: strOrNull(r.receipt),
    }));
  }

  /** Entries `from`..`to` inclusive, in order (an evidence bundle's chain segment). */
  async range(from: number, to: number, q: Queryable = this.db): Promise<AuditEntry[]> {
    const rows = await q.query(
      `select seq::text as seq, at, kind, message_id, counterpart, detail, prev_hash, hash from audit_log
        where audit_log.seq between $1 and $2 order by audit_log.seq`,
      [from, to],
    );
    return rows.map(toAuditEntry);
  }

  /** Walks the chain in pages, recomputing every hash; names the first entry that was altered or removed. */
  async verify(pageSize = 5000): Promise<AuditVerdict> {
    let expectedSeq = 1;
    let prevHash = 'genesis';
    for (;;) {
      const rows = await this.db.query(
        `select seq::text as seq, at, kind, message_id, counterpart, detail, prev_hash, hash from audit_log
          where audit_log.seq >= $1 order by audit_log.seq limit $2`,
        [expectedSeq, pageSize],
      );
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== expectedSeq)
          return {
            ok: false,
            entries: expectedSeq - 1,
            firstBadSeq: expectedSeq,
            problem: 'removed',
            detail: `entry ${expectedSeq} is missing (next present is ${seq})`,
          };
        const { hash: _stored, ...entry } = toAuditEntry(r);
        if (entry.prevHash !== prevHash || auditHash(entry) !== r.hash) {
          return {
            ok: false,
            entries: seq - 1,
            firstBadSeq: seq,
            problem: 'altered',
            detail: `entry ${seq} does not match its hash or its predecessor`,
          };
        }
        prevHash = String(r.hash);
        expectedSeq += 1;
      }
      if (rows.length < pageSize) break;
    }
    const [head] = await this.db.query<{ seq: string; hash: string }>(
      'select seq::text as seq, hash from audit_head where id = 1',
    );
    if (!head || Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
      return {
        ok: false,
        entries: expectedSeq - 1,
        firstBadSeq: expectedSeq,
        problem: 'head-mismatch',
        detail: `the chain ends at ${expectedSeq - 1} but the head records ${head?.seq ?? 'nothing'}: entries were removed from the end`,
      };
    }
    return { ok: true, entries: expectedSeq - 1, head: prevHash };
  }
}

function toAuditEntry(r: Row): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at instanceof Date ? r.at : new Date(String(r.at)),
    kind: String(r.kind) as AuditKind,
    messageId: strOrNull(r.message_id),
    counterpart: strOrNull(r.counterpart),
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as AuditDetail,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}
