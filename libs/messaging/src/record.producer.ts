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

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
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
    await this.producer.disconnect();
    this.connected = false;
  }
}
