import type { Kafka } from 'kafkajs';
import { KafkaInboxServer } from './kafka-inbox.server';

/** Just enough of a kafkajs consumer to crash it: the broker itself is exercised by the integration tests. */
class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' };
  private readonly listeners = new Map<string, (e: unknown) => void>();
  running = false;
  disconnected = false;

  on(event: string, listener: (e: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  run = () => {
    this.running = true;
    return Promise.resolve();
  };
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
});
