import type { Row } from '../db/db';
import type {
  InboxMessageRecord,
  JsonRecord,
  MessageHeaderFields,
  OutboundMessageRecord,
  OutboundMessageSummary,
  OutboundStatus,
} from './records';

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(str(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
/** Database values arrive as string, number, bigint or Date; anything else is a schema bug. */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v.toString();
  if (v instanceof Date) return v.toISOString();
  throw new Error(`unexpected ${typeof v} in a text column`);
}
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
// pg returns jsonb parsed; be tolerant of a driver that hands back text.
const json = (v: unknown): JsonRecord =>
  typeof v === 'string' ? (JSON.parse(v) as JsonRecord) : (v as JsonRecord);

function headerFields(r: Row): MessageHeaderFields {
  return {
    id: str(r.id),
    conversationId: str(r.conversation_id),
    inReplyTo: strOrNull(r.in_reply_to),
    type: str(r.type),
    agreementId: str(r.agreement_id),
    purpose: str(r.purpose),
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
    payload: json(r.payload),
    recordDigest: str(r.record_digest),
    redactedAt: dateOrNull(r.redacted_at),
    maskedAt: dateOrNull(r.masked_at),
  };
}

export function toOutbound(r: Row): OutboundMessageRecord {
  return {
    ...headerFields(r),
    recipient: str(r.recipient),
    status: str(r.status) as OutboundStatus,
    reasonCode: strOrNull(r.reason_code),
    reasonRule: strOrNull(r.reason_rule),
    reasonDetail: strOrNull(r.reason_detail),
    submittedBy: str(r.submitted_by),
    sentAt: dateOrNull(r.sent_at),
    settledAt: dateOrNull(r.settled_at),
  };
}

/** A row read without its payload column. */
export function toOutboundSummary(r: Row): OutboundMessageSummary {
  const { payload: _payload, ...summary } = toOutbound({ ...r, payload: null });
  return summary;
}

export function toInbox(r: Row): InboxMessageRecord {
  return { ...headerFields(r), sender: str(r.sender), receivedAt: date(r.received_at) };
}

export { date, dateOrNull, str, strOrNull, json };
