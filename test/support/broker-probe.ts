import { randomUUID } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { Kafka, logLevel } from 'kafkajs';
import { type KafkaClientSecurity, kafkajsSecurity } from '@app/messaging';

/**
 * A plain kafkajs client with no Puente code in the way: what a party, the monitor or an outsider can
 * do on the broker with the credentials it holds. Every method resolves to `'ok'` or to the Kafka error
 * code (or kafkajs error name) that refused it, so a test asserts the refusal by its code.
 */
export class BrokerProbe {
  private readonly kafka: Kafka;
  /**
   * Error codes the broker answered, as kafkajs logs them: some refusals (a group the principal may not
   * describe) surface from kafkajs only as "Failed to find group coordinator".
   */
  private readonly answered: string[] = [];

  constructor(brokers: readonly string[], security: KafkaClientSecurity) {
    this.kafka = new Kafka({
      clientId: `perimeter-probe-${randomUUID().slice(0, 8)}`,
      brokers: [...brokers],
      ...kafkajsSecurity(security),
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => {
        const error = (entry.log as { error?: unknown }).error;
        const type = typeof error === 'object' && error ? (error as { type?: unknown }).type : undefined;
        if (typeof type === 'string') this.answered.push(type);
        // A Metadata response refusing a topic is logged with its message only.
        else if (typeof error === 'string' && error.startsWith('Not authorized to access topics'))
          this.answered.push('TOPIC_AUTHORIZATION_FAILED');
      },
      connectionTimeout: 5_000,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
  }

  write(topic: string): Promise<string> {
    return this.outcome(async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: 'probe', value: 'probe' }] });
      } finally {
        await producer.disconnect();
      }
    });
  }

  /**
   * Joins `groupId` and reads `topic` until a record arrives ('ok'; the topic must hold one) or the
   * consumer is refused. kafkajs reports a refused subscription through the consumer's crash event,
   * and for an unauthorised topic only once the consumer stops: so it waits a few seconds for a record,
   * stops, and takes the crash that came, if any.
   */
  read(topic: string, groupId: string): Promise<string> {
    return this.outcome(async () => {
      const consumer = this.kafka.consumer({ groupId, retry: { retries: 0 } });
      let crash: unknown;
      consumer.on(consumer.events.CRASH, (e) => {
        crash ??= e.payload.error;
      });
      let received = false;
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: () => {
            received = true;
            return Promise.resolve();
          },
        });
        for (let waited = 0; waited < 8_000 && !received && !crash; waited += 100)
          await new Promise((r) => setTimeout(r, 100));
      } finally {
        await consumer.disconnect();
      }
      // The crash of a refused subscription is emitted just after the stop.
      for (let waited = 0; waited < 1_000 && !crash && !received; waited += 100)
        await new Promise((r) => setTimeout(r, 100));
      if (crash) throw crash instanceof Error ? crash : new Error('the consumer crashed');
      if (!received) throw new Error('no record arrived');
    });
  }

  createTopic(topic: string): Promise<string> {
    return this.outcome(async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      } finally {
        await admin.disconnect();
      }
    });
  }

  deleteTopic(topic: string): Promise<string> {
    return this.outcome(async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: [topic], timeout: 5_000 });
      } finally {
        await admin.disconnect();
      }
    });
  }

  /** 'ok', or the code that refused it; a refused group is named by what the broker answered. */
  async outcome(action: () => Promise<void>): Promise<string> {
    this.answered.length = 0;
    try {
      await action();
      return 'ok';
    } catch (error) {
      const code = kafkaCode(error);
      const refusal = this.answered.find((t) => t.endsWith('_AUTHORIZATION_FAILED'));
      const generic = code === 'KafkaJSGroupCoordinatorNotFound' || code === 'Error';
      return generic && refusal ? refusal : code;
    }
  }

  /** Connecting at all (an admin client's metadata request). */
  connect(): Promise<string> {
    return this.outcome(async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      try {
        await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    });
  }
}

/** A TLS handshake with `port` without a client certificate: 'ok', or what ended it. */
export function tlsHandshake(port: number, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      // TLS 1.3: the server checks the client certificate after the handshake; a refusal arrives as an
      // alert on the first read, so wait for data, an error or the close.
      socket.write(Buffer.from([0, 0, 0, 0]));
    });
    const done = (result: string) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(5_000, () => done('timeout'));
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('data', () => done('ok'));
    socket.on('end', () => done('closed'));
  });
}

/** The Kafka protocol error code (`TOPIC_AUTHORIZATION_FAILED`) or kafkajs error name behind a failure. */
export function kafkaCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const o = e as {
      type?: unknown;
      name?: unknown;
      message?: unknown;
      originalError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof o.type === 'string' && o.type !== 'UNKNOWN') return o.type;
    // kafkajs's consumer words a refused subscription this way, without the code.
    if (typeof o.message === 'string' && o.message.startsWith('Not authorized to access topics'))
      return 'TOPIC_AUTHORIZATION_FAILED';
    const nested =
      o.originalError ?? o.cause ?? (Array.isArray(o.errors) ? (o.errors as unknown[])[0] : undefined);
    if (!nested) return typeof o.name === 'string' ? o.name : 'Error';
    e = nested;
  }
  return 'Error';
}
