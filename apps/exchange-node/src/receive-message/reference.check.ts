import { Injectable } from '@nestjs/common';
import { type EnvelopeFields, MessageType } from '@app/contracts';
import { AmendmentsRepository, InboxRepository, OutboundMessagesRepository } from '@app/persistence';
import type { Refusal } from './verdict';

export type ReferenceStep = { ok: true } | ({ ok: false } & Refusal);

const OK: ReferenceStep = { ok: true };
const refuse = (reason: Refusal['reason'], rule: string, detail: string): ReferenceStep => ({
  ok: false,
  reason,
  rule,
  detail,
});

/**
 * Messages about an earlier message (consent, corrections, withdrawals) are judged against it, on the
 * signed envelope and the validated payload: only the provider of a message may correct or withdraw it
 * (a withdrawal "from" anyone else is hostile: NOT_ORIGINAL_SENDER), consent is asked only of the
 * provider of a message the asker received, and answers must name what they answer.
 */
@Injectable()
export class ReferenceCheck {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly outbound: OutboundMessagesRepository,
    private readonly amendments: AmendmentsRepository,
  ) {}

  async check(e: EnvelopeFields, payload: Record<string, unknown>): Promise<ReferenceStep> {
    const concerns = typeof payload.concernsMessageId === 'string' ? payload.concernsMessageId : '';
    if (e.type === MessageType.Correction || e.type === MessageType.Withdrawal)
      return this.amendment(e, payload, concerns);
    if (e.type === MessageType.ConsentRequest) {
      // This node must be the provider: it sent that message to the party now asking.
      const original = await this.outbound.findById(concerns);
      if (!original || original.recipient !== e.sender)
        return refuse(
          'UNKNOWN_REFERENCED_MESSAGE',
          'payload.concernsMessageId',
          'consent is asked about a message this node did not send to the asker',
        );
      return OK;
    }
    if (e.type === MessageType.ConsentDecision && payload.requestMessageId !== e.inReplyTo)
      return refuse(
        'UNKNOWN_REFERENCED_MESSAGE',
        'payload.requestMessageId',
        'a consent decision must name the request it answers (inReplyTo)',
      );
    if (e.type === MessageType.AmendmentConfirmation && payload.amendmentMessageId !== e.inReplyTo)
      return refuse(
        'UNKNOWN_REFERENCED_MESSAGE',
        'payload.amendmentMessageId',
        'a confirmation must name the correction or withdrawal it confirms (inReplyTo)',
      );
    return OK;
  }

  private async amendment(
    e: EnvelopeFields,
    payload: Record<string, unknown>,
    concerns: string,
  ): Promise<ReferenceStep> {
    // Looked up under the signer: a message of another sender is, for this one, a message it never sent.
    const original = await this.inbox.find(e.sender, concerns);
    if (!original)
      return refuse(
        'NOT_ORIGINAL_SENDER',
        'payload.concernsMessageId',
        `only the original sender may correct or withdraw a message; ${e.sender} sent none with this id here`,
      );
    const marker = await this.amendments.marker(e.sender, concerns);
    if (marker?.amendment === 'withdrawn' && marker.amendmentId !== e.messageId)
      return refuse('MESSAGE_WITHDRAWN', 'payload.concernsMessageId', 'the message was withdrawn already');
    if (e.type === MessageType.Correction && payload.replacedType !== original.type)
      return refuse(
        'SCHEMA_INVALID',
        'payload.replacedType',
        'a correction replaces a message with a payload of the same type',
      );
    return OK;
  }
}
