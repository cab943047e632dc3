import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type NodeConfig, systemClock } from '@app/config';
import type { RecordProducer } from '@app/messaging';
import type { FlowEventsPublisher } from '@app/observability';
import { type Db, LeasesRepository, openDatabase, OutboxRepository } from '@app/persistence';
import { OUTBOX_RELAY_LOCK, OutboxRelay } from '../../apps/exchange-node/src/outbox/outbox.relay';
import { ReplicaCoordinator } from '../../apps/exchange-node/src/shared/replica.coordinator';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const ROWS = 2000;

/** A producer that keeps what it was given, with the time a broker round trip takes. */
class RecordingProducer {
  readonly sent: string[] = [];
  /** Sends that overlapped another replica's send (there must be none). */
  overlapping = 0;
  private inFlight = 0;

  constructor(private readonly shared: { inFlight: number; overlapping: number }) {}

  async send(records: readonly { value: string }[]): Promise<void> {
    this.shared.inFlight += 1;
    this.inFlight += 1;
    if (this.shared.inFlight > 1) this.shared.overlapping += 1;
    await new Promise((r) => setTimeout(r, 3));
    this.sent.push(...records.map((r) => r.value));
    this.inFlight -= 1;
    this.shared.inFlight -= 1;
  }
}

/**
 * Two replicas of one node — two connection pools on one PostgreSQL database, as two processes have —
 * each running the outbox relay and the scheduled-job claims. The broker is not what is tested here
 * (the replica fault tests use the real one): the relay's producer records what it was asked to send.
 */
describe('3070 replicas of a node publish each outbox row once and run a job once per interval', () => {
  let dbs: Db[] = [];

  beforeAll(async () => {
    const adminUrl = process.env.PUENTE_TEST_POSTGRES_URL;
    if (!adminUrl) throw new Error('PUENTE_TEST_POSTGRES_URL must be set (integration global setup)');
    const name = `replicas_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    dbs = [
      await openDatabase({ kind: 'postgres', url: url.toString() }),
      await openDatabase({ kind: 'postgres', url: url.toString() }),
    ];
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it('two relays on one outbox: every row published by exactly one of them, in order, never both at once', async () => {
    const [a, b] = dbs as [Db, Db];
    await a.query(
      `insert into outbox (kind, message_id, topic, record_key, record_value, headers)
       select 'receipt', null, 'puente.inbox.test', 'k' || g, 'row-' || lpad(g::text, 5, '0'), '{}'::jsonb
         from generate_series(1, $1::int) g`,
      [ROWS],
    );
    const shared = { inFlight: 0, overlapping: 0 };
    const config = {
      party: 'us-cbp',
      relay: {
        batchSize: 50,
        batchBytes: 1_000_000,
        pollIntervalMs: 5,
        resendAfterMs: 60_000,
        paused: false,
      },
    } as unknown as NodeConfig;
    const flow = { emit: () => undefined } as unknown as FlowEventsPublisher;
    const producers = [new RecordingProducer(shared), new RecordingProducer(shared)];
    const relays = [a, b].map(
      (db, i) =>
        new OutboxRelay(
          config,
          db,
          producers[i] as unknown as RecordProducer,
          flow,
          systemClock,
          new OutboxRepository(db),
        ),
    );
    for (const relay of relays) relay.onApplicationBootstrap();
    try {
      await waitFor('the outbox published', async () => (await new OutboxRepository(a).backlog()) === 0, {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
    } finally {
      for (const relay of relays) await relay.onApplicationShutdown();
    }
    const [first, second] = producers as [RecordingProducer, RecordingProducer];
    const all = [...first.sent, ...second.sent];
    process.stdout.write(
      `\n| 3070 | two relays, one outbox | rows ${ROWS} | published ${all.length} | distinct ${new Set(all).size} | by replica ${first.sent.length}/${second.sent.length} | overlapping sends ${shared.overlapping} |\n`,
    );
    expect(all).toHaveLength(ROWS);
    expect(new Set(all).size).toBe(ROWS);
    expect(shared.overlapping).toBe(0);
    // Each published its rows in outbox order. How the rows split between the two is up to timing:
    // on a quiet machine one relay may take every pass, which is as correct as any split.
    for (const p of producers) expect([...p.sent].sort()).toEqual(p.sent);
  });

  it('the relay lock: while one replica holds it the other cannot take it, and can once it is released', async () => {
    const [a, b] = dbs as [Db, Db];
    await a.transaction(async (txA) => {
      expect(await LeasesRepository.tryLock(txA, OUTBOX_RELAY_LOCK)).toBe(true);
      await b.transaction(async (txB) => {
        expect(await LeasesRepository.tryLock(txB, OUTBOX_RELAY_LOCK)).toBe(false);
      });
    });
    await b.transaction(async (txB) => {
      expect(await LeasesRepository.tryLock(txB, OUTBOX_RELAY_LOCK)).toBe(true);
    });
  });

  it('a scheduled job, asked for by both replicas every 50 ms, runs once per 400 ms interval', async () => {
    const replicas = dbs.map((db) => new ReplicaCoordinator(new LeasesRepository(db)));
    const runs: { at: number; by: number }[] = [];
    const started = Date.now();
    await Promise.all(
      replicas.map(async (replica, by) => {
        while (Date.now() - started < 4_000) {
          if (await replica.claimRun('test-job', 400)) runs.push({ at: Date.now(), by });
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    runs.sort((x, y) => x.at - y.at);
    const gaps = runs.slice(1).map((r, i) => r.at - (runs[i]?.at ?? 0));
    process.stdout.write(
      `\n| 3070 | one job, two replicas | runs ${runs.length} in 4 s | by replica ${runs.filter((r) => r.by === 0).length}/${runs.filter((r) => r.by === 1).length} | shortest gap ${Math.min(...gaps)} ms |\n`,
    );
    // 4 s at one run per 360–450 ms (the lease is 360 ms, asked for every 50 ms): 9 to 11 runs.
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(runs.length).toBeLessThanOrEqual(12);
    // Never twice in an interval, whichever replica asked.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(340);
  });

  it('an item claimed by one replica is refused to the other until released or lapsed', async () => {
    const [one, two] = dbs.map((db) => new ReplicaCoordinator(new LeasesRepository(db))) as [
      ReplicaCoordinator,
      ReplicaCoordinator,
    ];
    expect(await one.claimItem('answer:sv-dgme/q1', 60_000)).toBe(true);
    expect(await two.claimItem('answer:sv-dgme/q1', 60_000)).toBe(false);
    expect(await one.claimItem('answer:sv-dgme/q1', 60_000)).toBe(false);
    await one.releaseItem('answer:sv-dgme/q1');
    expect(await two.claimItem('answer:sv-dgme/q1', 300)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await one.claimItem('answer:sv-dgme/q1', 60_000)).toBe(true);
  });
});
