import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AmendmentMarker, ConsentEntry, SentAmendment } from '@app/persistence';

// What a message's view shows beside the message: the consent asked and given for its further use,
// and its corrections and withdrawals (sent, with each recipient's confirmation; or applied here).

/** One entry of the consent ledger: a ConsentRequest and, once made, the provider's ConsentDecision. */
export class ConsentView {
  @ApiProperty({ description: 'The ConsentRequest message id.' }) requestId!: string;
  @ApiProperty({ enum: ['requested', 'received'] }) side!: string;
  @ApiProperty() concernsMessageId!: string;
  @ApiProperty() provider!: string;
  @ApiProperty() requester!: string;
  @ApiPropertyOptional() intendedRecipient?: string;
  @ApiPropertyOptional() intendedUse?: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() agreement!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ enum: ['pending', 'granted', 'refused'] }) status!: string;
  @ApiPropertyOptional({ description: 'The ConsentDecision message id.' }) decisionId?: string;
  @ApiPropertyOptional() decidedAt?: string;
  @ApiPropertyOptional({ type: [String] }) conditions?: string[];
  @ApiPropertyOptional() reason?: string;
}

export function consentView(e: ConsentEntry): ConsentView {
  return {
    requestId: e.requestId,
    side: e.side,
    concernsMessageId: e.concernsMessageId,
    provider: e.provider,
    requester: e.requester,
    intendedRecipient: e.intendedRecipient ?? undefined,
    intendedUse: e.intendedUse ?? undefined,
    purpose: e.purpose,
    agreement: e.agreementId,
    requestedAt: e.requestedAt.toISOString(),
    status: e.status,
    decisionId: e.decisionId ?? undefined,
    decidedAt: e.decidedAt?.toISOString(),
    conditions: e.conditions.length > 0 ? [...e.conditions] : undefined,
    reason: e.reason ?? undefined,
  };
}

/** A correction or withdrawal this node sent about a message, and whether its recipient confirmed it. */
export class SentAmendmentView {
  @ApiProperty({ enum: ['correction', 'withdrawal'] }) kind!: string;
  @ApiProperty({ description: 'The Correction or Withdrawal message id.' }) noticeId!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty() sentAt!: string;
  @ApiProperty({ description: 'Of the notice: queued, sent, delivered, rejected, failed.' }) status!: string;
  @ApiProperty({ description: 'The recipient confirmed, signed, that it applied it.' }) confirmed!: boolean;
  @ApiPropertyOptional({ description: 'The AmendmentConfirmation message id.' }) confirmationId?: string;
  @ApiPropertyOptional() confirmedAt?: string;
  @ApiPropertyOptional() supersededVersionKept?: boolean;
}

export function sentAmendmentView(a: SentAmendment): SentAmendmentView {
  return {
    kind: a.kind,
    noticeId: a.noticeId,
    recipient: a.recipient,
    sentAt: a.sentAt.toISOString(),
    status: a.status,
    confirmed: a.confirmationId !== null,
    confirmationId: a.confirmationId ?? undefined,
    confirmedAt: a.confirmedAt?.toISOString(),
    supersededVersionKept:
      a.confirmationId !== null && a.kind === 'correction' ? a.supersededVersionKept : undefined,
  };
}

/** On a received message its provider corrected or withdrew: what this node applied. */
export class AppliedAmendmentView {
  @ApiProperty({ enum: ['corrected', 'withdrawn'] }) amendment!: string;
  @ApiProperty() amendedAt!: string;
  @ApiProperty({ description: 'The Correction or Withdrawal message id (in this inbox).' })
  amendmentId!: string;
  @ApiProperty({ description: 'Superseded versions kept, where the agreement keeps them.' })
  supersededVersions!: number;
}

export function appliedAmendmentView(m: AmendmentMarker): AppliedAmendmentView {
  return {
    amendment: m.amendment,
    amendedAt: m.amendedAt.toISOString(),
    amendmentId: m.amendmentId,
    supersededVersions: m.supersededVersions,
  };
}
