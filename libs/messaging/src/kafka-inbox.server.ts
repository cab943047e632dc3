import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { INBOX_RECORD_PATTERN, type InboxRecord } from './inbox-record';
import { readRoutingHeaders } from './record-headers';

export interface KafkaInboxServerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  /** Backoff between attempts when handling a record fails with a fault (database down, …). */
  readonly retryBackoffMs?: { readonly initial: number; readonly max: number };
}

/**
 * Nest transport strategy that feeds the node's inbox topic to the `@EventPattern(INBOX_RECORD_PATTERN)`
 * handler, one record at a time per partition, and commits a partition's offset only after the
 * handler resolved for every record before it. Bad records are the handler's business (it judges
 * them and resolves); a handler that throws signals a fault, and the same record is retried with
 * backoff until it succeeds or the node stops — never skipped, so nothing is lost.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaInboxServer.name);
  private consumer: Consumer | undefined;
  private stopping = false;
  private lastHandledAt: Date | undefined;

  constructor(private readonly options: KafkaInboxServerOptions) {
    super();
  }

  get isRunning(): boolean {
    return this.consumer !== undefined && !this.stopping;
  }

  get lastRecordHandledAt(): Date | undefined {
    return this.lastHandledAt;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const consumer = this.options.kafka.consumer({
        groupId: this.options.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      });
      this.consumer = consumer;
      consumer.on(consumer.events.CRASH, (e) =>
        this.logger.error(
          `inbox consumer crashed (restart: ${String(e.payload.restart)}): ${String(e.payload.error)}`,
        ),
      );
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.handleBatch(consumer, payload),
      });
      this.logger.log(`consuming ${this.options.topic} as group ${this.options.groupId}`);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): void {
    // No transport-level events are exposed; consumer crashes are logged above.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const isRunning = () => payload.isRunning();
    let lastDone: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || payload.isStale() || this.stopping) break;
      const handled = await this.handleWithRetry(
        this.toRecord(batch.topic, batch.partition, message),
        isRunning,
      );
      if (!handled) break;
      payload.resolveOffset(message.offset);
      lastDone = message.offset;
      await payload.heartbeat();
    }
    if (lastDone !== undefined) {
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(lastDone) + 1n).toString() },
      ]);
    }
  }

  /** Returns true once the handler resolved; false if the node is stopping before it could. */
  private async handleWithRetry(record: InboxRecord, isRunning: () => boolean): Promise<boolean> {
    const handler = this.getHandlerByPattern(INBOX_RECORD_PATTERN);
    if (!handler) throw new Error(`no handler registered for ${INBOX_RECORD_PATTERN}`);
    const backoff = this.options.retryBackoffMs ?? { initial: 200, max: 5_000 };
    for (let attempt = 0, delay = backoff.initial; ; attempt++, delay = Math.min(delay * 2, backoff.max)) {
      try {
        await lastValueFrom(this.transformToObservable(await handler(record)), { defaultValue: undefined });
        this.lastHandledAt = new Date();
        return true;
      } catch (error) {
        this.logger.warn(
          `handling ${record.topic}[${record.partition}]@${record.offset} failed (attempt ${attempt + 1}), retrying in ${delay} ms: ${error instanceof Error ? error.message : String(error)}`,
        );
        await new Promise((r) => setTimeout(r, delay));
        if (!isRunning() || this.stopping) return false;
      }
    }
  }

  private toRecord(topic: string, partition: number, m: KafkaMessage): InboxRecord {
    return {
      topic,
      partition,
      offset: m.offset,
      key: m.key ? m.key.toString('utf8') : null,
      value: m.value,
      headers: readRoutingHeaders(m.headers),
      sizeBytes: m.value?.length ?? 0,
    };
  }
}
