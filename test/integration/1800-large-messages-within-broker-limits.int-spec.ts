import { assistanceRequestOfSize } from '../../tools/bench/exchange.scenario';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

/**
 * A hundred 60 KB requests pile up in sv-dga's outbox while its relay is paused — about 11 MB of
 * signed records (each payload encrypted, then signed), over 2 MB for each of the inbox topic's three
 * partitions, more than the broker takes in one record batch (message.max.bytes, 2 MB here). When the
 * relay runs again it sends them in sends under PUENTE_RELAY_BATCH_BYTES, and every one is delivered
 * (a relay batching by count alone retries the oversized send forever).
 */
describe('1800 a backlog of large messages goes out in batches the broker accepts', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['sv-dga'],
      envFor: (party) => (party === 'sv-dga' ? { PUENTE_RELAY_PAUSED: 'true' } : undefined),
    });
  });
  afterAll(() => network?.stop());

  it('delivers every one of an 11 MB backlog', async () => {
    const sender = network.node('sv-dga');
    const ids: string[] = [];
    for (let n = 0; n < 100; n++) {
      const sent = await sender.api.submit({
        type: 'AssistanceRequest',
        to: 'us-cbp',
        purpose: 'duty-evasion',
        payload: assistanceRequestOfSize(60_000, n),
      });
      expect(sent.status).toBe(202);
      ids.push(sent.body.id);
    }
    const [backlog] = await sender.db.query<{ n: number; bytes: number }>(
      'select count(*)::int as n, sum(length(record_value))::int as bytes from outbox where published_at is null',
    );
    expect(backlog?.n).toBe(100);
    expect(backlog?.bytes).toBeGreaterThan(3 * 2_097_152);

    const proc = sender.process;
    if (!proc) throw new Error('sv-dga should run as a process');
    await proc.stop();
    proc.setEnv({ PUENTE_RELAY_PAUSED: 'false' });
    await proc.start();

    await waitFor(
      'all hundred delivered',
      async () =>
        (
          await sender.db.query<{ n: number }>(
            "select count(*)::int as n from outbound_messages where id = any($1::uuid[]) and status = 'delivered'",
            [ids],
          )
        )[0]?.n === 100,
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    // Stored as PostgreSQL keeps them best: the JSON payloads compressed with lz4, the signed records
    // (base64url around encrypted bytes) whole, on both sides.
    const storage = async (party: 'sv-dga' | 'us-cbp', table: string) =>
      network.node(party).db.query<{ payload: string | null; record: string | null; n: number }>(
        `select pg_column_compression(payload) as payload, pg_column_compression(record_value) as record,
                  count(*)::int as n
             from ${table} where id = any($1::uuid[]) group by 1, 2`,
        [ids],
      );
    expect(await storage('sv-dga', 'outbound_messages')).toEqual([{ payload: 'lz4', record: null, n: 100 }]);
    expect(await storage('us-cbp', 'inbox_messages')).toEqual([{ payload: 'lz4', record: null, n: 100 }]);
  });
});
