import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Every record of a 2,000-message exchange is produced again onto the recipients' topics, shuffled:
 * the inboxes still hold each message exactly once, and nothing else.
 */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1400 records duplicated and reordered on the topic', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      env: { PUENTE_RESEND_AFTER_MS: '30000' },
    });
  });
  afterAll(() => network?.stop());

  it('stores each message once', async () => {
    const started = Date.now();
    const sent = await sendMany(network, [
      { from: 'sv-dga', to: 'us-cbp', count: 1000 },
      { from: 'us-cbp', to: 'sv-dga', count: 1000 },
    ]);
    const first = await settleAndCount(network, sent);
    expect(first).toMatchObject({ delivered: 2000, lost: 0, unexpected: 0 });

    let replayed = 0;
    for (const party of ['us-cbp', 'sv-dga']) {
      const topic = network.inboxTopic(party);
      const messages = (await network.tap.readAll(topic, 1000)).filter(
        (r) => r.headers['puente-type'] !== 'puente.common.v1.Receipt',
      );
      const shuffled = [...messages, ...messages].sort(() => Math.random() - 0.5);
      for (let i = 0; i < shuffled.length; i += 500)
        await network.tap.produce(
          topic,
          shuffled.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value ?? '', headers: r.headers })),
        );
      replayed += shuffled.length;
      const group = network.node(party).groupId;
      await waitFor(
        `${party} to consume the replayed records`,
        async () => (await network.tap.lag(group, topic)) === 0,
        { timeoutMs: 180_000, intervalMs: 500 },
      );
    }
    expect(replayed).toBe(4000);
    const after = await settleAndCount(network, sent);
    report('1400', 'every record produced twice more, shuffled', after, Date.now() - started);
    expect(after).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    expect(after.duplicatesAbsorbed).toBeGreaterThanOrEqual(4000);
  });
});
