import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { EventStreamClient } from '../support/event-stream-client';
import { sendMany } from '../support/fault-run';
import { TestApi } from '../support/test-api';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

/**
 * Behind a load balancer any replica answers any request: us-cbp runs as two replicas, both storing
 * what arrives. The event stream read from one and resumed on the other misses and repeats nothing,
 * and one Idempotency-Key sent to both replicas at once makes one message.
 */
describe('3080 any replica of a node serves its REST API', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      replicas: { 'us-cbp': 2 },
      env: { PUENTE_EVENTS_POLL_MS: '50' },
    });
  });
  afterAll(() => network?.stop());

  it('an event stream cut on one replica resumes on the other, missing and repeating nothing', async () => {
    const cbp = network.node('us-cbp');
    const [one, two] = cbp.replicas ?? [];
    if (!one || !two) throw new Error('us-cbp should run as two replicas');
    const first = await EventStreamClient.open(one.url, cbp.tokens.officer, '0');
    expect(first.status).toBe(200);
    const before = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 150 }]);
    await waitFor('some events on the stream', () => first.events.length >= 40, { timeoutMs: 60_000 });
    await first.close();
    const cutAt = first.lastId;
    const after = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 150 }]);
    const second = await EventStreamClient.open(two.url, cbp.tokens.officer, cutAt);
    expect(second.status).toBe(200);
    const expected = new Set([...before, ...after].map((s) => s.id));
    const seen = () => [...first.events, ...second.events];
    const receivedIds = () =>
      seen()
        .filter((e) => e.event === 'message.received')
        .map((e) => e.data.data.messageId);
    await waitFor('every message received on the two streams', () => new Set(receivedIds()).size === 300, {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    await second.close();
    // Both replicas stored messages (so both appended events), and the stream is still one sequence.
    for (const replica of [one, two]) expect(await acceptedBy(replica.url)).toBeGreaterThan(0);
    expect(new Set(receivedIds())).toEqual(expected);
    expect(receivedIds()).toHaveLength(300);
    expect(new Set(seen().map((e) => e.data.id)).size).toBe(seen().length);
    const ids = seen().map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0n))).toBe(true);
  });

  it('one Idempotency-Key sent to both replicas at once makes one message', async () => {
    const cbp = network.node('us-cbp');
    const apis = (cbp.replicas ?? []).map((r) => new TestApi(r.url, cbp.tokens.officer));
    expect(apis).toHaveLength(2);
    const body = {
      type: 'SpontaneousInformation',
      to: 'sv-dga',
      purpose: 'duty-evasion',
      payload: EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation],
    };
    const keys = Array.from({ length: 10 }, (_, i) => `replicas-3080-${i}`);
    const answers = await Promise.all(
      keys.flatMap((key) => apis.map((api) => api.submitWithKey(body, key).then((res) => ({ key, res })))),
    );
    for (const { res } of answers) expect(res.status).toBe(202);
    for (const key of keys) {
      const ids = new Set(answers.filter((a) => a.key === key).map((a) => a.res.body.id));
      expect(ids.size).toBe(1);
    }
    const [made] = await cbp.db.query<{ n: string }>(
      `select count(*)::text as n from outbound_messages where type = $1`,
      [MessageType.SpontaneousInformation],
    );
    expect(Number(made?.n)).toBe(10);
  });
});

/** Inbound messages a replica accepted, from its own /metrics. */
async function acceptedBy(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('puente_messages_total{') &&
        l.includes('direction="inbound"') &&
        l.includes('outcome="OK"'),
    )
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
