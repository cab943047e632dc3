import { Inject, Injectable } from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { MessageType, validatePayload } from '@app/contracts';
import { AmendmentsRepository, type InboxMessageRecord, InboxRepository } from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG } from '../shared/tokens';
import { SubmitMessageService, type SubmitResult } from '../submit-message/submit-message.service';
import type { ConsentDecisionBodyDto, ConsentRequestBodyDto } from './consent.dto';
import { ConsentLedger } from './consent.ledger';

/**
 * Asking for and giving the provider's consent to a further use of a message. The requester's node
 * sends a ConsentRequest to the provider under the message's own agreement; the provider's officer
 * decides (there is no automatic answer: consent is an administration's decision), and the signed
 * ConsentDecision goes back. Both nodes read the outcome from the same two messages (ConsentLedger).
 */
@Injectable()
export class ConsentService {
  constructor(
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    private readonly ledger: ConsentLedger,
    private readonly submitter: SubmitMessageService,
    private readonly inbox: InboxRepository,
    private readonly amendments: AmendmentsRepository,
  ) {}

  async request(client: ApiClient, messageId: string, body: ConsentRequestBodyDto): Promise<SubmitResult> {
    const received = await this.receivedForFurtherUse(messageId);
    return this.send(client, received.conversationId, {
      type: MessageType.ConsentRequest,
      to: received.sender,
      agreement: received.agreementId,
      purpose: received.purpose,
      payload: {
        concernsMessageId: received.id,
        ...(body.intendedRecipient !== undefined ? { intendedRecipient: body.intendedRecipient } : {}),
        ...(body.intendedUse !== undefined ? { intendedUse: body.intendedUse } : {}),
        purpose: body.purpose,
      },
    });
  }

  async decide(client: ApiClient, requestId: string, body: ConsentDecisionBodyDto): Promise<SubmitResult> {
    const entry = await this.ledger.find(requestId);
    if (!entry || entry.side !== 'received') throw ExchangeError.notFound(`consent request ${requestId}`);
    if (entry.status !== 'pending')
      throw new ExchangeError('CONSENT_ALREADY_DECIDED', 409, `the request was ${entry.status} already`, {
        rule: 'id',
      });
    if (body.outcome === 'refused' && !body.reason)
      throw acrossFields('reason', 'reasonWhenRefused', 'a refusal gives its reason');
    if (body.outcome === 'refused' && body.conditions?.length)
      throw acrossFields('conditions', 'grantedOnly', 'conditions go with a grant, not a refusal');
    const request = await this.inbox.find(entry.requester, requestId);
    if (!request) throw ExchangeError.notFound(`consent request ${requestId}`);
    return this.send(client, undefined, {
      type: MessageType.ConsentDecision,
      to: entry.requester,
      agreement: request.agreementId,
      purpose: request.purpose,
      inReplyTo: requestId,
      payload: {
        requestMessageId: requestId,
        concernsMessageId: entry.concernsMessageId,
        outcome: body.outcome === 'granted' ? 'CONSENT_OUTCOME_GRANTED' : 'CONSENT_OUTCOME_REFUSED',
        ...(body.outcome === 'granted' && body.conditions?.length ? { conditions: body.conditions } : {}),
        ...(body.outcome === 'refused' ? { reason: body.reason } : {}),
      },
    });
  }

  /**
   * A message this node received, still held, under an agreement that lets its provider consent to
   * further use: the subject of a consent request or of forwarding.
   */
  async receivedForFurtherUse(messageId: string): Promise<InboxMessageRecord> {
    const received = await this.inbox.findById(messageId);
    if (!received) throw ExchangeError.notFound(`received message ${messageId}`);
    const marker = await this.amendments.marker(received.sender, received.id);
    if (marker?.amendment === 'withdrawn')
      throw new ExchangeError('MESSAGE_WITHDRAWN', 409, 'the provider withdrew this message', { rule: 'id' });
    const agreement = this.catalog.agreements.find((a) => a.id === received.agreementId);
    if (agreement?.onwardTransfer !== 'provider-consent-required')
      throw new ExchangeError(
        'ONWARD_TRANSFER_PROHIBITED',
        403,
        `${received.agreementId} prohibits any further use: there is no consent to ask for`,
        { rule: `agreements[${received.agreementId}].onwardTransfer`, agreementId: received.agreementId },
      );
    return received;
  }

  /** Submits a message this node composed, its payload checked first so a mistake is a 400, not a fault. */
  private async send(
    client: ApiClient,
    conversationId: string | undefined,
    dto: Parameters<SubmitMessageService['submit']>[1] & { type: MessageType },
  ): Promise<SubmitResult> {
    const valid = validatePayload(dto.type, dto.payload);
    if (!valid.ok) throw ExchangeError.invalid(valid.errors);
    return this.submitter.submit(client, dto, { payloadValidated: true, conversationId });
  }
}

/** The body meets its schema, and a rule between its fields is broken: 422, like other such rules. */
function acrossFields(path: string, rule: string, message: string): ExchangeError {
  return new ExchangeError('SCHEMA_INVALID', 422, message, { rule: path, errors: [{ path, rule, message }] });
}
