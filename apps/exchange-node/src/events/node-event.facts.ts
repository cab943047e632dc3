import { type EnvelopeFields, isReasonCode, type NodeEventData, type NodeEventType } from '@app/contracts';
import type { OutboundMessageRecord } from '@app/persistence';

/** One event to append: the fact's subject (at most one event per subject), its type and content. */
export interface NodeEventFact {
  readonly subject: string;
  readonly type: NodeEventType;
  readonly data: NodeEventData;
}

/** A peer's message stored in the inbox: `reply.received` when it answers one of ours. */
export function receivedFact(e: EnvelopeFields): NodeEventFact {
  return {
    subject: `received:${e.sender}:${e.messageId}`,
    type: e.inReplyTo ? 'reply.received' : 'message.received',
    data: {
      messageId: e.messageId,
      conversationId: e.conversationId,
      inReplyTo: e.inReplyTo || null,
      messageType: e.type,
      direction: 'inbound',
      counterpart: e.sender,
      agreement: e.agreementId,
      status: 'received',
      reasonCode: null,
    },
  };
}

/**
 * One of our messages settled: delivered, rejected (with the peer's code — one of the catalog's, or
 * UNSPECIFIED: a peer's made-up code is not passed on) or failed (EXPIRED). A message settles once.
 */
export function settledFact(
  m: Pick<
    OutboundMessageRecord,
    'id' | 'conversationId' | 'inReplyTo' | 'type' | 'recipient' | 'agreementId'
  >,
  status: 'delivered' | 'rejected' | 'failed',
  reasonCode: string | null,
): NodeEventFact {
  return {
    subject: `settled:${m.id}`,
    type:
      status === 'delivered'
        ? 'message.delivered'
        : status === 'rejected'
          ? 'message.rejected'
          : 'message.failed',
    data: {
      messageId: m.id,
      conversationId: m.conversationId,
      inReplyTo: m.inReplyTo,
      messageType: m.type,
      direction: 'outbound',
      counterpart: m.recipient,
      agreement: m.agreementId,
      status,
      reasonCode: reasonCode === null ? null : isReasonCode(reasonCode) ? reasonCode : 'UNSPECIFIED',
    },
  };
}
