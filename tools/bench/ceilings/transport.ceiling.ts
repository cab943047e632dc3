import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { uuidv7 } from '@app/contracts';
import {
  createKafka,
  ensureTopics,
  type KafkaClientSecurity,
  type OutgoingRecord,
  RecordProducer,
} from '@app/messaging';
import { type OpRate, type Percentiles, percentilesOf, rateOf } from './op-rate';

export interface TransportCeilingOptions {
  readonly brokers: string[];
  /** The same TLS and SCRAM as the nodes (as the broker admin: the ceiling creates its own topics). */
  readonly security?: KafkaClientSecurity;
  /** Records produced in each phase. */
  readonly count: number;
  /** Size of each record value in bytes (base64url text, as a compact JWS is). */
  readonly payloadBytes: number;
  /** Topic prefix; a unique suffix is added and the topics are deleted afterwards. */
  readonly topic?: string;
  /** Records per sendBatch call (default 250). */
  readonly batchSize?: number;
  /** Size of each reply record in the round-trip phase (default 650, a signed receipt's size). */
  readonly replyBytes?: number;
  /** Give up waiting for the consumer after this long (default 120 s). */
  readonly timeoutMs?: number;
}

export interface OneWayFigures {
  /** Measured: first sendBatch started → last sendBatch acknowledged (acks -1). */
  readonly produce: OpRate;
  /** Measured: first sendBatch started → last record consumed by the one consumer. */
  readonly endToEnd: OpRate;
  /** Measured per record: consumed at − produced at (header), in ms. */
  readonly latencyMs: Percentiles;
}

export interface RoundTripFigures {
  /** Measured: first message sent → last reply consumed back; ops = messages whose reply came back. */
  readonly endToEnd: OpRate;
  /** Measured per message: its reply consumed at − message produced at, in ms. */
  readonly latencyMs: Percentiles;
}

/** Both phases run after an untimed warm-up of up to 1,000 records on a topic of their own. */
export interface TransportCeiling {
  readonly count: number;
  readonly payloadBytes: number;
  readonly replyBytes: number;
  readonly batchSize: number;
  readonly partitions: number;
  readonly producer: { readonly idempotent: true; readonly acks: -1; readonly maxInFlightRequests: 1 };
  /** Phase 1: `count` records to one topic, consumed by one consumer (eachBatch, committing). */
  readonly oneWay: OneWayFigures;
  /**
   * Phase 2: `count` messages; a responder consumes each batch, produces one small reply per message
   * (as a receipt answers a message) on a second topic, commits; a third consumer reads the replies.
   */
  readonly roundTrip: RoundTripFigures;
  /**
   * Derived: a delivered message needs two records on the broker (the message and its receipt), so
   * the one-way end-to-end records/s ÷ 2. Conservative: it assumes one producer carries both records,
   * whereas the sender produces the message and the recipient the receipt, each with its own producer
   * (as the measured roundTrip.endToEnd does), so the measured figure usually comes out higher.
   */
  readonly deliveredPerSecondDerived: number;
  /** kafkajs warnings and errors seen during the run (the module prints nothing). */
  readonly brokerLog: readonly string[];
}

const PARTITIONS = 3;
const PRODUCED_AT = 'bench-produced-at';
const DEFAULT_BATCH = 250;
const DEFAULT_REPLY_BYTES = 650;
const WARM_UP_RECORDS = 1_000;

/**
 * The transport ceiling: kafkajs alone, through the project's producer (RecordProducer: idempotent,
 * acks -1, one request in flight, no compression) and a consumer that commits per batch as the
 * inbox does — the rate no node can beat, whatever its crypto and database cost.
 */
export async function measureTransportCeiling(opts: TransportCeilingOptions): Promise<TransportCeiling> {
  const { count, payloadBytes } = opts;
  if (!(count > 0) || !(payloadBytes > 0)) throw new RangeError('count and payloadBytes must be positive');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const replyBytes = opts.replyBytes ?? DEFAULT_REPLY_BYTES;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const brokerLog: string[] = [];
  const kafka = createKafka(
    { brokers: opts.brokers, clientId: 'bench-transport-ceiling', security: opts.security },
    (level, text) => {
      if (level !== 'info' && brokerLog.length < 50) brokerLog.push(`${level}: ${text}`);
    },
  );
  const prefix = `${opts.topic ?? 'puente-bench.ceiling'}.${Date.now().toString(36)}`;
  const topics = {
    warmUp: `${prefix}.warm-up`,
    oneWay: `${prefix}.one-way`,
    messages: `${prefix}.messages`,
    replies: `${prefix}.replies`,
  };
  const created = await ensureTopics(kafka, Object.values(topics), PARTITIONS);
  const run = new Run(kafka, `${prefix}.`, timeoutMs);
  try {
    // Untimed: connections, metadata, the group coordinator and the JIT, paid before measuring.
    await measureOneWay(run, topics.warmUp, Math.min(count, WARM_UP_RECORDS), payloadBytes, batchSize);
    const oneWay = await measureOneWay(run, topics.oneWay, count, payloadBytes, batchSize);
    const roundTrip = await measureRoundTrip(run, topics, count, payloadBytes, replyBytes, batchSize);
    return {
      count,
      payloadBytes,
      replyBytes,
      batchSize,
      partitions: PARTITIONS,
      producer: { idempotent: true, acks: -1, maxInFlightRequests: 1 },
      oneWay,
      roundTrip,
      deliveredPerSecondDerived: oneWay.endToEnd.opsPerSecond / 2,
      brokerLog,
    };
  } finally {
    await run.close();
    await deleteTopics(kafka, created);
  }
}

async function measureOneWay(
  run: Run,
  topic: string,
  count: number,
  payloadBytes: number,
  batchSize: number,
): Promise<OneWayFigures> {
  const latencies: number[] = [];
  const { finished: consumed } = await run.consume(topic, count, (message) => {
    latencies.push(now() - producedAt(message.headers));
  });
  const producer = await run.producer();
  const started = now();
  await produceAll(producer, topic, count, payloadBytes, batchSize);
  const produced = now();
  const finished = await consumed;
  return {
    produce: rateOf(count, produced - started),
    endToEnd: rateOf(count, finished - started),
    latencyMs: percentilesOf(latencies),
  };
}

async function measureRoundTrip(
  run: Run,
  topics: { readonly messages: string; readonly replies: string },
  count: number,
  payloadBytes: number,
  replyBytes: number,
  batchSize: number,
): Promise<RoundTripFigures> {
  const responder = await run.producer();
  const replyValue = valueOf(replyBytes);
  // The responder answers each batch with one sendBatch, before its offsets are committed.
  await run.consume(topics.messages, count, undefined, async (messages) => {
    await responder.send(
      messages.map((m) => ({
        topic: topics.replies,
        key: m.key?.toString('utf8') ?? null,
        value: replyValue,
        headers: { [PRODUCED_AT]: String(producedAt(m.headers)) },
      })),
    );
  });
  const latencies: number[] = [];
  const { finished: repliesBack } = await run.consume(topics.replies, count, (reply) => {
    latencies.push(now() - producedAt(reply.headers));
  });
  const producer = await run.producer();
  const started = now();
  await produceAll(producer, topics.messages, count, payloadBytes, batchSize);
  const finished = await repliesBack;
  return { endToEnd: rateOf(count, finished - started), latencyMs: percentilesOf(latencies) };
}

/** Sequential sendBatch calls: an idempotent producer with one request in flight allows no more. */
async function produceAll(
  producer: RecordProducer,
  topic: string,
  count: number,
  payloadBytes: number,
  batchSize: number,
): Promise<void> {
  const value = valueOf(payloadBytes);
  for (let sent = 0; sent < count; sent += batchSize) {
    const at = String(now());
    const records: OutgoingRecord[] = [];
    for (let i = sent; i < Math.min(count, sent + batchSize); i++)
      records.push({ topic, key: uuidv7(), value, headers: { [PRODUCED_AT]: at } });
    await producer.send(records);
  }
}

type BatchMessage = EachBatchPayload['batch']['messages'][number];

/** The producers and consumers of one measurement, closed together however it ends. */
class Run {
  private readonly producers: RecordProducer[] = [];
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly groupPrefix: string,
    private readonly timeoutMs: number,
  ) {}

  async producer(): Promise<RecordProducer> {
    const producer = new RecordProducer(this.kafka);
    this.producers.push(producer);
    await producer.connect();
    return producer;
  }

  /**
   * Starts a consumer on `topic` and waits until it has joined its group and been assigned all
   * partitions. `finished` resolves at the moment the `expected`-th record was handled (wrapped in
   * an object: an async function returning the bare promise would wait for it).
   */
  async consume(
    topic: string,
    expected: number,
    onMessage?: (m: BatchMessage) => void,
    onBatch?: (messages: BatchMessage[]) => Promise<void>,
  ): Promise<{ readonly finished: Promise<number> }> {
    const consumer = this.kafka.consumer({
      groupId: `${this.groupPrefix}${topic}`,
      allowAutoTopicCreation: false,
    });
    this.consumers.push(consumer);
    let seen = 0;
    let done: (at: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (done = resolve));
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const { messages } = batch;
        const last = messages[messages.length - 1];
        if (!last) return;
        if (onMessage) for (const m of messages) onMessage(m);
        if (onBatch) await onBatch(messages);
        payload.resolveOffset(last.offset);
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
        ]);
        await payload.heartbeat();
        seen += messages.length;
        if (seen >= expected) done(now());
      },
    });
    await withTimeout(joined, this.timeoutMs, `the consumer of ${topic} did not join its group`);
    const bounded = withTimeout(
      finished,
      this.timeoutMs,
      `the consumer of ${topic} did not see ${expected} records`,
    );
    // Awaited later, after producing: until then a timeout must not count as an unhandled rejection.
    bounded.catch(() => undefined);
    return { finished: bounded };
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      ...this.consumers.map((c) => c.disconnect()),
      ...this.producers.map((p) => p.disconnect()),
    ]);
  }
}

async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] });
  } finally {
    await admin.disconnect();
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across this process. */
const now = (): number => performance.timeOrigin + performance.now();

function producedAt(headers: BatchMessage['headers']): number {
  const raw = headers?.[PRODUCED_AT];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return Number(value?.toString());
}

/** A record value of `bytes` base64url characters: incompressible, ASCII like a compact JWS. */
const valueOf = (bytes: number): string =>
  randomBytes(Math.ceil((bytes * 3) / 4) + 1)
    .toString('base64url')
    .slice(0, bytes);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
