import { startPostgres, type ManagedPostgres } from '@app/testing';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';

/** The PostgreSQL server of both nodes restarted in the middle of a 2,000-message exchange. */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1300 PostgreSQL restarted under the nodes', () => {
  let postgres: ManagedPostgres;
  let network: TestNetwork;

  beforeAll(async () => {
    postgres = await startPostgres();
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'], postgresAdminUrl: postgres.adminUrl });
  });
  afterAll(async () => {
    await network?.stop();
    await postgres?.stop();
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
            await postgres.restart();
          }
        },
      },
    );
    const figures = await settleAndCount(network, sent);
    report('1300', 'PostgreSQL restarted after 700 accepted', figures, Date.now() - started);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
  });
});
