import { Injectable } from '@nestjs/common';
import { base64Encode } from '@bufbuild/protobuf/wire';
import {
  encodeValidatedPayload,
  type FieldError,
  type JsonObject,
  MessageType,
  REPLACEABLE_TYPES,
  validatePayload,
} from '@app/contracts';
import {
  AmendmentsRepository,
  InboxRepository,
  type OutboundMessageRecord,
  OutboundMessagesRepository,
} from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { SubmitMessageService } from '../submit-message/submit-message.service';
import type { AmendmentSentView, CorrectionBodyDto, WithdrawalBodyDto } from './amendments.dto';

/**
 * The provider corrects or withdraws what it sent: one Correction or Withdrawal to the recipient of
 * each message named (the same information sent to several parties is several messages), in the
 * message's own agreement, purpose and conversation. Every message is checked before any notice is sent.
 */
@Injectable()
export class AmendmentService {
  constructor(
    private readonly submitter: SubmitMessageService,
    private readonly sent: OutboundMessagesRepository,
    private readonly received: InboxRepository,
    private readonly amendments: AmendmentsRepository,
  ) {}

  async withdraw(client: ApiClient, body: WithdrawalBodyDto): Promise<AmendmentSentView> {
    const originals = await this.amendable(body.messages);
    return this.notify(client, originals, MessageType.Withdrawal, (m) => ({
      concernsMessageId: m.id,
      reason: body.reason,
    }));
  }

  async correct(client: ApiClient, body: CorrectionBodyDto): Promise<AmendmentSentView> {
    const originals = await this.amendable(body.messages);
    const type = originals[0]!.type as MessageType;
    if (originals.some((m) => m.type !== type))
      throw unacceptable([
        {
          path: 'messages',
          rule: 'sameType',
          message: 'the messages corrected together are all of one type',
        },
      ]);
    const valid = validatePayload(type, body.replacement);
    if (!valid.ok)
      // The replacement's schema is that of the messages' type, which the API document cannot say:
      // one that breaks it is 422 (the request met its own schema), each field named.
      throw unacceptable(valid.errors.map((e): FieldError => ({ ...e, path: `replacement.${e.path}` })));
    const replacement = base64Encode(encodeValidatedPayload(type, valid.value));
    return this.notify(client, originals, MessageType.Correction, (m) => ({
      concernsMessageId: m.id,
      replacedType: type,
      replacement,
      reason: body.reason,
    }));
  }

  /** Messages this node sent, that carry information, reached their recipient, and are not withdrawn. */
  private async amendable(ids: readonly string[]): Promise<OutboundMessageRecord[]> {
    const out: OutboundMessageRecord[] = [];
    for (const id of ids) {
      const m = await this.sent.findById(id);
      if (!m) {
        if (await this.received.findById(id))
          throw new ExchangeError('NOT_ORIGINAL_SENDER', 403, `message ${id} was sent by another party`, {
            rule: 'messages',
          });
        throw ExchangeError.notFound(`sent message ${id}`);
      }
      if (!REPLACEABLE_TYPES.has(m.type as MessageType))
        throw new ExchangeError('TYPE_NOT_PERMITTED', 400, `a ${m.type} is not corrected or withdrawn`, {
          rule: 'messages',
        });
      if (m.status !== 'delivered')
        throw new ExchangeError(
          'UNKNOWN_REFERENCED_MESSAGE',
          409,
          `message ${id} is ${m.status}: only a delivered message is amended at its recipient`,
          { rule: 'messages' },
        );
      const earlier = await this.amendments.sentFor(id);
      if (earlier.some((a) => a.kind === 'withdrawal' && a.status !== 'rejected' && a.status !== 'failed'))
        throw new ExchangeError('MESSAGE_WITHDRAWN', 409, `message ${id} was withdrawn already`, {
          rule: 'messages',
        });
      out.push(m);
    }
    return out;
  }

  private async notify(
    client: ApiClient,
    originals: readonly OutboundMessageRecord[],
    type: MessageType,
    payloadFor: (m: OutboundMessageRecord) => JsonObject,
  ): Promise<AmendmentSentView> {
    const notices = [];
    for (const m of originals) {
      const payload = payloadFor(m);
      const valid = validatePayload(type, payload);
      if (!valid.ok) throw ExchangeError.invalid(valid.errors);
      const sent = await this.submitter.submit(
        client,
        { type, to: m.recipient, agreement: m.agreementId, purpose: m.purpose, payload },
        { payloadValidated: true, conversationId: m.conversationId },
      );
      notices.push({ id: sent.id, messageId: m.id, recipient: m.recipient });
    }
    return { notices };
  }
}

function unacceptable(errors: readonly FieldError[]): ExchangeError {
  const n = errors.length;
  return new ExchangeError('SCHEMA_INVALID', 422, `${n} invalid field${n === 1 ? '' : 's'}`, {
    errors,
    rule: errors[0]?.path,
  });
}
