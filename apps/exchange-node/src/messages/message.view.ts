import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageType } from '@app/contracts';
import type { InboxMessageRecord, OutboundMessageRecord, ReceiptRecord } from '@app/persistence';
import { AppliedAmendmentView, ConsentView, SentAmendmentView } from './message-annotations.view';

export class ReceiptView {
  @ApiProperty({ enum: ['ACCEPTED', 'REJECTED'] }) outcome!: string;
  @ApiPropertyOptional() reasonCode?: string;
  @ApiPropertyOptional() rule?: string;
  @ApiPropertyOptional() detail?: string;
  @ApiProperty() at!: string;
}

/** The rule that withheld a payload from a reader. */
export type WithheldBy = 'readableBy' | 'purpose';

/** One message as this node's officers see it, sent or received. */
export class MessageView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: 'outbound' | 'inbound';
  @ApiProperty() conversationId!: string;
  @ApiPropertyOptional() inReplyTo?: string;
  @ApiProperty() type!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() agreement!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: 'outbound: queued, sent, delivered, rejected, failed; inbound: accepted' })
  status!: string;
  @ApiPropertyOptional({
    type: ReceiptView,
    description: 'outbound: the peer’s receipt; inbound: the receipt this node issued',
  })
  receipt?: ReceiptView;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'An assistance request past its reply-by date with no answer yet' })
  overdue?: boolean;
  @ApiPropertyOptional({ description: 'When the retention period ran out and the payload was removed' })
  redactedAt?: string;
  @ApiPropertyOptional({
    description:
      'When names, dates of birth and document numbers were replaced by keyed digests (maskAfterDays)',
  })
  maskedAt?: string;
  @ApiPropertyOptional({
    description:
      'true: the payload holds personal data this client’s roles may not read (the agreement’s personalData.readableBy); it is left out, the metadata stays',
  })
  personalDataWithheld?: boolean;
  @ApiPropertyOptional({
    enum: ['readableBy', 'purpose'],
    description:
      'Why the payload is withheld: the client’s roles (readableBy), or a declared purpose outside the agreement’s purposes that the provider has not consented to (purpose)',
  })
  withheldBy?: WithheldBy;
  @ApiPropertyOptional({
    type: () => [MessageView],
    description: 'Messages received in reply to this one (e.g. risk assessments)',
  })
  replies?: MessageView[];
  @ApiPropertyOptional({
    type: [ConsentView],
    description: 'The consent ledger for this message: further uses asked of its provider, and decided',
  })
  consents?: ConsentView[];
  @ApiPropertyOptional({
    type: [SentAmendmentView],
    description: 'outbound: corrections and withdrawals sent, with each recipient’s signed confirmation',
  })
  amendments?: SentAmendmentView[];
  @ApiPropertyOptional({
    type: AppliedAmendmentView,
    description: 'inbound: the provider corrected or withdrew this message, and this node applied it',
  })
  amendment?: AppliedAmendmentView;
}

function receiptView(r: ReceiptRecord | undefined): ReceiptView | undefined {
  if (!r) return undefined;
  return {
    outcome: r.outcome,
    reasonCode: r.reasonCode ?? undefined,
    rule: r.rule ?? undefined,
    detail: r.detail ?? undefined,
    at: r.createdAt.toISOString(),
  };
}

export function outboundView(me: string, m: OutboundMessageRecord, receipt?: ReceiptRecord): MessageView {
  return {
    id: m.id,
    direction: 'outbound',
    conversationId: m.conversationId,
    inReplyTo: m.inReplyTo ?? undefined,
    type: m.type,
    from: me,
    to: m.recipient,
    agreement: m.agreementId,
    purpose: m.purpose,
    createdAt: m.createdAt.toISOString(),
    expiresAt: m.expiresAt.toISOString(),
    status: m.status,
    receipt: receiptView(receipt),
    payload: m.payload,
    redactedAt: m.redactedAt?.toISOString(),
    maskedAt: m.maskedAt?.toISOString(),
  };
}

export function inboundView(me: string, m: InboxMessageRecord, receipt?: ReceiptRecord): MessageView {
  return {
    id: m.id,
    direction: 'inbound',
    conversationId: m.conversationId,
    inReplyTo: m.inReplyTo ?? undefined,
    type: m.type,
    from: m.sender,
    to: me,
    agreement: m.agreementId,
    purpose: m.purpose,
    createdAt: m.createdAt.toISOString(),
    expiresAt: m.expiresAt.toISOString(),
    status: 'accepted',
    receipt: receiptView(receipt),
    payload: m.payload,
    redactedAt: m.redactedAt?.toISOString(),
    maskedAt: m.maskedAt?.toISOString(),
  };
}

/** An assistance request whose reply-by date has passed (at `now`) without an answer. */
export function isOverdue(view: MessageView, answered: boolean, now: Date): boolean {
  const replyBy = view.payload.replyBy;
  return (
    view.type === MessageType.AssistanceRequest &&
    !answered &&
    typeof replyBy === 'string' &&
    replyBy < now.toISOString().slice(0, 10)
  );
}
