import { fakeKafka } from '@app/testing';
import { INBOX_RECORD_PATTERN, INBOX_SET_ASIDE_PATTERN, type SetAsideRecord } from './inbox-record';
import { KafkaInboxServer } from './kafka-inbox.server';

describe('KafkaInboxServer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function start() {
    const { kafka, consumers } = fakeKafka();
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
    const consumer = consumers[0];
    if (!consumer) throw new Error('no consumer was made');
    const deliver = (partition: number, offsets: string[]) =>
      consumer.deliver('p.inbox.us-cbp', partition, offsets);

    await deliver(0, ['5', '6']);
    await deliver(0, ['7']);
    await deliver(1, ['3']);
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
    await deliver(1, ['4']);
    consumer.failCommits = 1;
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits[1]).toEqual([{ topic: 'p.inbox.us-cbp', partition: 1, offset: '5' }]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.commits).toHaveLength(2);

    await deliver(2, ['0']);
    await server.close();
    expect(consumer.commits[2]).toEqual([{ topic: 'p.inbox.us-cbp', partition: 2, offset: '1' }]);
  });

  it('after a rebalance: commits to the broker only partitions it owns, and seeks new ones to the stored position', async () => {
    const { kafka, consumers } = fakeKafka();
    const saved: { partition: number; offset: string }[][] = [];
    const stored = new Map<number, string>([[1, '40']]);
    const server = new KafkaInboxServer({
      kafka,
      topic: 'p.inbox.us-cbp',
      groupId: 'g',
      offsets: {
        load: () => Promise.resolve([...stored].map(([partition, offset]) => ({ partition, offset }))),
        save: (_topic, offsets) => {
          saved.push(offsets.map((o) => ({ partition: o.partition, offset: o.offset })));
          return Promise.resolve();
        },
      },
    });
    Object.defineProperty(server, 'logger', { value: { log: jest.fn(), warn: jest.fn(), error: jest.fn() } });
    server.addHandler(INBOX_RECORD_PATTERN, () => Promise.resolve(), true);
    await server.listen(() => undefined);
    const consumer = consumers[0];
    if (!consumer) throw new Error('no consumer was made');
    await jest.advanceTimersByTimeAsync(0);
    // The first join gave it 0, 1 and 2: partition 1 resumes where the database says.
    expect(consumer.seeks).toEqual([{ topic: 'p.inbox.us-cbp', partition: 1, offset: '40' }]);

    await consumer.deliver('p.inbox.us-cbp', 0, ['7']);
    await consumer.deliver('p.inbox.us-cbp', 1, ['40', '41']);
    // Another replica joins and takes partition 1 before the commit interval ends.
    stored.set(1, '60');
    consumer.rebalance([0, 2]);
    await jest.advanceTimersByTimeAsync(500);
    // The database keeps what was handled everywhere (it never goes backwards); the broker is told
    // only about partition 0 — a late commit on 1 would move its new owner back.
    expect(saved.at(-1)).toEqual([
      { partition: 0, offset: '8' },
      { partition: 1, offset: '42' },
    ]);
    expect(consumer.commits.at(-1)).toEqual([{ topic: 'p.inbox.us-cbp', partition: 0, offset: '8' }]);

    // Partition 1 comes back later: it resumes at the position stored now, not at the start's.
    consumer.rebalance([0, 1, 2]);
    await jest.advanceTimersByTimeAsync(0);
    expect(consumer.seeks.at(-1)).toEqual({ topic: 'p.inbox.us-cbp', partition: 1, offset: '60' });
    await server.close();
  });

  it('sets a permanently failing record aside and moves on; retries a transient fault without skipping', async () => {
    const { server, consumers } = start();
    const handled: string[] = [];
    const setAside: SetAsideRecord[] = [];
    let databaseDown = 3;
    server.addHandler(
      INBOX_RECORD_PATTERN,
      (record: { offset: string }) => {
        if (record.offset === '1')
          return Promise.reject(
            Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
          );
        if (record.offset === '2') return Promise.reject(new TypeError('something unforeseen'));
        if (record.offset === '3' && databaseDown-- > 0)
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        handled.push(record.offset);
        return Promise.resolve();
      },
      true,
    );
    server.addHandler(
      INBOX_SET_ASIDE_PATTERN,
      (aside: SetAsideRecord) => {
        setAside.push(aside);
        return Promise.resolve();
      },
      true,
    );
    await server.listen(() => undefined);
    const consumer = consumers[0];
    if (!consumer) throw new Error('no consumer was made');
    for (const offset of ['0', '1', '2', '3', '4']) {
      const delivered = consumer.deliver('p.inbox.us-cbp', 0, [offset]);
      await jest.advanceTimersByTimeAsync(60_000);
      await delivered;
    }
    expect(handled).toEqual(['0', '3', '4']);
    expect(setAside.map((a) => [a.record.offset, a.attempts])).toEqual([
      ['1', 1],
      ['2', 5],
    ]);
    expect(setAside[0]?.failure).toContain('[22021]');
    await server.close();
    expect(consumer.commits.at(-1)).toEqual([{ topic: 'p.inbox.us-cbp', partition: 0, offset: '5' }]);
  });

  it('never sets a record aside for an unclassified fault while the database does not answer', async () => {
    const { kafka, consumers } = fakeKafka();
    let databaseUp = false;
    const server = new KafkaInboxServer({
      kafka,
      topic: 'p.inbox.us-cbp',
      groupId: 'g',
      maxAttempts: 2,
      dependenciesUp: () => Promise.resolve(databaseUp),
    });
    Object.defineProperty(server, 'logger', { value: { log: jest.fn(), warn: jest.fn(), error: jest.fn() } });
    let failures = 0;
    const setAside: SetAsideRecord[] = [];
    server.addHandler(
      INBOX_RECORD_PATTERN,
      () => (databaseUp ? Promise.resolve() : (failures++, Promise.reject(new Error('some driver wording')))),
      true,
    );
    server.addHandler(
      INBOX_SET_ASIDE_PATTERN,
      (a: SetAsideRecord) => (setAside.push(a), Promise.resolve()),
      true,
    );
    await server.listen(() => undefined);
    const delivered = consumers[0]?.deliver('p.inbox.us-cbp', 0, ['0']);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(failures).toBeGreaterThan(5);
    expect(setAside).toEqual([]);
    databaseUp = true;
    await jest.advanceTimersByTimeAsync(10_000);
    await delivered;
    expect(setAside).toEqual([]);
    await server.close();
    expect(consumers[0]?.commits.at(-1)).toEqual([{ topic: 'p.inbox.us-cbp', partition: 0, offset: '1' }]);
  });
});
