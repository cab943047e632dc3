/** What a back-office system is told about: a message's arrival, its settlement, its deadline. */
export const NODE_EVENT_TYPES = [
  'message.received',
  'reply.received',
  'message.delivered',
  'message.rejected',
  'message.failed',
  'message.overdue',
] as const;
export type NodeEventType = (typeof NODE_EVENT_TYPES)[number];

export function isNodeEventType(value: string): value is NodeEventType {
  return (NODE_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * An event's content: ids, types, parties, agreement and status — metadata only, never a payload
 * value or anything else that could carry personal data.
 */
export interface NodeEventData {
  readonly messageId: string;
  readonly conversationId: string;
  readonly inReplyTo: string | null;
  readonly messageType: string;
  readonly direction: 'inbound' | 'outbound';
  readonly counterpart: string;
  readonly agreement: string;
  readonly status: string;
  /** A rejection's or failure's stable reason code. */
  readonly reasonCode: string | null;
}
