import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { replaceCrashedConsumer } from './consumer-restart';
import { classifyInboxFault } from './inbox-fault';
import {
  INBOX_RECORD_PATTERN,
  INBOX_SET_ASIDE_PATTERN,
  type InboxRecord,
  type SetAsideRecord,
} from './inbox-record';
import { PartitionProgress, type PartitionStall } from './partition-progress';
import { cleanUtf8 } from './preserved-bytes';
import { readRoutingHeaders } from './record-headers';

type MessageHandler = NonNullable<ReturnType<Server['getHandlerByPattern']>>;

export interface KafkaInboxServerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  /** Backoff between attempts when handling a record fails with a fault (database down, …). */
  readonly retryBackoffMs?: { readonly initial: number; readonly max: number };
  /** Records of one partition's batch handled at once (default 64); offsets still commit in order. */
  readonly concurrency?: number;
  /** A fetch waits up to `maxWaitMs` for `minBytes` (default 1 byte, 500 ms: it answers at once). */
  readonly fetch?: { readonly minBytes: number; readonly maxWaitMs: number };
  /**
   * How often the offsets of handled records are committed (default 500 ms), rather than after every
   * batch: one commit request per interval instead of one per partition batch. Records handled but
   * not yet committed when a node dies are delivered again and judged duplicates.
   */
  readonly commitIntervalMs?: number;
  /** Says in an operator's words why the consumer cannot start (e.g. authentication failed). */
  readonly describeFailure?: (error: unknown) => string;
  /**
   * Attempts at a record whose handler fails with a fault that is neither a transient outage nor
   * plainly permanent, before it is set aside (default 5). Transient faults are retried without limit.
   */
  readonly maxAttempts?: number;
  /** A partition with lag whose offset has not moved for this long is reported stalled (default 60 s). */
  readonly stallAfterMs?: number;
  /**
   * Whether what the handler depends on (the database) answers. An unclassified fault while it does
   * not counts as transient — never towards `maxAttempts` — so an outage that fails in words the
   * classifier does not know still cannot get genuine records set aside.
   */
  readonly dependenciesUp?: () => Promise<boolean>;
  /**
   * Where the consumer resumes, kept with the node's data: loaded when the consumer starts (each
   * assigned partition seeks there), saved before the same offsets are committed to the broker.
   * Without it the broker's committed offsets alone decide, and a node whose database is restored
   * from a backup would never read again what it received since.
   */
  readonly offsets?: InboxOffsetStore;
}

/** The node's own record of where its inbox consumer is, per partition (see InboxOffsetsRepository). */
export interface InboxOffsetStore {
  load(topic: string): Promise<readonly { partition: number; offset: string }[]>;
  save(topic: string, offsets: readonly { partition: number; offset: string }[]): Promise<void>;
}

/**
 * Nest transport strategy that feeds the node's inbox topic to the `@EventPattern(INBOX_RECORD_PATTERN)`
 * handler — every partition at once, and within a partition's batch up to `concurrency` records at a
 * time (each record is an independent message; the inbox is idempotent by sender and id) — and
 * commits a partition's offset (every `commitIntervalMs`) only after the handler resolved for every
 * record before it. Bad records are the handler's business (it judges them and resolves); a handler
 * that throws signals a fault, classified by {@link classifyInboxFault}: a transient one (database or
 * broker away) is retried with backoff until it succeeds or the node stops — never skipped; a
 * permanent one (bytes the database refuses, a broken constraint), or one still failing after
 * `maxAttempts`, hands the record to the `INBOX_SET_ASIDE_PATTERN` handler (dead letter and rejection
 * row), and the partition moves on. One poison record never stalls a partition.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaInboxServer.name);
  private consumer: Consumer | undefined;
  private stopping = false;
  private lastHandledAt: Date | undefined;
  /** Next offset to commit, by partition: every record before it is handled. */
  private readonly handledUpTo = new Map<number, string>();
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();
  /** Why the consumer is not running, when it is not (for /health). */
  private failure: string | undefined;
  private readonly progress = new PartitionProgress();
  /** The partitions the group gave this consumer in its latest join. */
  private assigned = new Set<number>();
  private handler: MessageHandler | undefined;

  constructor(private readonly options: KafkaInboxServerOptions) {
    super();
  }

  get isRunning(): boolean {
    return this.consumer !== undefined && !this.stopping;
  }

  get problem(): string | undefined {
    return this.isRunning ? undefined : this.failure;
  }

  get lastRecordHandledAt(): Date | undefined {
    return this.lastHandledAt;
  }

  /** Partitions with lag whose offset has not moved for longer than `stallAfterMs`. */
  get stalls(): PartitionStall[] {
    return this.progress.stalls(this.options.stallAfterMs ?? 60_000);
  }

  /** Age in seconds of the oldest record fetched and not yet handled (0 when none waits). */
  get oldestUnhandledAgeSeconds(): number {
    return this.progress.oldestUnhandledAgeSeconds();
  }

  /**
   * Starts consuming. A consumer that cannot start (brokers away, credentials refused, an untrusted
   * certificate) does not stop the node: the reason is logged and shown on /health, and the consumer
   * is started again with backoff until it runs.
   */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.startConsumer();
    } catch (error) {
      this.noteFailure(error);
      const failed = this.consumer;
      this.consumer = undefined;
      if (failed) void this.restartConsumer(failed);
    }
    callback();
  }

  private noteFailure(error: unknown): void {
    const problem =
      this.options.describeFailure?.(error) ?? (error instanceof Error ? error.message : String(error));
    if (problem !== this.failure) this.logger.error(`inbox consumer cannot start: ${problem}`);
    this.failure = problem;
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // By default the broker answers a fetch as soon as there is a record (no added latency), and an
      // idle node asks twice a second. Under load, batches fill while the previous one is handled.
      minBytes: this.options.fetch?.minBytes ?? 1,
      maxWaitTimeInMs: this.options.fetch?.maxWaitMs ?? 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.logger.error(
        `inbox consumer crashed (kafkajs restarts it: ${String(e.payload.restart)}): ${String(e.payload.error)}`,
      );
      // Left stopped by kafkajs, the inbox would stall for good (see replaceCrashedConsumer).
      if (!e.payload.restart && !this.stopping) {
        this.noteFailure(e.payload.error);
        void this.restartConsumer(consumer);
      }
    });
    // A partition this consumer no longer owns is another member's (another replica of the node, or a
    // process that replaced this one) to report and to commit: forget its progress. Every partition it
    // owns now resumes where the node's database says, read at this join — see resumeFromStore.
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const payload = e.payload as { memberAssignment?: Record<string, number[]> } | undefined;
      const assigned = payload?.memberAssignment?.[this.options.topic] ?? [];
      this.assigned = new Set(assigned);
      this.progress.keepOnly(assigned);
      void this.resumeFromStore(consumer, assigned);
    });
    this.assigned = new Set();
    this.progress.keepOnly([]);
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 3,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.commitTimer ??= setInterval(() => void this.commitHandled(), this.options.commitIntervalMs ?? 500);
    this.commitTimer.unref();
    this.failure = undefined;
    this.logger.log(`consuming ${this.options.topic} as group ${this.options.groupId}`);
  }

  /**
   * Commits the offsets of the records handled since the last commit. A commit that fails (the group
   * is rebalancing, the broker is away) is tried again at the next interval; meanwhile those records
   * would only be delivered again, and judged duplicates.
   */
  commitHandled(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const consumer = this.consumer;
      if (!consumer || this.handledUpTo.size === 0) return;
      const offsets = [...this.handledUpTo].map(([partition, offset]) => ({
        topic: this.options.topic,
        partition,
        offset,
      }));
      this.handledUpTo.clear();
      try {
        // The database first: a position it holds is one whose records' effects it holds too. It
        // never moves backwards, so a position from a partition since given to another replica is
        // still true there. The broker takes only the partitions this consumer owns: a late commit
        // for one it lost would move the new owner's committed offset back (kafkajs issue 1046).
        await this.options.offsets?.save(this.options.topic, offsets);
        const owned = offsets.filter((o) => this.assigned.has(o.partition));
        if (owned.length > 0) await consumer.commitOffsets(owned);
      } catch (error) {
        for (const o of offsets)
          if (!this.handledUpTo.has(o.partition)) this.handledUpTo.set(o.partition, o.offset);
        this.logger.warn(
          `committing inbox offsets failed, trying again in the next interval: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    return this.committing;
  }

  /**
   * Seeks each partition just assigned to the position the node's database holds for it, read now —
   * not when this process started: with replicas, a partition may come here long after, from another
   * replica that moved it on. The database's position is always true (every record before it is
   * handled, its effects committed) and usually at or ahead of the broker's committed offset; behind
   * it only when the database was restored from a backup, and then the records since are read again.
   * A seek after the first fetch marks that batch stale (kafkajs drops it): at worst records are
   * handled twice, which the idempotent inbox absorbs. Without a stored position the broker's decides.
   */
  private async resumeFromStore(consumer: Consumer, partitions: readonly number[]): Promise<void> {
    if (!this.options.offsets || partitions.length === 0) return;
    let stored: readonly { partition: number; offset: string }[];
    try {
      stored = await this.options.offsets.load(this.options.topic);
    } catch (error) {
      this.logger.warn(
        `reading the stored inbox offsets failed; the broker's committed offsets decide: ${describeError(error)}`,
      );
      return;
    }
    const mine = stored.filter((o) => partitions.includes(o.partition) && this.assigned.has(o.partition));
    if (mine.length === 0 || this.consumer !== consumer) return;
    for (const { partition, offset } of mine) consumer.seek({ topic: this.options.topic, partition, offset });
    this.logger.log(
      `resuming ${this.options.topic} from the offsets in the database: ${mine.map((o) => `${o.partition}@${o.offset}`).join(', ')}`,
    );
  }

  /** A new consumer in place of one kafkajs will not restart; meanwhile health says not consuming. */
  private async restartConsumer(crashed: Consumer): Promise<void> {
    if (this.consumer === crashed) this.consumer = undefined;
    await replaceCrashedConsumer(crashed, {
      what: 'inbox consumer',
      stopping: () => this.stopping,
      start: () => this.startConsumer(),
      cleanUp: async () => this.consumer?.disconnect(),
      log: this.logger,
      onFailure: (error) => this.noteFailure(error),
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = undefined;
    await this.commitHandled();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): void {
    // No transport-level events are exposed; consumer crashes are logged above.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const isRunning = () => payload.isRunning();
    const concurrency = this.options.concurrency ?? 64;
    let lastDone: string | undefined;
    const first = batch.messages[0];
    if (first) this.progress.fetched(batch.partition, batch.highWatermark ?? first.offset, first.offset);
    for (let i = 0; i < batch.messages.length; i += concurrency) {
      if (!isRunning() || payload.isStale() || this.stopping) break;
      const chunk = batch.messages.slice(i, i + concurrency);
      if (chunk[0]) this.progress.pending(batch.partition, Number(chunk[0].timestamp));
      const handled = await Promise.all(
        chunk.map((m) => this.handleWithRetry(this.toRecord(batch.topic, batch.partition, m), isRunning)),
      );
      // A record not handled (the node is stopping) keeps its offset and every later one uncommitted.
      const done = handled.indexOf(false);
      const last = chunk[done === -1 ? chunk.length - 1 : done - 1];
      if (last) {
        payload.resolveOffset(last.offset);
        lastDone = last.offset;
        this.progress.handled(batch.partition, (BigInt(last.offset) + 1n).toString());
      }
      if (done !== -1) break;
      await payload.heartbeat();
    }
    // Committed with the others at the next interval (commitHandled).
    if (lastDone !== undefined) this.handledUpTo.set(batch.partition, (BigInt(lastDone) + 1n).toString());
  }

  /**
   * Returns true once the record is done with — handled, or set aside after a permanent fault or
   * `maxAttempts` unclassified ones; false if the node is stopping before it could be.
   */
  private async handleWithRetry(record: InboxRecord, isRunning: () => boolean): Promise<boolean> {
    const handler = this.recordHandler();
    const backoff = this.options.retryBackoffMs ?? { initial: 200, max: 5_000 };
    const maxAttempts = this.options.maxAttempts ?? 5;
    let failed = 0;
    let lastFailure = '';
    for (let attempt = 0, delay = backoff.initial; ; attempt++, delay = Math.min(delay * 2, backoff.max)) {
      const giveUp = failed >= maxAttempts;
      try {
        if (giveUp) await this.setAside(record, lastFailure, attempt);
        else await this.invoke(handler, record);
        this.lastHandledAt = new Date();
        return true;
      } catch (error) {
        let kind = classifyInboxFault(error);
        if (kind === 'unknown' && !(await this.dependenciesUp())) kind = 'transient';
        const message = describeError(error);
        if (!giveUp && kind !== 'transient') {
          failed = kind === 'permanent' ? maxAttempts : failed + 1;
          lastFailure = message;
        }
        const at = `${record.topic}[${record.partition}]@${record.offset}`;
        if (!giveUp && failed >= maxAttempts) {
          this.logger.warn(
            `handling ${at} failed (${kind}, attempt ${attempt + 1}): setting it aside: ${message}`,
          );
          continue;
        }
        this.logger.warn(
          `${giveUp ? 'setting aside' : 'handling'} ${at} failed (${kind}, attempt ${attempt + 1}), retrying in ${delay} ms: ${message}`,
        );
        await new Promise((r) => setTimeout(r, delay));
        if (!isRunning() || this.stopping) return false;
      }
    }
  }

  /**
   * The `INBOX_RECORD_PATTERN` handler, looked up once: Nest's lookup first tries the pattern as
   * JSON, and a plain string pattern makes that throw — an exception per record, on the hot path.
   */
  private recordHandler(): MessageHandler {
    if (this.handler) return this.handler;
    const handler = this.getHandlerByPattern(INBOX_RECORD_PATTERN);
    if (!handler) throw new Error(`no handler registered for ${INBOX_RECORD_PATTERN}`);
    this.handler = handler;
    return handler;
  }

  private async dependenciesUp(): Promise<boolean> {
    try {
      return (await this.options.dependenciesUp?.()) ?? true;
    } catch {
      return false;
    }
  }

  private async invoke(handler: MessageHandler, data: unknown) {
    await lastValueFrom(this.transformToObservable(await handler(data)), { defaultValue: undefined });
  }

  private async setAside(record: InboxRecord, failure: string, attempts: number): Promise<void> {
    const handler = this.getHandlerByPattern(INBOX_SET_ASIDE_PATTERN);
    if (!handler) throw new Error(`no handler registered for ${INBOX_SET_ASIDE_PATTERN}`);
    const aside: SetAsideRecord = { record, failure, attempts };
    await this.invoke(handler, aside);
  }

  private toRecord(topic: string, partition: number, m: KafkaMessage): InboxRecord {
    return {
      topic,
      partition,
      offset: m.offset,
      key: m.key ? (cleanUtf8(m.key) ?? null) : null,
      value: m.value,
      headers: readRoutingHeaders(m.headers),
      sizeBytes: m.value?.length ?? 0,
      rawKey: m.key,
      rawHeaders: m.headers ?? {},
    };
  }
}

/** One line about a fault, bounded: a database error can quote the offending input. */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const line = text.split('\n')[0]?.replace(/[\u0000-\u001f\u007f]/g, '?') ?? '';
  return `${typeof code === 'string' ? `[${code}] ` : ''}${line.slice(0, 300)}`;
}
