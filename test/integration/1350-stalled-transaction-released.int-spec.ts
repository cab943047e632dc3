import { PostgresDb } from '@app/persistence';

/**
 * A node's transaction whose client stops answering (a stalled await between two queries) must not
 * hold its locks for ever: every writer of the node queues behind the group-commit lock and the audit
 * head. The node's sessions carry `idle_in_transaction_session_timeout`, so PostgreSQL ends such a
 * session; the stalled transaction then fails when it goes on, the locks are free at once, and the
 * pool hands out a fresh connection.
 */
describe('1350 a stalled transaction is ended by the server and releases its locks', () => {
  let stalling: PostgresDb;
  let other: PostgresDb;

  beforeAll(async () => {
    const url = process.env.PUENTE_TEST_POSTGRES_URL;
    if (!url) throw new Error('PUENTE_TEST_POSTGRES_URL must be set (integration global setup)');
    stalling = await PostgresDb.open(url, 2, 'puente-test', 500);
    other = await PostgresDb.open(url, 2, 'puente-test');
  });
  afterAll(async () => {
    await stalling?.close();
    await other?.close();
  });

  it('fails the stalled transaction, frees its lock and keeps the pool usable', async () => {
    let locked: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const stalled = stalling.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(1350)');
      locked();
      // The stall: longer than the session's idle-in-transaction timeout.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return tx.query('select 1 as n');
    });
    const outcome = stalled.then(
      () => 'committed',
      (error: Error) => error.message,
    );
    await holding;
    // Another session gets the lock once the server has ended the stalled one (after 500 ms).
    const started = Date.now();
    await other.transaction((tx) => tx.query('select pg_advisory_xact_lock(1350)'));
    const waitedMs = Date.now() - started;
    expect(waitedMs).toBeGreaterThanOrEqual(300);
    expect(waitedMs).toBeLessThan(1_400);
    expect(await outcome).toMatch(/idle-in-transaction timeout|Connection terminated|not queryable/i);
    // The broken connection was discarded: the pool serves the next query.
    expect(await stalling.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
  });
});
