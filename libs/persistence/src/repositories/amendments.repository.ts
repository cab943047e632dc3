import { MessageType } from '@app/contracts';
import type { Queryable } from '../db/db';
import type { JsonRecord } from './records';
import { date, dateOrNull, json, str, strOrNull } from './row-mapping';

export type AmendmentKind = 'corrected' | 'withdrawn';

/** What a received message carries once its provider amended it. */
export interface AmendmentMarker {
  readonly amendment: AmendmentKind;
  readonly amendedAt: Date;
  /** The Correction or Withdrawal applied (the latest, after several corrections). */
  readonly amendmentId: string;
  /** Superseded versions kept, where the agreement keeps them (keepSuperseded). */
  readonly supersededVersions: number;
}

/** A Correction or Withdrawal this node sent, and the recipient's signed confirmation once it came. */
export interface SentAmendment {
  readonly noticeId: string;
  readonly kind: 'correction' | 'withdrawal';
  readonly concernsMessageId: string;
  readonly recipient: string;
  readonly sentAt: Date;
  readonly status: string;
  readonly confirmationId: string | null;
  readonly confirmedAt: Date | null;
  readonly supersededVersionKept: boolean;
}

const NOTICE_TYPES = `('${MessageType.Correction}', '${MessageType.Withdrawal}')`;

/**
 * Corrections and withdrawals: applied to received messages (the payload replaced or removed, the signed
 * record dropped, a marker kept) and, on the provider's side, read back with their confirmations.
 */
export class AmendmentsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Applies one amendment to the received message `(sender, messageId)`; applying the same amendment
   * again changes nothing (the applier may be interrupted between applying and confirming). Returns
   * whether a superseded version was kept.
   */
  async apply(
    tx: Queryable,
    a: {
      readonly sender: string;
      readonly messageId: string;
      readonly amendmentId: string;
      readonly kind: AmendmentKind;
      /** The corrected payload; none for a withdrawal. */
      readonly replacement: JsonRecord | null;
      readonly keepSuperseded: boolean;
      readonly now: Date;
    },
  ): Promise<boolean> {
    const keep = a.kind === 'corrected' && a.keepSuperseded;
    if (keep)
      await tx.query(
        `insert into superseded_versions (sender, message_id, amendment_id, payload, record_value, superseded_at)
         select sender, id, $3, payload, record_value, $4 from inbox_messages
          where sender = $1 and id = $2 and amendment_id is distinct from $3
         on conflict do nothing`,
        [a.sender, a.messageId, a.amendmentId, a.now],
      );
    // The signed record holds the old payload (sealed, but this node can open it): in both cases it is
    // reduced to its detached form (header..signature), as retention does — the signature and the
    // record's digest still say which record it was. The Correction's own record evidences the new version.
    await tx.query(
      `update inbox_messages
          set payload = $3::jsonb, amended_at = $4, amendment = $5, amendment_id = $6,
              record_value = case when record_value is null then null
                else split_part(record_value, '.', 1) || '..' || split_part(record_value, '.', 3) end
        where sender = $1 and id = $2 and amendment_id is distinct from $6`,
      [a.sender, a.messageId, JSON.stringify(a.replacement ?? {}), a.now, a.kind, a.amendmentId],
    );
    return keep;
  }

  async marker(
    sender: string,
    messageId: string,
    q: Queryable = this.db,
  ): Promise<AmendmentMarker | undefined> {
    const rows = await q.query(
      `select m.amendment, m.amended_at, m.amendment_id,
              (select count(*)::int from superseded_versions s where s.sender = m.sender and s.message_id = m.id) as kept
         from inbox_messages m where m.sender = $1 and m.id = $2 and m.amendment is not null`,
      [sender, messageId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      amendment: str(r.amendment) as AmendmentKind,
      amendedAt: date(r.amended_at),
      amendmentId: str(r.amendment_id),
      supersededVersions: Number(r.kept),
    };
  }

  /** The corrections and withdrawals this node sent about its message `messageId`, oldest first. */
  async sentFor(messageId: string): Promise<SentAmendment[]> {
    const rows = await this.db.query(
      `select n.id, n.type, n.recipient, n.created_at, n.status, n.payload,
              c.id as confirmation_id, c.created_at as confirmed_at, c.payload as confirmation
         from outbound_messages n
         left join lateral (
           select id, created_at, payload from inbox_messages c
            where c.in_reply_to = n.id and c.sender = n.recipient and c.type = '${MessageType.AmendmentConfirmation}'
            order by c.created_at limit 1) c on true
        where n.type in ${NOTICE_TYPES} and n.payload->>'concernsMessageId' = $1
        order by n.created_at, n.id`,
      [messageId],
    );
    return rows.map((r) => ({
      noticeId: str(r.id),
      kind: str(r.type) === MessageType.Withdrawal ? 'withdrawal' : 'correction',
      concernsMessageId: messageId,
      recipient: str(r.recipient),
      sentAt: date(r.created_at),
      status: str(r.status),
      confirmationId: strOrNull(r.confirmation_id),
      confirmedAt: dateOrNull(r.confirmed_at),
      supersededVersionKept:
        r.confirmation !== null &&
        r.confirmation !== undefined &&
        json(r.confirmation).supersededVersionKept === true,
    }));
  }
}
