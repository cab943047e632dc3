import { Injectable } from '@nestjs/common';
import { type JsonObject, MessageType, validatePayload } from '@app/contracts';
import { type InboxMessageRecord, OutboundMessagesRepository } from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { SubmitMessageService, type SubmitResult } from '../submit-message/submit-message.service';
import type { ForwardBodyDto } from './consent.dto';
import { ConsentLedger } from './consent.ledger';
import { ConsentService } from './consent.service';

/** The types whose information can be passed on as spontaneous information. */
const FORWARDABLE: ReadonlySet<string> = new Set([
  MessageType.SpontaneousInformation,
  MessageType.AssistanceResponse,
  MessageType.AssistanceRequest,
]);

/**
 * Onward transfer: a received message passed on to another party as spontaneous information that names
 * where it came from and the consent allowing it (`forwardedFrom`). Refused with CONSENT_REQUIRED until
 * the provider granted that recipient; the onward message itself is then judged against whatever
 * agreement covers this node and the recipient, like any submission.
 */
@Injectable()
export class ForwardService {
  constructor(
    private readonly consent: ConsentService,
    private readonly ledger: ConsentLedger,
    private readonly submitter: SubmitMessageService,
    private readonly sent: OutboundMessagesRepository,
  ) {}

  async forward(client: ApiClient, messageId: string, body: ForwardBodyDto): Promise<SubmitResult> {
    const received = await this.consent.receivedForFurtherUse(messageId);
    if (!FORWARDABLE.has(received.type))
      throw new ExchangeError('TYPE_NOT_PERMITTED', 400, 'only case information can be passed on', {
        rule: 'id',
      });
    const grant = await this.ledger.grantFor(received.id, body.to);
    if (!grant) {
      const refused = (await this.ledger.latestDecision(received.id, body.to))?.status === 'refused';
      throw new ExchangeError(
        'CONSENT_REQUIRED',
        403,
        refused
          ? `${received.sender} refused consent to pass this message on to ${body.to}`
          : `passing this message on to ${body.to} needs ${received.sender}'s consent, not granted`,
        { rule: `agreements[${received.agreementId}].onwardTransfer`, agreementId: received.agreementId },
      );
    }
    const payload = await this.asSpontaneousInformation(received, {
      messageId: received.id,
      provider: received.sender,
      consentMessageId: grant.decisionId,
    });
    const valid = validatePayload(MessageType.SpontaneousInformation, payload);
    if (!valid.ok) throw ExchangeError.invalid(valid.errors);
    return this.submitter.submit(
      client,
      {
        type: MessageType.SpontaneousInformation,
        to: body.to,
        purpose: body.purpose ?? received.purpose,
        payload,
      },
      { payloadValidated: true },
    );
  }

  /** The received information as spontaneous information, naming its source and the consent. */
  private async asSpontaneousInformation(
    m: InboxMessageRecord,
    forwardedFrom: JsonObject,
  ): Promise<JsonObject> {
    const p = m.payload as JsonObject;
    switch (m.type) {
      case MessageType.SpontaneousInformation:
        return { ...p, forwardedFrom };
      case MessageType.AssistanceRequest:
        return {
          caseReference: p.caseReference ?? null,
          offenseCategory: p.offenseCategory ?? null,
          summary: p.summary ?? null,
          subjects: p.subjects ?? {},
          // A request states suspicions, not findings.
          reliability: 'RELIABILITY_UNVERIFIED',
          forwardedFrom,
        };
      default: {
        // An answer to this node's request: the offense is the request's; the findings are the provider's own.
        const request = m.inReplyTo ? await this.sent.findById(m.inReplyTo) : undefined;
        const findings = Array.isArray(p.findings) ? p.findings.filter((f) => typeof f === 'string') : [];
        const offense = request?.payload.offenseCategory;
        return {
          caseReference: p.caseReference ?? null,
          offenseCategory: typeof offense === 'string' ? offense : 'OFFENSE_CATEGORY_OTHER_CUSTOMS_VIOLATION',
          summary: [p.summary, ...findings].filter((s) => typeof s === 'string').join('\n'),
          subjects: p.informationProvided ?? {},
          reliability: 'RELIABILITY_CONFIRMED',
          forwardedFrom,
        };
      }
    }
  }
}
