import { Logger } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { replaceCrashedConsumer } from './consumer-restart';

export interface TrustTopicOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  /** Called for each record value, in topic order; a throw is logged and the record skipped. */
  readonly onRecord: (value: string, offset: string) => Promise<void>;
}

/**
 * Reads the whole trust topic from the beginning at every start and then follows it: the key
 * announcements are replayed over the bootstrap trust store, and new ones are applied live. Offsets
 * are never committed (the group exists only so the broker's ACLs can name it): each start replays
 * everything, in order (one partition); announcements are few and small.
 */
export class TrustTopicConsumer {
  private readonly logger = new Logger('TrustTopic');
  private consumer: Consumer | undefined;
  private stopping = false;
  /** Next offset to read, per partition: how far the replay got. */
  private readonly reached = new Map<number, bigint>();

  constructor(private readonly options: TrustTopicOptions) {}

  /**
   * Starts following the topic and waits (at most `timeoutMs`) until everything on it when this was
   * called has been handled. Never throws: a broker that is away leaves the node on its bootstrap
   * trust store, with the consumer trying again in the background. Returns whether it caught up.
   */
  async start(timeoutMs: number): Promise<boolean> {
    let ends: Map<number, bigint>;
    try {
      ends = await this.endOffsets();
      await this.startConsumer();
    } catch (error) {
      this.logger.error(
        `cannot read ${this.options.topic}, keys from the bootstrap trust store only: ${messageOf(error)}`,
      );
      const failed = this.consumer;
      this.consumer = undefined;
      if (failed) void this.restart(failed);
      return false;
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ([...ends].every(([partition, end]) => (this.reached.get(partition) ?? 0n) >= end)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.logger.warn(`the replay of ${this.options.topic} did not finish within ${timeoutMs} ms; it goes on`);
    return false;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async endOffsets(): Promise<Map<number, bigint>> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart && !this.stopping) void this.restart(consumer);
    });
    // Every (re)join starts from the beginning: nothing is ever committed, and the replay is cheap.
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const payload = e.payload as { memberAssignment?: Record<string, number[]> } | undefined;
      for (const partition of payload?.memberAssignment?.[this.options.topic] ?? [])
        consumer.seek({ topic: this.options.topic, partition, offset: '0' });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value) {
          try {
            await this.options.onRecord(message.value.toString('latin1'), message.offset);
          } catch (error) {
            this.logger.error(
              `key announcement at offset ${message.offset} not handled: ${messageOf(error)}`,
            );
          }
        }
        this.reached.set(partition, BigInt(message.offset) + 1n);
      },
    });
  }

  private restart(crashed: Consumer): Promise<void> {
    return replaceCrashedConsumer(crashed, {
      stopping: () => this.stopping,
      start: () => this.startConsumer(),
      cleanUp: async () => {
        await this.consumer?.disconnect();
        this.consumer = undefined;
      },
      log: this.logger,
      what: 'trust topic consumer',
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
