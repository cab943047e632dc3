import type { EachBatchPayload, Kafka } from 'kafkajs';

type Offsets = { topic: string; partition: number; offset: string }[];

/**
 * Just enough of a kafkajs consumer for unit tests of what drives one: it can be crashed, handed a
 * batch, and asked to commit (failing on demand). The broker itself is exercised by the integration
 * tests, never by this.
 */
export class FakeKafkaConsumer {
  readonly events = { CRASH: 'crash', GROUP_JOIN: 'join', STOP: 'stop', FETCH: 'fetch' };
  private readonly listeners = new Map<string, (e: unknown) => void>();
  running = false;
  disconnected = false;
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  readonly commits: Offsets[] = [];
  /** How many of the next commits fail, as during a rebalance. */
  failCommits = 0;
  /** The partitions the group gives this consumer when it joins (see rebalance). */
  assignment: number[] = [0, 1, 2];
  readonly seeks: Offsets = [];
  private topic = '';

  on(event: string, listener: (e: unknown) => void): () => void {
    this.listeners.set(event, listener);
    return () => this.listeners.delete(event);
  }
  connect = () => Promise.resolve();
  subscribe = (options: { topic: string }) => {
    this.topic = options.topic;
    return Promise.resolve();
  };
  seek = (o: { topic: string; partition: number; offset: string }) => {
    this.seeks.push(o);
  };
  run = (options?: { eachBatch?: (payload: EachBatchPayload) => Promise<void> }) => {
    this.running = true;
    this.eachBatch = options?.eachBatch;
    this.join();
    this.listeners.get(this.events.FETCH)?.({});
    return Promise.resolve();
  };
  disconnect = () => {
    this.disconnected = true;
    this.running = false;
    return Promise.resolve();
  };
  commitOffsets = (offsets: Offsets) => {
    if (this.failCommits > 0) {
      this.failCommits -= 1;
      return Promise.reject(new Error('The group is rebalancing'));
    }
    this.commits.push(offsets);
    return Promise.resolve();
  };

  /** The group gives this consumer `partitions` now (another member joined or left). */
  rebalance(partitions: number[]): void {
    this.assignment = partitions;
    this.join();
  }

  private join(): void {
    this.listeners.get(this.events.GROUP_JOIN)?.({
      payload: { memberAssignment: { [this.topic]: this.assignment } },
    });
  }

  crash(restart: boolean): void {
    this.running = false;
    this.listeners.get(this.events.CRASH)?.({
      payload: { error: new Error('Failed to find group coordinator'), restart },
    });
  }

  /** Hands a batch of `offsets` of one partition of `topic` to the consumer's eachBatch. */
  deliver(topic: string, partition: number, offsets: string[]): Promise<void> {
    const payload = {
      batch: {
        topic,
        partition,
        messages: offsets.map((offset) => ({ offset, key: null, value: Buffer.from('x'), headers: {} })),
      },
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: () => undefined,
      heartbeat: () => Promise.resolve(),
    } as unknown as EachBatchPayload;
    return this.eachBatch?.(payload) ?? Promise.resolve();
  }
}

/** A kafkajs client whose consumers are fakes, all kept in `consumers` in the order made. */
export function fakeKafka(): { kafka: Kafka; consumers: FakeKafkaConsumer[] } {
  const consumers: FakeKafkaConsumer[] = [];
  const kafka = {
    consumer: () => {
      const c = new FakeKafkaConsumer();
      consumers.push(c);
      return c;
    },
  } as unknown as Kafka;
  return { kafka, consumers };
}
