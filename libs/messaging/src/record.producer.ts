import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The node's producer. Idempotent with acks from all in-sync replicas, so a retried send never
 * duplicates a record on the broker and an acknowledged one survives the broker's restart.
 */
export class RecordProducer {
  private readonly producer: Producer;
  private connected = false;
  private closed = false;
  /** Why the last attempt to connect failed, in an operator's words (for /health). */
  private failure: string | undefined;

  constructor(kafka: Kafka, options: { idempotent: boolean } = { idempotent: true }) {
    this.producer = kafka.producer({
      idempotent: options.idempotent,
      maxInFlightRequests: options.idempotent ? 1 : 5,
      allowAutoTopicCreation: false,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get problem(): string | undefined {
    return this.connected ? undefined : this.failure;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
    this.failure = undefined;
  }

  /**
   * Connects, or keeps trying in the background (2 s, doubling to 30 s) while the brokers are away or
   * refuse this principal, so a node with wrong credentials still starts, says why on /health and
   * recovers on its own once the broker side is fixed. Resolves after the first attempt; never throws.
   */
  async connectOrKeepTrying(
    describe: (error: unknown) => string,
    log: (message: string) => void,
  ): Promise<void> {
    await this.attempt(2_000, describe, log);
  }

  private async attempt(
    nextDelay: number,
    describe: (error: unknown) => string,
    log: (message: string) => void,
  ): Promise<void> {
    if (this.closed || this.connected) return;
    const hadFailed = this.failure !== undefined;
    try {
      await this.connect();
      if (hadFailed) log('producer connected');
    } catch (error) {
      const problem = describe(error);
      // Logged when it changes, not at every attempt: one line per problem, not one per 30 s.
      if (problem !== this.failure) log(`producer cannot connect: ${problem}; retrying with backoff`);
      this.failure = problem;
      setTimeout(() => void this.attempt(Math.min(nextDelay * 2, 30_000), describe, log), nextDelay).unref();
    }
  }

  /** Sends records grouped by topic in one request; resolves once the broker acknowledged all of them. */
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.connected) await this.connect();
    const byTopic = new Map<
      string,
      { key: string | null; value: string; headers?: Record<string, string> }[]
    >();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined });
      byTopic.set(r.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.producer.disconnect();
    this.connected = false;
  }
}
