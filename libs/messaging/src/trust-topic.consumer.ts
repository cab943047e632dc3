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
    const deadline = Date.now() + timeoutMs;
    // A broker that refuses or is away does not hold the node's start: it serves on its bootstrap
    // trust store while the consumer keeps trying in the background.
    let failedOnce: () => void = () => undefined;
    const firstFailure = new Promise<undefined>((resolve) => {
      failedOnce = () => resolve(undefined);
    });
    const begun = this.begin(() => failedOnce());
    const ends = await Promise.race([begun, firstFailure, sleep(timeoutMs).then(() => undefined)]);
    if (!ends) {
      this.logger.warn(
        `cannot read ${this.options.topic} yet: keys from the bootstrap trust store until it can`,
      );
      return false;
    }
    while (Date.now() < deadline) {
      if ([...ends].every(([partition, end]) => (this.reached.get(partition) ?? 0n) >= end)) return true;
      await sleep(50);
    }
    this.logger.warn(`the replay of ${this.options.topic} did not finish within ${timeoutMs} ms; it goes on`);
    return false;
  }

  /**
   * The topic's end offsets, then the consumer running; a failure (broker away, credentials refused)
   * is logged and tried again with backoff, in the background, until it runs or the node stops.
   */
  private async begin(onFailure: () => void): Promise<Map<number, bigint> | undefined> {
    for (let delay = 1_000; !this.stopping; delay = Math.min(delay * 2, 30_000)) {
      try {
        const ends = await this.endOffsets();
        await this.startConsumer();
        return ends;
      } catch (error) {
        this.logger.error(`cannot read ${this.options.topic} (again in ${delay} ms): ${messageOf(error)}`);
        onFailure();
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        await sleep(delay);
      }
    }
    return undefined;
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
      // A node killed without leaving the group holds up its next start's join until the broker
      // drops it: keep that short (the broker's minimum is 6 s).
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
