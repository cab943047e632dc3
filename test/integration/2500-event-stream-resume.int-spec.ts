import { EventStreamClient } from '../support/event-stream-client';
import { sendMany } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(240_000);

/**
 * `GET /v1/events`: a back-office client reading the stream is cut off mid-way, messages keep
 * arriving, and it reconnects with Last-Event-ID: it has then seen every event once and misses none.
 * Streams per client are bounded; a hostile Last-Event-ID is refused.
 */
describe('2500 event stream with Last-Event-ID resume', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      env: { PUENTE_EVENTS_POLL_MS: '50', PUENTE_EVENT_STREAMS_PER_CLIENT: '2' },
    });
  });
  afterAll(() => network?.stop());

  it('misses nothing across a disconnect and a resume', async () => {
    const cbp = network.node('us-cbp');
    const first = await EventStreamClient.open(cbp.url, cbp.tokens.officer, '0');
    expect(first.status).toBe(200);
    const before = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 150 }]);
    await waitFor('some events on the stream', () => first.events.length >= 40, { timeoutMs: 60_000 });
    await first.close();
    const cutAt = first.lastId;
    expect(cutAt).toBeDefined();

    const after = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 150 }]);
    const second = await EventStreamClient.open(cbp.url, cbp.tokens.officer, cutAt);
    expect(second.status).toBe(200);
    const expected = new Set([...before, ...after].map((s) => s.id));
    const seen = () => [...first.events, ...second.events];
    await waitFor(
      'every message received on the two streams',
      () =>
        new Set(
          seen()
            .filter((e) => e.event === 'message.received')
            .map((e) => e.data.data.messageId),
        ).size === expected.size,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    await second.close();

    const received = seen().filter((e) => e.event === 'message.received');
    expect(new Set(received.map((e) => e.data.data.messageId))).toEqual(expected);
    // Once each: the resumed stream starts right after the last event the first one delivered.
    expect(new Set(seen().map((e) => e.data.id)).size).toBe(seen().length);
    const ids = seen().map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0n))).toBe(true);
    expect(second.events[0] && BigInt(second.events[0].id)).toBeGreaterThan(BigInt(cutAt ?? '0'));
    expect(JSON.stringify(seen())).not.toContain('F-sv-dga-'); // ids and metadata, never payload values
  });

  it('bounds the streams one client holds, and refuses a hostile Last-Event-ID', async () => {
    const cbp = network.node('us-cbp');
    // The last test's streams end on the server once it notices their clients left: wait for the slots.
    const stream = () =>
      waitFor('a stream slot', async () => {
        const s = await EventStreamClient.open(cbp.url, cbp.tokens.officer);
        return s.status === 200 ? s : undefined;
      });
    const a = await stream();
    const b = await stream();
    const c = await EventStreamClient.open(cbp.url, cbp.tokens.officer);
    expect(c.status).toBe(429);
    await a.close();
    const d = await stream();
    await Promise.all([b.close(), d.close()]);

    for (const bad of ['-1', '1e9', 'abc', '99999999999999999999999', '1 2']) {
      const res = await cbp.api.request<{ code: string; rule: string }>('GET', '/v1/events', undefined, {
        'last-event-id': bad,
      });
      expect([bad, res.status, res.body.code, res.body.rule]).toEqual([
        bad,
        400,
        'SCHEMA_INVALID',
        'Last-Event-ID',
      ]);
    }
    expect((await cbp.api.withToken(undefined).get('/v1/events')).status).toBe(401);
  });
});
