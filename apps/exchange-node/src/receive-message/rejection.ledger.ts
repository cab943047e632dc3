import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { boundedText, dlqTopic, ReasonCode } from '@app/contracts';
import { type InboxRecord, preserveBytes, preserveHeaders, type SetAsideRecord } from '@app/messaging';
import type { FlowEvent, FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  type GroupCommitter,
  InboundRejectionsRepository,
  type OutboxEntry,
  OutboxRepository,
  type Queryable,
} from '@app/persistence';
import { digestOf } from '@app/signing';
import { FLOW_EVENTS, GROUP_COMMIT } from '../shared/tokens';
import type { Refusal } from './verdict';

type LedgerRefusal = Pick<Refusal, 'rule' | 'detail'> & { readonly reason: string };

/**
 * The node's account of every inbound record it turned away: an audit entry and an
 * `inbound_rejections` row holding the record's key, value and headers byte for byte (text when clean
 * UTF-8, base64 otherwise, so no byte a sender chose can make the row fail), and — for a record that
 * cannot be answered — its dead letter. Also where the transport sets aside a record its handler
 * failed on for good.
 */
@Injectable()
export class RejectionLedger {
  private readonly logger = new Logger(RejectionLedger.name);

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    private readonly rejections: InboundRejectionsRepository,
    private readonly audit: AuditLogRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async record(
    tx: Queryable,
    record: InboxRecord,
    digest: string,
    now: Date,
    sender: string | null,
    messageId: string | null,
    refusal: LedgerRefusal,
  ): Promise<void> {
    const kind = sender ? 'record.rejected' : 'record.dead-lettered';
    await this.audit.append(tx, now, kind, messageId, sender, {
      reason: refusal.reason,
      rule: boundedText(refusal.rule, 300),
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
      // Refusal texts can quote what a sender chose (a claimed key id): bounded, without controls.
      rule: boundedText(refusal.rule, 300),
      detail: boundedText(refusal.detail, 1000),
      preserved: {
        key: record.rawKey ? preserveBytes(record.rawKey) : null,
        value: record.value ? preserveBytes(record.value) : null,
        headers: preserveHeaders(record.rawHeaders),
      },
    });
  }

  /**
   * The record for `puente.dlq.<party>`, its bytes exact: a value or key that is not clean UTF-8 is
   * base64-encoded and marked (the outbox stores text, and PostgreSQL text cannot hold a NUL byte);
   * the original headers travel as one base64 JSON header.
   */
  deadLetter(record: InboxRecord, refusal: LedgerRefusal): OutboxEntry {
    const value = preserveBytes(record.value ?? Buffer.alloc(0));
    const key = record.rawKey ? preserveBytes(record.rawKey) : null;
    return {
      kind: 'dead-letter',
      messageId: null,
      topic: dlqTopic(this.config.party, this.config.kafka.topicNamespace),
      key: key?.text ?? null,
      value: value.text,
      headers: {
        ...(value.encoding === 'base64' ? { 'puente-dlq-value-encoding': 'base64' } : {}),
        ...(key?.encoding === 'base64' ? { 'puente-dlq-key-encoding': 'base64' } : {}),
        'puente-dlq-headers': Buffer.from(JSON.stringify(preserveHeaders(record.rawHeaders))).toString(
          'base64',
        ),
        'puente-dlq-reason': refusal.reason,
        'puente-dlq-rule': boundedText(refusal.rule, 300),
        'puente-dlq-source': `${record.topic}/${record.partition}/${record.offset}`,
      },
    };
  }

  /** The rejection row, audit entry and dead letter of one record, in one transaction. */
  async deadLetterNow(
    record: InboxRecord,
    digest: string,
    now: Date,
    messageId: string | null,
    refusal: LedgerRefusal,
  ): Promise<void> {
    await this.commits.run(async (tx) => {
      await this.record(tx, record, digest, now, null, messageId, refusal);
      await this.outbox.enqueue(tx, [this.deadLetter(record, refusal)]);
    });
  }

  /**
   * A record whose handling failed for good (the database refused its bytes, a constraint, or it kept
   * failing): set aside with `UNPROCESSABLE_RECORD`, so the partition moves on. Nothing about the
   * sender is trusted here; the flow event names no party.
   */
  async setAside(aside: SetAsideRecord): Promise<void> {
    const { record } = aside;
    const now = this.clock.now();
    const refusal = {
      reason: ReasonCode.UNPROCESSABLE_RECORD,
      rule: 'handler',
      detail: `set aside after ${aside.attempts} attempt(s): ${aside.failure}`.slice(0, 500),
    };
    await this.deadLetterNow(record, digestOf(record.value ?? ''), now, null, refusal);
    this.logger.warn(
      `set aside ${record.topic}[${record.partition}]@${record.offset} after ${aside.attempts} attempt(s)`,
    );
    const event: FlowEvent = {
      at: now.toISOString(),
      node: this.config.party,
      stage: 'dead-letter',
      outcome: refusal.reason,
      rule: refusal.rule,
      recipient: this.config.party,
      sizeBytes: record.sizeBytes,
    };
    this.flow.emit(event);
  }
}
