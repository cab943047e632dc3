import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { ReasonCode } from '@app/contracts';
import { isTopicAuthorizationFailure, type RecordProducer } from '@app/messaging';
import type { FlowEventsPublisher } from '@app/observability';
import {
  type Db,
  LeasesRepository,
  OutboxRepository,
  type PendingOutboxEntry,
  type Queryable,
} from '@app/persistence';
import { DB, FLOW_EVENTS, PRODUCER } from '../shared/tokens';

/** The advisory lock a replica of the node holds while it publishes (see publishPass). */
export const OUTBOX_RELAY_LOCK = 'puente.outbox-relay';

/** What a pass of the relay did: published rows (maybe 0), or found another replica publishing. */
type Pass = number | 'another-replica';

/**
 * Publishes the transactional outbox to Kafka, in order. A row leaves the outbox only after the broker
 * acknowledged it (acks=all, idempotent producer); a failed send is retried with backoff, so a message
 * accepted for sending is delivered or stays visibly pending — never silently dropped.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private consecutiveFailures = 0;
  /**
   * Topics the broker refused this node (no ACL: an agreement terminated with messages in flight, or a
   * network not provisioned yet), until when. Their rows wait, retried with backoff (30 s doubling to
   * 10 min), and expire as any undelivered message does; the rest of the outbox keeps flowing.
   */
  private readonly refusedTopics = new Map<string, { until: number; backoffMs: number }>();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(DB) private readonly db: Db,
    @Inject(PRODUCER) private readonly producer: RecordProducer,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.relay.paused) {
      this.logger.warn(
        'PUENTE_RELAY_PAUSED: outbound messages are stored but not published until the relay runs again',
      );
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Called after a transaction added outbox rows, so they go out without waiting for the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published: Pass = 0;
      try {
        published = await this.publishPass();
        this.consecutiveFailures = 0;
      } catch (error) {
        this.consecutiveFailures += 1;
        const delay = Math.min(200 * 2 ** this.consecutiveFailures, 10_000);
        this.logger.warn(
          `publishing the outbox failed (${this.consecutiveFailures} in a row), retrying in ${delay} ms: ${describe(error)}`,
        );
        await this.sleep(delay);
        continue;
      }
      if (published === 'another-replica')
        // It publishes what is pending, ours too; we look again soon in case it stops.
        await this.sleep(Math.min(this.config.relay.pollIntervalMs, 100));
      else if (published === 0) await this.sleep(this.config.relay.pollIntervalMs);
    }
  }

  /**
   * On PostgreSQL the node may run as several replicas: a pass holds a transaction-scoped advisory
   * lock from reading the rows to marking them published, so no two replicas ever publish one row,
   * and rows go out in order as from one relay. A replica that dies mid-pass loses the lock with its
   * session and its rows stay unpublished for the next holder. PGlite is one process: no lock (and no
   * transaction held across the send, which would hold up every other write there).
   */
  private async publishPass(): Promise<Pass> {
    if (this.db.kind !== 'postgres') return this.publishBatch(this.db);
    return this.db.transaction(async (tx) =>
      (await LeasesRepository.tryLock(tx, OUTBOX_RELAY_LOCK)) ? this.publishBatch(tx) : 'another-replica',
    );
  }

  private async publishBatch(q: Queryable): Promise<number> {
    const now0 = Date.now();
    for (const [topic, r] of this.refusedTopics) if (r.until <= now0) this.refusedTopics.delete(topic);
    const skip = [...this.refusedTopics.keys()];
    const pending = await this.outbox.pending(
      this.config.relay.batchSize,
      this.config.relay.batchBytes,
      skip,
      q,
    );
    if (pending.length === 0) return 0;
    const started = Date.now();
    let batch = pending;
    try {
      await this.send(batch);
    } catch (error) {
      if (!isTopicAuthorizationFailure(error)) {
        await this.outbox.recordFailure(
          batch.map((e) => e.seq),
          describe(error),
        );
        throw error;
      }
      batch = await this.sendTopicByTopic(batch);
      if (batch.length === 0) return 0;
    }
    const now = this.clock.now();
    await this.outbox.markPublished(
      q,
      batch.map((e) => e.seq),
      now,
      messageIds(batch),
    );
    const durationMs = Date.now() - started;
    for (const e of batch) this.emitPublished(e, now, durationMs);
    return batch.length;
  }

  private send(entries: readonly PendingOutboxEntry[]): Promise<void> {
    return this.producer.send(
      entries.map((e) => ({ topic: e.topic, key: e.key, value: e.value, headers: e.headers })),
    );
  }

  /**
   * The broker refused a topic of the batch: each topic is sent on its own, so the refused ones are
   * set aside (with a flow event and one log line per topic) and the others go out. Returns what the
   * broker took.
   */
  private async sendTopicByTopic(batch: readonly PendingOutboxEntry[]): Promise<PendingOutboxEntry[]> {
    const byTopic = new Map<string, PendingOutboxEntry[]>();
    for (const e of batch) {
      const entries = byTopic.get(e.topic) ?? [];
      entries.push(e);
      byTopic.set(e.topic, entries);
    }
    const sent: PendingOutboxEntry[] = [];
    for (const [topic, entries] of byTopic) {
      try {
        await this.send(entries);
        sent.push(...entries);
      } catch (error) {
        if (!isTopicAuthorizationFailure(error)) throw error;
        this.setAside(topic, entries);
        await this.outbox.recordFailure(
          entries.map((e) => e.seq),
          `${ReasonCode.BROKER_DENIED}: the broker refused ${this.config.party} the topic ${topic}`,
        );
      }
    }
    return sent;
  }

  private setAside(topic: string, entries: readonly PendingOutboxEntry[]): void {
    const previous = this.refusedTopics.get(topic);
    const backoffMs = previous ? Math.min(previous.backoffMs * 2, 600_000) : 30_000;
    this.refusedTopics.set(topic, { until: Date.now() + backoffMs, backoffMs });
    this.logger.warn(
      `the broker refuses ${this.config.party} the topic ${topic} (${ReasonCode.BROKER_DENIED}): ` +
        `${entries.length} record(s) wait there, tried again in ${backoffMs / 1000} s; ` +
        'is the network provisioned for the agreements in force (npm run network:provision)?',
    );
    const at = this.clock.now().toISOString();
    for (const e of entries)
      this.flow.emit({
        at,
        node: this.config.party,
        stage: 'publish',
        outcome: ReasonCode.BROKER_DENIED,
        messageId: e.headers['puente-message-id'],
        type: e.headers['puente-type'],
        sender: e.headers['puente-sender'],
        recipient: e.headers['puente-recipient'],
        sizeBytes: Buffer.byteLength(e.value),
        durationMs: 0,
      });
  }

  private emitPublished(e: PendingOutboxEntry, at: Date, durationMs: number): void {
    this.flow.emit({
      at: at.toISOString(),
      node: this.config.party,
      stage: 'publish',
      outcome: e.kind === 'dead-letter' ? 'DEAD_LETTER' : 'OK',
      messageId: e.headers['puente-message-id'],
      type: e.headers['puente-type'],
      sender: e.headers['puente-sender'],
      recipient: e.headers['puente-recipient'],
      sizeBytes: Buffer.byteLength(e.value),
      durationMs,
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

function messageIds(batch: readonly PendingOutboxEntry[]): string[] {
  return batch.filter((e) => e.kind === 'message' && e.messageId).map((e) => e.messageId as string);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
