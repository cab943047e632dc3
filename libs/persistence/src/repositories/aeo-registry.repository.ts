import type { Queryable } from '../db/db';
import { toInbox } from './row-mapping';
import type { InboxMessageRecord } from './records';

/** One operator as an AEO sync carries it (proto3 JSON, validated on receipt). */
export interface AeoOperatorData {
  readonly operatorId: string;
  readonly name: string;
  readonly address: Readonly<Record<string, unknown>>;
  readonly country: string;
  readonly status: string;
  readonly statusDate: string;
  readonly validationDate: string;
}

export interface AeoSyncToApply {
  readonly provider: string;
  readonly messageId: string;
  readonly programme: string;
  readonly full: boolean;
  readonly sequence: number;
  readonly operators: readonly AeoOperatorData[];
  readonly withdrawn: readonly string[];
  readonly at: Date;
}

export interface AeoOperatorRecord extends AeoOperatorData {
  readonly provider: string;
  readonly programme: string;
  readonly syncSequence: number;
  readonly messageId: string;
  readonly updatedAt: Date;
}

export interface AeoHistoryEntry {
  readonly provider: string;
  readonly programme: string;
  readonly status: string;
  readonly statusDate: string | null;
  readonly validationDate: string | null;
  readonly syncSequence: number;
  readonly messageId: string;
  readonly receivedAt: Date;
}

/** Dates as text: a `date` read as a JavaScript Date would shift with the process's time zone. */
const OPERATOR_COLUMNS = `provider, programme, operator_id, name, address, country, status,
  status_date::text as status_date, validation_date::text as validation_date, sync_sequence, message_id, updated_at`;

/** History status of an operator a partner stopped sharing (consent withdrawn, or left the programme). */
export const AEO_WITHDRAWN = 'WITHDRAWN';

/**
 * The partner programmes' operators as received (latest status per operator, with its history), and
 * on the sending side what this node last shared with each partner, so the next sync sends changes only.
 */
export class AeoRegistryRepository {
  constructor(private readonly db: Queryable) {}

  /** Accepted syncs of `type` not yet applied to the registry, oldest first. */
  async pendingSyncs(type: string, limit: number): Promise<InboxMessageRecord[]> {
    const rows = await this.db.query(
      `select q.* from inbox_messages q
        where q.type = $1 and q.redacted_at is null
          and not exists (select 1 from aeo_applied_syncs a where a.message_id = q.id)
        order by q.created_at, q.received_at limit $2`,
      [type, limit],
    );
    return rows.map(toInbox);
  }

  /** Whether the sync message `messageId` was applied already (by any replica of the node). */
  async isApplied(tx: Queryable, messageId: string): Promise<boolean> {
    const rows = await tx.query('select 1 from aeo_applied_syncs where message_id = $1', [messageId]);
    return rows.length > 0;
  }

  /**
   * Applies one sync in the caller's transaction and returns how many operators changed. A sync older
   * than what an operator's row already reflects (a lower sequence, e.g. delivered late) changes
   * nothing for that operator. A full sync drops the programme's operators it no longer lists.
   */
  async applySync(tx: Queryable, s: AeoSyncToApply): Promise<number> {
    const current = new Map(
      (
        await tx.query<{
          operator_id: string;
          status: string;
          status_date: string;
          validation_date: string;
          sync_sequence: string;
        }>(
          `select operator_id, status, status_date::text as status_date, validation_date::text as validation_date,
                  sync_sequence::text as sync_sequence
             from aeo_operators where provider = $1 and programme = $2`,
          [s.provider, s.programme],
        )
      ).map((r) => [r.operator_id, r]),
    );
    const newer = (id: string) => {
      const row = current.get(id);
      return !row || Number(row.sync_sequence) <= s.sequence;
    };
    const listed = new Set(s.operators.map((o) => o.operatorId));
    const upserts = s.operators.filter((o) => newer(o.operatorId));
    const changed = upserts.filter((o) => {
      const row = current.get(o.operatorId);
      return (
        !row ||
        row.status !== o.status ||
        row.status_date !== o.statusDate ||
        row.validation_date !== o.validationDate
      );
    });
    const withdrawn = [
      ...s.withdrawn.filter((id) => current.has(id) && newer(id)),
      ...(s.full ? [...current.keys()].filter((id) => !listed.has(id) && newer(id)) : []),
    ];
    if (upserts.length > 0)
      await tx.query(
        `insert into aeo_operators (provider, programme, operator_id, name, address, country, status, status_date,
                                    validation_date, sync_sequence, message_id, updated_at)
         select $1, $2, x.operator_id, x.name, x.address, x.country, x.status, x.status_date::date,
                x.validation_date::date, $3, $4, $5
           from json_to_recordset($6::json) as x(operator_id text, name text, address jsonb, country text,
                                                 status text, status_date text, validation_date text)
         on conflict (provider, programme, operator_id) do update
           set name = excluded.name, address = excluded.address, country = excluded.country,
               status = excluded.status, status_date = excluded.status_date,
               validation_date = excluded.validation_date, sync_sequence = excluded.sync_sequence,
               message_id = excluded.message_id, updated_at = excluded.updated_at`,
        [s.provider, s.programme, s.sequence, s.messageId, s.at, JSON.stringify(upserts.map(row))],
      );
    if (withdrawn.length > 0)
      await tx.query(
        'delete from aeo_operators where provider = $1 and programme = $2 and operator_id = any($3::text[])',
        [s.provider, s.programme, withdrawn],
      );
    const history = [
      ...changed.map((o) => ({ ...row(o) })),
      ...withdrawn.map((id) => ({
        operator_id: id,
        status: AEO_WITHDRAWN,
        status_date: null,
        validation_date: null,
      })),
    ];
    if (history.length > 0)
      await tx.query(
        `insert into aeo_operator_history (provider, programme, operator_id, status, status_date, validation_date,
                                           sync_sequence, message_id, received_at)
         select $1, $2, x.operator_id, x.status, x.status_date::date, x.validation_date::date, $3, $4, $5
           from json_to_recordset($6::json) as x(operator_id text, status text, status_date text, validation_date text)`,
        [s.provider, s.programme, s.sequence, s.messageId, s.at, JSON.stringify(history)],
      );
    await tx.query(
      'insert into aeo_applied_syncs (message_id, provider, operators_changed, applied_at) values ($1, $2, $3, $4)',
      [s.messageId, s.provider, history.length, s.at],
    );
    return history.length;
  }

  /** The registry, by provider and operator id, `limit` rows after the cursor (provider/programme/operator). */
  async list(filter: {
    provider?: string;
    status?: string;
    after?: readonly [string, string, string];
    limit: number;
  }): Promise<AeoOperatorRecord[]> {
    const after = filter.after ?? ['', '', ''];
    const rows = await this.db.query(
      `select ${OPERATOR_COLUMNS} from aeo_operators
        where ($1::text is null or provider = $1) and ($2::text is null or status = $2)
          and (provider, programme, operator_id) > ($3, $4, $5)
        order by provider, programme, operator_id limit $6`,
      [filter.provider ?? null, filter.status ?? null, after[0], after[1], after[2], filter.limit],
    );
    return rows.map(toOperator);
  }

  /** An operator in every partner programme that lists it, with the history of each. */
  async find(operatorId: string): Promise<{ current: AeoOperatorRecord[]; history: AeoHistoryEntry[] }> {
    const current = (
      await this.db.query(
        `select ${OPERATOR_COLUMNS} from aeo_operators where operator_id = $1 order by provider`,
        [operatorId],
      )
    ).map(toOperator);
    const history = (
      await this.db.query(
        `select provider, programme, status, status_date::text as status_date, validation_date::text as validation_date,
                sync_sequence, message_id, received_at
           from aeo_operator_history where operator_id = $1 order by id`,
        [operatorId],
      )
    ).map((r) => ({
      provider: String(r.provider),
      programme: String(r.programme),
      status: String(r.status),
      statusDate: typeof r.status_date === 'string' ? r.status_date : null,
      validationDate: typeof r.validation_date === 'string' ? r.validation_date : null,
      syncSequence: Number(r.sync_sequence),
      messageId: String(r.message_id),
      receivedAt: new Date(String(r.received_at)),
    }));
    return { current, history };
  }

  /** What this node last shared with `recipient` of `programme`: digest per operator, and the last sequence. */
  async shared(
    recipient: string,
    programme: string,
  ): Promise<{ digests: Map<string, string>; sequence: number | undefined }> {
    const rows = await this.db.query<{ operator_id: string; digest: string }>(
      'select operator_id, digest from aeo_shared where recipient = $1 and programme = $2',
      [recipient, programme],
    );
    const [state] = await this.db.query<{ sequence: string }>(
      'select sequence::text as sequence from aeo_sync_state where recipient = $1 and programme = $2',
      [recipient, programme],
    );
    return {
      digests: new Map(rows.map((r) => [r.operator_id, r.digest])),
      sequence: state ? Number(state.sequence) : undefined,
    };
  }

  /** Records a sync accepted for sending: its sequence, and the operators it shared or withdrew. */
  async recordShared(
    tx: Queryable,
    s: {
      recipient: string;
      programme: string;
      sequence: number;
      messageId: string;
      at: Date;
      full: boolean;
      shared: readonly { operatorId: string; digest: string }[];
      withdrawn: readonly string[];
    },
  ): Promise<void> {
    if (s.full)
      await tx.query('delete from aeo_shared where recipient = $1 and programme = $2', [
        s.recipient,
        s.programme,
      ]);
    else if (s.withdrawn.length > 0)
      await tx.query(
        'delete from aeo_shared where recipient = $1 and programme = $2 and operator_id = any($3::text[])',
        [s.recipient, s.programme, s.withdrawn],
      );
    if (s.shared.length > 0)
      await tx.query(
        `insert into aeo_shared (recipient, programme, operator_id, digest)
         select $1, $2, x.operator_id, x.digest from json_to_recordset($3::json) as x(operator_id text, digest text)
         on conflict (recipient, programme, operator_id) do update set digest = excluded.digest`,
        [
          s.recipient,
          s.programme,
          JSON.stringify(s.shared.map((o) => ({ operator_id: o.operatorId, digest: o.digest }))),
        ],
      );
    await tx.query(
      `insert into aeo_sync_state (recipient, programme, sequence, last_message_id, last_sync_at) values ($1, $2, $3, $4, $5)
       on conflict (recipient, programme) do update
         set sequence = excluded.sequence, last_message_id = excluded.last_message_id, last_sync_at = excluded.last_sync_at`,
      [s.recipient, s.programme, s.sequence, s.messageId, s.at],
    );
  }
}

function row(o: AeoOperatorData) {
  return {
    operator_id: o.operatorId,
    name: o.name,
    address: o.address,
    country: o.country,
    status: o.status,
    status_date: o.statusDate,
    validation_date: o.validationDate,
  };
}

function toOperator(r: Record<string, unknown>): AeoOperatorRecord {
  return {
    provider: String(r.provider),
    programme: String(r.programme),
    operatorId: String(r.operator_id),
    name: String(r.name),
    address: (r.address ?? {}) as Record<string, unknown>,
    country: String(r.country),
    status: String(r.status),
    statusDate: String(r.status_date),
    validationDate: String(r.validation_date),
    syncSequence: Number(r.sync_sequence),
    messageId: String(r.message_id),
    updatedAt: new Date(String(r.updated_at)),
  };
}
