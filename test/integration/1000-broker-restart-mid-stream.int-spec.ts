import { startManagedKafka, type ManagedKafka } from '@app/testing';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';

/** The Kafka broker stopped and started again in the middle of a 2,000-message exchange. */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1000 broker restart in the middle of the stream', () => {
  let kafka: ManagedKafka;
  let network: TestNetwork;

  beforeAll(async () => {
    kafka = await startManagedKafka(29392);
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      kafka,
      env: { PUENTE_RESEND_AFTER_MS: '20000' },
    });
  });
  afterAll(async () => {
    await network?.stop();
    await kafka?.stop();
  });

  it('delivers every message exactly once', async () => {
    const started = Date.now();
    let restarted = false;
    const sent = await sendMany(
      network,
      [
        { from: 'sv-dga', to: 'us-cbp', count: 1000 },
        { from: 'us-cbp', to: 'sv-dga', count: 1000 },
      ],
      {
        afterEach: async (n) => {
          if (n >= 700 && !restarted) {
            restarted = true;
            await kafka.restart();
          }
        },
      },
    );
    expect(restarted).toBe(true);
    const figures = await settleAndCount(network, sent, 240_000);
    report('1000', 'broker stopped and restarted after 700 accepted', figures, Date.now() - started);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
  });
});
