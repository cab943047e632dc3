import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { dlqTopic, type EnvelopeFields, inboxTopic, MessageType } from '@app/contracts';
import { type InboxRecord, routingHeaders } from '@app/messaging';
import type { FlowEvent, FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  BatchLoader,
  type OutboundMessageRecord,
  type Db,
  type GroupCommitter,
  InboundRejectionsRepository,
  InboxRepository,
  OutboundMessagesRepository,
  type OutboxEntry,
  OutboxRepository,
  type Queryable,
  ReceiptsRepository,
} from '@app/persistence';
import { digestOf } from '@app/signing';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RiskAssessmentResponder } from '../passenger-risk/risk-assessment.responder';
import { DB, FLOW_EVENTS, GROUP_COMMIT } from '../shared/tokens';
import { InboundJudge } from './inbound.judge';
import { ReceiptFactory } from './receipt.factory';
import type { Verdict } from './verdict';

/**
 * Acts on the judge's verdict, each case in one transaction with the outbox rows it causes (a receipt,
 * a dead letter), so the offset is committed only once the effect and its answer are durable.
 * Nothing is silently dropped: every refused record leaves a rejection row, a flow event and either a
 * signed rejection receipt (authentic sender) or a DLQ record (not attributable).
 */
@Injectable()
export class ReceiveMessageService {
  private readonly logger = new Logger(ReceiveMessageService.name);
  private readonly inbox: InboxRepository;
  private readonly outbound: OutboundMessagesRepository;
  /** The messages that receipts handled together settle, in one query. */
  private readonly sent: BatchLoader<string, OutboundMessageRecord>;
  private readonly outbox: OutboxRepository;
  private readonly receipts: ReceiptsRepository;
  private readonly rejections: InboundRejectionsRepository;
  private readonly audit: AuditLogRepository;
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
    private readonly responder: RiskAssessmentResponder,
  ) {
    this.inbox = new InboxRepository(db);
    this.outbound = new OutboundMessagesRepository(db);
    this.sent = new BatchLoader(
      (ids) => this.outbound.findByIds(ids),
      (id) => id,
    );
    this.outbox = new OutboxRepository(db);
    this.receipts = new ReceiptsRepository(db);
    this.rejections = new InboundRejectionsRepository(db);
    this.audit = new AuditLogRepository(db);
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
        const accepted = this.accept(v.envelope, v.payload, digest, now);
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
        return this.settle(v.envelope, v.receipt, record, digest, now);
      case 'reject': {
        const answer = v.answer
          ? await this.receiptFactory.issue(v.sender, v.envelope, digest, v)
          : undefined;
        await this.commits.run(async (tx) => {
          await this.recordRejection(tx, record, digest, now, v.sender, v.envelope?.messageId ?? null, v);
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
        const dead = deadLetterValue(record.value);
        await this.commits.run(async (tx) => {
          await this.recordRejection(tx, record, digest, now, null, v.messageId ?? null, v);
          await this.outbox.enqueue(tx, [
            {
              kind: 'dead-letter',
              messageId: null,
              topic: dlqTopic(this.config.party, this.config.kafka.topicNamespace),
              key: record.key,
              value: dead.value,
              headers: {
                ...dead.headers,
                'puente-dlq-reason': v.reason,
                'puente-dlq-rule': v.rule,
                'puente-dlq-source': `${record.topic}/${record.partition}/${record.offset}`,
              },
            },
          ]);
        });
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
      });
      await this.audit.append(tx, now, 'message.received', e.messageId, e.sender, {
        type: e.type,
        agreement: e.agreementId,
        digest,
      });
      await this.saveIssued(tx, e.sender, e.messageId, answer.receiptId, digest, now, answer.sealed.value);
      await this.outbox.enqueue(tx, [answer.sealed.outbox]);
    });
    if (e.type === MessageType.TravelerRiskQuery) this.responder.wake();
    return { stage: 'receive', outcome: 'OK', ...meta(e) };
  }

  /** A peer's receipt settles one of our messages: delivered, or rejected with the peer's reason. */
  private async settle(
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
        this.recordRejection(tx, record, digest, now, e.sender, e.messageId, refusal),
      );
      this.logger.warn(`ignored a receipt from ${e.sender}: ${refusal.reason}`);
      return {
        stage: 'settle',
        outcome: refusal.reason,
        sender: e.sender,
        recipient: this.config.party,
        messageId: messageId || undefined,
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
        recordValue: null,
        createdAt: now,
      });
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

  private async recordRejection(
    tx: Queryable,
    record: InboxRecord,
    digest: string,
    now: Date,
    sender: string | null,
    messageId: string | null,
    refusal: { reason: string; rule: string; detail: string },
  ): Promise<void> {
    const kind = sender ? 'record.rejected' : 'record.dead-lettered';
    await this.audit.append(tx, now, kind, messageId, sender, {
      reason: refusal.reason,
      rule: refusal.rule,
      digest,
      source: `${record.topic}/${record.partition}/${record.offset}`,
    });
    await this.rejections.insert(tx, {
      receivedAt: now,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      recordDigest: digest,
      attributedSender: sender,
      messageId,
      reasonCode: refusal.reason,
      rule: refusal.rule,
      detail: refusal.detail,
    });
  }
}

/** A receipt field as text (validated as a string on decode; absent means empty in proto3 JSON). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The record's exact bytes for the DLQ. Text that is valid UTF-8 without NUL travels as it is; anything
 * else (garbage, binary) is base64-encoded and marked, because the outbox stores text and PostgreSQL
 * text cannot hold a NUL byte — a poison record must never make its own dead-lettering fail.
 */
function deadLetterValue(value: Buffer | null): { value: string; headers: Record<string, string> } {
  const bytes = value ?? Buffer.alloc(0);
  const text = bytes.toString('utf8');
  const clean = !text.includes('\u0000') && Buffer.from(text, 'utf8').equals(bytes);
  return clean
    ? { value: text, headers: {} }
    : { value: bytes.toString('base64'), headers: { 'puente-dlq-value-encoding': 'base64' } };
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
