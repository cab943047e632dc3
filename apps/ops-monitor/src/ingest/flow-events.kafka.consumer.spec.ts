import type { Kafka } from 'kafkajs';
import { FlowEventsKafkaConsumer } from './flow-events.kafka.consumer';

/** Just enough of a kafkajs consumer to crash it: the broker itself is exercised by the integration tests. */
class FakeConsumer {
  readonly events = { CRASH: 'crash', GROUP_JOIN: 'join', STOP: 'stop', FETCH: 'fetch' };
  private readonly listeners = new Map<string, (e: unknown) => void>();
  running = false;
  disconnected = false;

  on(event: string, listener: (e: unknown) => void): () => void {
    this.listeners.set(event, listener);
    return () => this.listeners.delete(event);
  }
  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  run = () => {
    this.running = true;
    this.listeners.get(this.events.GROUP_JOIN)?.({});
    this.listeners.get(this.events.FETCH)?.({});
    return Promise.resolve();
  };
  disconnect = () => {
    this.disconnected = true;
    this.running = false;
    return Promise.resolve();
  };
  crash(restart: boolean): void {
    this.running = false;
    this.listeners.get(this.events.CRASH)?.({ payload: { error: new Error('coordinator'), restart } });
  }
}

describe('FlowEventsKafkaConsumer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function create() {
    const consumers: FakeConsumer[] = [];
    const kafka = {
      consumer: () => {
        const c = new FakeConsumer();
        consumers.push(c);
        return c;
      },
    } as unknown as Kafka;
    const source = new FlowEventsKafkaConsumer({
      kafka,
      topic: 'puente.ops.flow',
      groupId: 'm',
      fromBeginning: false,
      readyTimeoutMs: 10,
    });
    Object.defineProperty(source, 'logger', { value: { log: jest.fn(), warn: jest.fn(), error: jest.fn() } });
    return { source, consumers };
  }

  it('starts a new consumer when kafkajs gives up on a crashed one', async () => {
    const { source, consumers } = create();
    await source.start(() => undefined);
    expect(source.isRunning).toBe(true);

    consumers[0]?.crash(false);
    expect(source.isRunning).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumers).toHaveLength(2);
    expect(consumers[0]?.disconnected).toBe(true);
    expect(source.isRunning).toBe(true);
  });

  it('starts nothing once stopped', async () => {
    const { source, consumers } = create();
    await source.start(() => undefined);
    await source.stop();
    consumers[0]?.crash(false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumers).toHaveLength(1);
  });
});
