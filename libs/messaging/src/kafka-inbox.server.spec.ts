import type { EachBatchPayload, Kafka } from 'kafkajs';
import { INBOX_RECORD_PATTERN } from './inbox-record';
import { KafkaInboxServer } from './kafka-inbox.server';

/** Just enough of a kafkajs consumer to crash it: the broker itself is exercised by the integration tests. */
class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' };
  private readonly listeners = new Map<string, (e: unknown) => void>();
  running = false;
  disconnected = false;
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  readonly commits: { topic: string; partition: number; offset: string }[][] = [];
  failCommits = 0;

  on(event: string, listener: (e: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  run = (options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
    this.running = true;
    this.eachBatch = options.eachBatch;
    return Promise.resolve();
  };
  commitOffsets = (offsets: { topic: string; partition: number; offset: string }[]) => {
    if (this.failCommits > 0) {
      this.failCommits -= 1;
      return Promise.reject(new Error('The group is rebalancing'));
    }
    this.commits.push(offsets);
    return Promise.resolve();
  };
  /** Hands a batch of `offsets` of one partition to the server, as kafkajs would. */
  deliver(partition: number, offsets: string[]): Promise<void> {
    const payload = {
      batch: {
        topic: 'p.inbox.us-cbp',
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
  disconnect = () => {
    this.disconnected = true;
    this.running = false;
    return Promise.resolve();
  };
  crash(restart: boolean): void {
    this.running = false;
    this.listeners.get(this.events.CRASH)?.({
      payload: { error: new Error('Failed to find group coordinator'), restart },
    });
  }
}

describe('KafkaInboxServer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function start() {
    const consumers: FakeConsumer[] = [];
    const kafka = {
      consumer: () => {
        const c = new FakeConsumer();
        consumers.push(c);
        return c;
      },
    } as unknown as Kafka;
    const server = new KafkaInboxServer({ kafka, topic: 'p.inbox.us-cbp', groupId: 'g' });
    // Nest's logger would print the crash; this test reads the server's state instead.
    Object.defineProperty(server, 'logger', { value: { log: jest.fn(), warn: jest.fn(), error: jest.fn() } });
    return { server, consumers };
  }

  it('starts a new consumer when kafkajs gives up on a crashed one, and reports not running meanwhile', async () => {
    const { server, consumers } = start();
    await server.listen(() => undefined);
    expect(server.isRunning).toBe(true);

    consumers[0]?.crash(false);
    await jest.advanceTimersByTimeAsync(0);
    expect(consumers[0]?.disconnected).toBe(true);
    expect(server.isRunning).toBe(false);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumers).toHaveLength(2);
    expect(consumers[1]?.running).toBe(true);
    expect(server.isRunning).toBe(true);
  });

  it('leaves a crash that kafkajs restarts itself to kafkajs, and starts nothing once closing', async () => {
    const { server, consumers } = start();
    await server.listen(() => undefined);
    consumers[0]?.crash(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(consumers).toHaveLength(1);

    await server.close();
    consumers[0]?.crash(false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumers).toHaveLength(1);
  });

  it('commits the offsets of handled records once per interval, not per batch, and when closing', async () => {
    const { server, consumers } = start();
    const handled: string[] = [];
    server.addHandler(
      INBOX_RECORD_PATTERN,
      (record: { offset: string }) => {
        handled.push(record.offset);
        return Promise.resolve();
      },
      true,
    );
    await server.listen(() => undefined);
    const consumer = consumers[0] as FakeConsumer;

    await consumer.deliver(0, ['5', '6']);
    await consumer.deliver(0, ['7']);
    await consumer.deliver(1, ['3']);
    expect(handled).toEqual(['5', '6', '7', '3']);
    expect(consumer.commits).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits).toEqual([
      [
        { topic: 'p.inbox.us-cbp', partition: 0, offset: '8' },
        { topic: 'p.inbox.us-cbp', partition: 1, offset: '4' },
      ],
    ]);

    // A failed commit is tried again at the next interval; nothing new means nothing to commit.
    await consumer.deliver(1, ['4']);
    consumer.failCommits = 1;
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits[1]).toEqual([{ topic: 'p.inbox.us-cbp', partition: 1, offset: '5' }]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.commits).toHaveLength(2);

    await consumer.deliver(2, ['0']);
    await server.close();
    expect(consumer.commits[2]).toEqual([{ topic: 'p.inbox.us-cbp', partition: 2, offset: '1' }]);
  });
});
