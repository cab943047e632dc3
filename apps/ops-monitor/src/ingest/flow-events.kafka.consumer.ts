import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { replaceCrashedConsumer } from '@app/messaging';
import type { FlowSource } from './flow.source';

export interface FlowEventsKafkaConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  /** How long `start` waits for the first fetch (partitions assigned, offsets resolved) before going on. */
  readonly readyTimeoutMs?: number;
}

/**
 * Reads `<ns>.ops.flow` in its own consumer group. Monitoring tolerates loss better than delay: offsets
 * are auto-committed, every record is handed over once and never retried, and a bad record cannot
 * stop the partition (the sink counts and skips it).
 */
export class FlowEventsKafkaConsumer implements FlowSource {
  private readonly logger = new Logger('FlowConsumer');
  private consumer: Consumer | undefined;
  private running = false;
  private stopping = false;

  constructor(private readonly options: FlowEventsKafkaConsumerOptions) {}

  get description(): string {
    return this.options.topic;
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(onRecord: (value: Buffer | null, where: string) => void): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      // An idle fetch returns after 500 ms, so the first fetch — the sign the consumer is ready — comes quickly.
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.running = false;
      this.logger.error(
        `flow consumer crashed (kafkajs restarts it: ${String(e.payload.restart)}): ${String(e.payload.error)}`,
      );
      // Left stopped by kafkajs, the dashboard would freeze (see replaceCrashedConsumer).
      if (!e.payload.restart && !this.stopping) void this.restart(consumer, onRecord);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.running = true;
    });
    consumer.on(consumer.events.STOP, () => {
      this.running = false;
    });
    const firstFetch = new Promise<boolean>((resolve) => {
      const off = consumer.on(consumer.events.FETCH, () => {
        off();
        resolve(true);
      });
      setTimeout(() => resolve(false), this.options.readyTimeoutMs ?? 20_000).unref();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
    await consumer.run({ eachBatch: (payload) => this.handleBatch(payload, onRecord) });
    if (!(await firstFetch))
      this.logger.warn(
        `no fetch from ${this.options.topic} yet; the monitor will show events once one completes`,
      );
    this.logger.log(`consuming ${this.options.topic} as group ${this.options.groupId}`);
  }

  /** A new consumer in place of one kafkajs will not restart. */
  private restart(crashed: Consumer, onRecord: (value: Buffer | null, where: string) => void): Promise<void> {
    return replaceCrashedConsumer(crashed, {
      what: 'flow consumer',
      stopping: () => this.stopping,
      start: () => this.start(onRecord),
      cleanUp: async () => this.consumer?.disconnect(),
      log: this.logger,
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async handleBatch(
    payload: EachBatchPayload,
    onRecord: (value: Buffer | null, where: string) => void,
  ): Promise<void> {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      onRecord(message.value, `${batch.topic}[${batch.partition}]@${message.offset}`);
      payload.resolveOffset(message.offset);
    }
    await payload.heartbeat();
  }
}
