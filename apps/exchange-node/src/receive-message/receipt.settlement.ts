import { Inject, Injectable, Logger } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import type { EnvelopeFields } from '@app/contracts';
import type { InboxRecord } from '@app/messaging';
import type { FlowEvent } from '@app/observability';
import {
  AuditLogRepository,
  BatchLoader,
  type GroupCommitter,
  NodeEventsRepository,
  type OutboundMessageSummary,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import { settledFact } from '../events/node-event.facts';
import { GROUP_COMMIT } from '../shared/tokens';
import { RejectionLedger } from './rejection.ledger';

/** A peer's receipt settles one of our messages: delivered, or rejected with the peer's reason. */
@Injectable()
export class ReceiptSettlement {
  private readonly logger = new Logger(ReceiptSettlement.name);
  /** The messages that receipts handled together settle, in one query. */
  private readonly sent: BatchLoader<string, OutboundMessageSummary>;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    private readonly ledger: RejectionLedger,
    private readonly outbound: OutboundMessagesRepository,
    private readonly receipts: ReceiptsRepository,
    private readonly audit: AuditLogRepository,
    private readonly events: NodeEventsRepository,
  ) {
    this.sent = new BatchLoader(
      (ids) => this.outbound.findSummaries(ids),
      (id) => id,
    );
  }

  async settle(
    e: EnvelopeFields,
    receipt: Record<string, unknown>,
    record: InboxRecord,
    digest: string,
    now: Date,
  ): Promise<Omit<FlowEvent, 'at' | 'node'>> {
    const messageId = text(receipt.messageId);
    const accepted = receipt.outcome === 'RECEIPT_OUTCOME_ACCEPTED';
    const original = messageId ? await this.sent.load(messageId) : undefined;
    const mismatch =
      !original || original.recipient !== e.sender
        ? 'UNKNOWN_CONVERSATION'
        : original.recordDigest !== receipt.digest
          ? 'RECEIPT_MISMATCH'
          : undefined;
    if (!original || mismatch) {
      const refusal = {
        reason: mismatch ?? 'UNKNOWN_CONVERSATION',
        rule: 'payload.messageId',
        detail: 'the receipt does not match a message this node sent to its sender',
      } as const;
      await this.commits.run((tx) =>
        this.ledger.record(tx, record, digest, now, e.sender, e.messageId, refusal),
      );
      this.logger.warn(`ignored a receipt from ${e.sender}: ${refusal.reason}`);
      return {
        stage: 'settle',
        outcome: refusal.reason,
        sender: e.sender,
        recipient: this.config.party,
        messageId: original ? messageId : undefined,
      };
    }
    const reasonCode = accepted ? null : text(receipt.reasonCode) || 'UNSPECIFIED';
    await this.commits.run(async (tx) => {
      await this.outbound.settle(tx, {
        id: original.id,
        recipient: e.sender,
        status: accepted ? 'delivered' : 'rejected',
        reasonCode,
        rule: accepted ? null : text(receipt.rule),
        detail: accepted ? null : text(receipt.detail),
        at: now,
      });
      await this.audit.append(tx, now, 'receipt.received', original.id, e.sender, {
        receipt: e.messageId,
        outcome: accepted ? 'ACCEPTED' : 'REJECTED',
        reason: reasonCode,
        digest: text(receipt.digest),
      });
      await this.receipts.save(tx, {
        direction: 'received',
        counterpart: e.sender,
        messageId: original.id,
        receiptId: e.messageId,
        outcome: accepted ? 'ACCEPTED' : 'REJECTED',
        reasonCode,
        rule: accepted ? null : text(receipt.rule),
        detail: accepted ? null : text(receipt.detail),
        digest: text(receipt.digest),
        // The peer's signed receipt as received: its word on what it got.
        recordValue: record.value?.toString('latin1') ?? null,
        createdAt: now,
      });
      await this.events.append(
        tx,
        now,
        settledFact(original, accepted ? 'delivered' : 'rejected', reasonCode),
      );
    });
    return {
      stage: 'settle',
      outcome: accepted ? 'ACCEPTED' : (reasonCode ?? 'REJECTED'),
      messageId: original.id,
      conversationId: original.conversationId,
      type: original.type,
      agreementId: original.agreementId,
      sender: this.config.party,
      recipient: e.sender,
      endToEndMs: now.getTime() - original.createdAt.getTime(),
    };
  }
}

/** A receipt field as text (validated as a string on decode; absent means empty in proto3 JSON). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
