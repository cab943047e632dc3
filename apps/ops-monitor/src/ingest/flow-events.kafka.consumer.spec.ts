import { fakeKafka } from '@app/testing';
import { FlowEventsKafkaConsumer } from './flow-events.kafka.consumer';

describe('FlowEventsKafkaConsumer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function create() {
    const { kafka, consumers } = fakeKafka();
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
