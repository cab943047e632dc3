import { MessageType } from '@app/contracts';
import type { Queryable, Row } from '../db/db';
import { date, dateOrNull, json, str, strOrNull } from './row-mapping';

export type ConsentStatus = 'pending' | 'granted' | 'refused';

/** One request for the provider's consent to a further use of a message, with its decision once made. */
export interface ConsentEntry {
  readonly requestId: string;
  /** `requested`: this node asked (it received the message); `received`: this node is the provider. */
  readonly side: 'requested' | 'received';
  readonly concernsMessageId: string;
  readonly provider: string;
  readonly requester: string;
  readonly intendedRecipient: string | null;
  readonly intendedUse: string | null;
  readonly purpose: string;
  readonly agreementId: string;
  readonly requestedAt: Date;
  readonly status: ConsentStatus;
  readonly decisionId: string | null;
  readonly decidedAt: Date | null;
  readonly conditions: readonly string[];
  readonly reason: string | null;
}

export interface ConsentFilter {
  readonly side?: 'requested' | 'received';
  readonly status?: ConsentStatus;
  readonly concernsMessageId?: string;
  readonly limit: number;
}

const REQUEST = MessageType.ConsentRequest;
const DECISION = MessageType.ConsentDecision;

/*
 * The ledger is the signed messages themselves — each ConsentRequest and the ConsentDecision that
 * answers it, as this node sent or received them — read side by side. Nothing to keep in step: a
 * decision is in the ledger exactly when its message is stored, on the provider's node when it is
 * sent, on the requester's when it is received and accepted.
 */
const REQUESTED = `
  select r.id as request_id, 'requested' as side, r.recipient as provider, $1::text as requester,
         r.payload as request, r.agreement_id, r.created_at as requested_at,
         d.id as decision_id, d.payload as decision, d.created_at as decided_at
    from outbound_messages r
    left join lateral (
      select id, payload, created_at from inbox_messages d
       where d.in_reply_to = r.id and d.sender = r.recipient and d.type = '${DECISION}'
       order by d.created_at limit 1) d on true
   where r.type = '${REQUEST}' and r.status not in ('rejected', 'failed')`;
const RECEIVED = `
  select q.id as request_id, 'received' as side, $1::text as provider, q.sender as requester,
         q.payload as request, q.agreement_id, q.created_at as requested_at,
         d.id as decision_id, d.payload as decision, d.created_at as decided_at
    from inbox_messages q
    left join lateral (
      select id, payload, created_at from outbound_messages d
       where d.in_reply_to = q.id and d.recipient = q.sender and d.type = '${DECISION}'
         and d.status not in ('rejected', 'failed')
       order by d.created_at limit 1) d on true
   where q.type = '${REQUEST}'`;

/** The consent ledger of this node (`me`), both sides: what it asked of providers, and what was asked of it. */
export class ConsentLedgerRepository {
  constructor(private readonly db: Queryable) {}

  async list(me: string, filter: ConsentFilter): Promise<ConsentEntry[]> {
    const parts =
      filter.side === 'requested'
        ? [REQUESTED]
        : filter.side === 'received'
          ? [RECEIVED]
          : [REQUESTED, RECEIVED];
    const rows = await this.db.query(
      `select * from (${parts.join(' union all ')}) e
        where ($2::text is null or e.request->>'concernsMessageId' = $2)
        order by e.requested_at desc, e.request_id limit $3`,
      [me, filter.concernsMessageId ?? null, filter.status ? 1000 : filter.limit],
    );
    const entries = rows.map(toEntry);
    return filter.status ? entries.filter((e) => e.status === filter.status).slice(0, filter.limit) : entries;
  }

  async find(me: string, requestId: string): Promise<ConsentEntry | undefined> {
    const rows = await this.db.query(
      `select * from (${REQUESTED} union all ${RECEIVED}) e where e.request_id = $2 limit 1`,
      [me, requestId],
    );
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /** What this node asked about `messageId` for `recipientOrUse`, newest decision first. */
  async requestedFor(me: string, messageId: string, recipientOrUse: string): Promise<ConsentEntry[]> {
    return (await this.requestedForEach(me, [messageId], recipientOrUse)).get(messageId) ?? [];
  }

  /**
   * `requestedFor` for each of `messageIds` in one query (a list read asks about every message it
   * shows): message id → what this node asked about it, newest decision first; none, no key.
   */
  async requestedForEach(
    me: string,
    messageIds: readonly string[],
    recipientOrUse: string,
  ): Promise<Map<string, ConsentEntry[]>> {
    const byMessage = new Map<string, ConsentEntry[]>();
    if (messageIds.length === 0) return byMessage;
    const rows = await this.db.query(
      `select * from (${REQUESTED}) e
        where e.request->>'concernsMessageId' = any($2::text[])
          and (e.request->>'intendedRecipient' = $3 or e.request->>'intendedUse' = $3)
        order by e.decided_at desc nulls last, e.requested_at desc`,
      [me, [...new Set(messageIds)], recipientOrUse],
    );
    for (const entry of rows.map(toEntry)) {
      const entries = byMessage.get(entry.concernsMessageId) ?? [];
      entries.push(entry);
      byMessage.set(entry.concernsMessageId, entries);
    }
    return byMessage;
  }
}

function toEntry(r: Row): ConsentEntry {
  const request = json(r.request);
  const decision = r.decision === null || r.decision === undefined ? null : json(r.decision);
  const outcome = decision?.outcome;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    requestId: str(r.request_id),
    side: str(r.side) as ConsentEntry['side'],
    concernsMessageId: text(request.concernsMessageId) ?? '',
    provider: str(r.provider),
    requester: str(r.requester),
    intendedRecipient: text(request.intendedRecipient),
    intendedUse: text(request.intendedUse),
    purpose: text(request.purpose) ?? '',
    agreementId: str(r.agreement_id),
    requestedAt: date(r.requested_at),
    status:
      outcome === 'CONSENT_OUTCOME_GRANTED'
        ? 'granted'
        : outcome === 'CONSENT_OUTCOME_REFUSED'
          ? 'refused'
          : 'pending',
    decisionId: strOrNull(r.decision_id),
    decidedAt: dateOrNull(r.decided_at),
    conditions: Array.isArray(decision?.conditions)
      ? decision.conditions.filter((c): c is string => typeof c === 'string')
      : [],
    reason: text(decision?.reason),
  };
}
