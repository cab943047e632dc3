import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { kafkajsSecurity } from '@app/messaging';
import { clientSecurityFor, type KafkaAccess } from '@app/testing';

export interface TappedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Direct access to the broker for tests: put records straight on a topic (as an attacker or a broken
 * peer would) and read back everything a topic holds.
 */
export class KafkaTap {
  private readonly kafka: Kafka;

  /** Connects as `principal` ('admin', a party or 'ops-monitor') where the broker is secured. */
  constructor(access: KafkaAccess, principal = 'admin') {
    this.kafka = new Kafka({
      clientId: 'puente-test-tap',
      brokers: [...access.brokers],
      ...kafkajsSecurity(clientSecurityFor(access, principal)),
      logLevel: logLevel.NOTHING,
    });
  }

  async produce(
    topic: string,
    records: readonly { key?: string | Buffer | null; value: string | Buffer; headers?: IHeaders }[],
  ): Promise<void> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key ?? null, value: r.value, headers: r.headers })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** How many records of `topic` the consumer group has not committed yet, summed over partitions. */
  async lag(groupId: string, topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      let lag = 0;
      for (const end of ends) {
        const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(end.high) - Math.max(Number(done), 0);
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads a topic from the beginning until no record arrived for `idleMs`. */
  async readAll(topic: string, idleMs = 1500): Promise<TappedRecord[]> {
    const consumer = this.kafka.consumer({ groupId: `tap-${randomUUID()}` });
    const records: TappedRecord[] = [];
    let last = Date.now();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          last = Date.now();
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {}))
            if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
          records.push({ topic, key: message.key?.toString() ?? null, value: message.value, headers });
          return Promise.resolve();
        },
      });
      const started = Date.now();
      while (Date.now() - last < idleMs || Date.now() - started < idleMs * 2)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await consumer.disconnect();
    }
    return records;
  }
}
