import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { boundedText, type EnvelopeFields, MessageType, uuidv7 } from '@app/contracts';
import { RecordCodec, type SealedRecord } from '../shared/record.codec';
import type { Refusal } from './verdict';

/** The receipt payload's limits on copied text (ReceiptDto). */
const RULE_MAX = 300;
const DETAIL_MAX = 1000;

export interface IssuedReceipt {
  readonly receiptId: string;
  readonly sealed: SealedRecord;
}

/** Builds the signed receipt a node sends back for a message it judged: accepted, or rejected with the reason. */
@Injectable()
export class ReceiptFactory {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sealer: RecordCodec,
  ) {}

  /**
   * `about` is the envelope received, when it could be decoded; otherwise only the digest identifies
   * the record, and the receipt starts a conversation of its own.
   */
  async issue(
    to: string,
    about: EnvelopeFields | undefined,
    digest: string,
    refusal?: Refusal,
  ): Promise<IssuedReceipt> {
    const now = this.clock.now();
    const receiptId = uuidv7();
    // proto3 JSON: a field at its zero value is absent, so empty strings are left out, not sent as "".
    const payload = {
      ...(about ? { messageId: about.messageId } : {}),
      outcome: refusal ? 'RECEIPT_OUTCOME_REJECTED' : 'RECEIPT_OUTCOME_ACCEPTED',
      // Cut to the receipt's limits (rule 300, detail 1000): building a receipt must never throw.
      ...(refusal
        ? {
            reasonCode: refusal.reason,
            rule: boundedText(refusal.rule, RULE_MAX),
            detail: boundedText(refusal.detail, DETAIL_MAX),
          }
        : {}),
      digest,
      receivedAt: now.toISOString(),
    };
    const sealed = await this.sealer.seal(
      {
        messageId: receiptId,
        conversationId: about?.conversationId ?? receiptId,
        inReplyTo: about?.messageId ?? '',
        type: MessageType.Receipt,
        schemaVersion: 'v1',
        sender: this.config.party,
        recipient: to,
        agreementId: about?.agreementId ?? '',
        purpose: 'receipt',
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.limits.messageTtlSeconds * 1000),
      },
      payload,
      'receipt',
    );
    return { receiptId, sealed };
  }
}
