import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { type EnvelopeFields, inboxTopic, MessageType } from '@app/contracts';
import { type InboxRecord, routingHeaders, type SetAsideRecord, sourceRecord } from '@app/messaging';
import type { FlowEvent, FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  type Db,
  type GroupCommitter,
  InboxRepository,
  NodeEventsRepository,
  type OutboxEntry,
  OutboxRepository,
  type Queryable,
  ReceiptsRepository,
} from '@app/persistence';
import { digestOf } from '@app/signing';
import { receivedFact } from '../events/node-event.facts';
import { OutboxRelay } from '../outbox/outbox.relay';
import { DB, FLOW_EVENTS, GROUP_COMMIT } from '../shared/tokens';
import { InboundHandlers } from './inbound-handlers.registry';
import { InboundJudge } from './inbound.judge';
import { ReceiptFactory } from './receipt.factory';
import { ReceiptSettlement } from './receipt.settlement';
import { RejectionLedger } from './rejection.ledger';
import type { Verdict } from './verdict';

/**
 * Acts on the judge's verdict, each case in one transaction with the outbox rows it causes (a receipt,
 * a dead letter), so the offset is committed only once the effect and its answer are durable.
 * Nothing is silently dropped: every refused record leaves a rejection row (RejectionLedger), a flow
 * event and either a signed rejection receipt (authentic sender, well-formed record) or a DLQ record.
 * Receipts for our own messages settle them (ReceiptSettlement); what other features do with an
 * accepted message is theirs (InboundHandlers).
 */
@Injectable()
export class ReceiveMessageService {
  private readonly logger = new Logger(ReceiveMessageService.name);
  /**
   * Messages being accepted now, by `<sender>/<id>`. Another copy of one of them (a re-send, a
   * duplicate on another partition) waits for it and is judged again, and so found a duplicate.
   */
  private readonly accepting = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(DB) private readonly db: Db,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    private readonly judge: InboundJudge,
    private readonly receiptFactory: ReceiptFactory,
    private readonly relay: OutboxRelay,
    private readonly ledger: RejectionLedger,
    private readonly settlement: ReceiptSettlement,
    private readonly handlers: InboundHandlers,
    private readonly inbox: InboxRepository,
    private readonly outbox: OutboxRepository,
    private readonly receipts: ReceiptsRepository,
    private readonly audit: AuditLogRepository,
    private readonly events: NodeEventsRepository,
  ) {}

  /** A record the transport gave up handling (see KafkaInboxServer): to the DLQ, and the partition moves on. */
  async setAside(aside: SetAsideRecord): Promise<void> {
    await this.ledger.setAside(aside);
    this.relay.wake();
  }

  async handle(record: InboxRecord): Promise<void> {
    const started = Date.now();
    const now = this.clock.now();
    const digest = digestOf(record.value ?? '');
    let verdict = await this.judge.judge(record, digest, now);
    for (let earlier = this.earlierCopy(verdict); earlier; earlier = this.earlierCopy(verdict)) {
      await earlier.catch(() => undefined);
      verdict = await this.judge.judge(record, digest, now);
    }
    const event = await this.apply(verdict, record, digest, now);
    this.flow.emit({
      at: now.toISOString(),
      node: this.config.party,
      sizeBytes: record.sizeBytes,
      durationMs: Date.now() - started,
      ...event,
    });
    this.relay.wake();
  }

  private earlierCopy(verdict: Verdict): Promise<unknown> | undefined {
    return verdict.kind === 'accept'
      ? this.accepting.get(`${verdict.envelope.sender}/${verdict.envelope.messageId}`)
      : undefined;
  }

  private async apply(
    v: Verdict,
    record: InboxRecord,
    digest: string,
    now: Date,
  ): Promise<Omit<FlowEvent, 'at' | 'node'>> {
    switch (v.kind) {
      case 'accept': {
        const key = `${v.envelope.sender}/${v.envelope.messageId}`;
        const accepted = this.accept(v.envelope, v.payload, record, digest, now);
        this.accepting.set(key, accepted);
        try {
          return await accepted;
        } finally {
          this.accepting.delete(key);
        }
      }
      case 'duplicate':
        if (v.previousReceipt) {
          const again = this.resend(v.envelope, v.previousReceipt);
          await this.commits.run((tx) => this.outbox.enqueue(tx, [again]));
        }
        return { stage: 'receive', outcome: 'DUPLICATE', ...meta(v.envelope) };
      case 'receipt':
        return this.settlement.settle(v.envelope, v.receipt, record, digest, now);
      case 'reject': {
        const answer = v.answer
          ? await this.receiptFactory.issue(v.sender, v.envelope, digest, v)
          : undefined;
        await this.commits.run(async (tx) => {
          await this.ledger.record(tx, record, digest, now, v.sender, v.envelope?.messageId ?? null, v);
          if (answer && v.envelope)
            await this.saveIssued(
              tx,
              v.sender,
              v.envelope.messageId,
              answer.receiptId,
              digest,
              now,
              answer.sealed.value,
              v,
            );
          if (answer) await this.outbox.enqueue(tx, [answer.sealed.outbox]);
        });
        this.logger.warn(
          `rejected ${v.envelope?.messageId ?? 'a record'} from ${v.sender}: ${v.reason} (${v.rule})`,
        );
        return {
          stage: 'receive',
          outcome: v.reason,
          rule: v.rule,
          sender: v.sender,
          ...(v.envelope ? meta(v.envelope) : {}),
        };
      }
      case 'dead-letter': {
        await this.ledger.deadLetterNow(record, digest, now, v.messageId ?? null, v);
        this.logger.warn(
          `dead-lettered ${record.topic}[${record.partition}]@${record.offset}: ${v.reason} (${v.detail})`,
        );
        return {
          stage: 'dead-letter',
          outcome: v.reason,
          rule: v.rule,
          sender: v.claimedSender,
          messageId: v.messageId,
          recipient: this.config.party,
        };
      }
    }
  }

  private async accept(
    e: EnvelopeFields,
    payload: Record<string, unknown>,
    record: InboxRecord,
    digest: string,
    now: Date,
  ): Promise<Omit<FlowEvent, 'at' | 'node'>> {
    const answer = await this.receiptFactory.issue(e.sender, e, digest);
    // A copy that raced past the duplicate check in another process fails here on the inbox's unique
    // key; the transport retries it, and it is judged a duplicate then.
    await this.commits.run(async (tx) => {
      await this.inbox.insert(tx, {
        sender: e.sender,
        id: e.messageId,
        conversationId: e.conversationId,
        inReplyTo: e.inReplyTo || null,
        type: e.type,
        agreementId: e.agreementId,
        purpose: e.purpose,
        createdAt: e.createdAt,
        expiresAt: e.expiresAt,
        payload,
        recordDigest: digest,
        receivedAt: now,
        // What the peer signed, byte for byte (a compact JWS is ASCII): the evidence, not our decoding.
        recordValue: record.value?.toString('latin1') ?? null,
        sourceRecord: sourceRecord(record),
      });
      await this.audit.append(tx, now, 'message.received', e.messageId, e.sender, {
        type: e.type,
        agreement: e.agreementId,
        digest,
      });
      await this.saveIssued(tx, e.sender, e.messageId, answer.receiptId, digest, now, answer.sealed.value);
      await this.outbox.enqueue(tx, [answer.sealed.outbox]);
      await this.events.append(tx, now, receivedFact(e));
    });
    this.handlers.accepted(e);
    return { stage: 'receive', outcome: 'OK', ...meta(e) };
  }

  /** The receipt issued the first time, byte for byte, so a sender that lost it can settle. */
  private resend(e: EnvelopeFields, receipt: { receiptId: string; recordValue: string }): OutboxEntry {
    return {
      kind: 'receipt',
      messageId: null,
      topic: inboxTopic(e.sender, this.config.kafka.topicNamespace),
      key: e.conversationId,
      value: receipt.recordValue,
      headers: routingHeaders({
        type: MessageType.Receipt,
        sender: this.config.party,
        recipient: e.sender,
        messageId: receipt.receiptId,
      }),
    };
  }

  private async saveIssued(
    tx: Queryable,
    to: string,
    messageId: string,
    receiptId: string,
    digest: string,
    now: Date,
    recordValue: string,
    refusal?: { reason: string; rule: string; detail: string },
  ): Promise<void> {
    await this.audit.append(tx, now, 'receipt.issued', messageId, to, {
      receipt: receiptId,
      outcome: refusal ? 'REJECTED' : 'ACCEPTED',
      reason: refusal?.reason ?? null,
      digest,
    });
    await this.receipts.save(tx, {
      direction: 'issued',
      counterpart: to,
      messageId,
      receiptId,
      outcome: refusal ? 'REJECTED' : 'ACCEPTED',
      reasonCode: refusal?.reason ?? null,
      rule: refusal?.rule ?? null,
      detail: refusal?.detail ?? null,
      digest,
      recordValue,
      createdAt: now,
    });
  }
}

function meta(e: EnvelopeFields) {
  return {
    messageId: e.messageId,
    conversationId: e.conversationId,
    type: e.type,
    agreementId: e.agreementId,
    sender: e.sender,
    recipient: e.recipient,
  };
}
