import { report, sendMany, settleAndCount } from '../support/fault-run';
import { checkReceiver, reportReceiver } from '../support/replica-checks';
import { TestNetwork } from '../support/test-network';

jest.setTimeout(420_000);

/**
 * A rolling restart, as an operator upgrades a node: us-cbp's two replicas are stopped (SIGTERM) and
 * started again one after the other while sv-dga sends 2,000 messages; one replica serves throughout.
 */
describe('3060 rolling restart of both receiving replicas under load', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      replicas: { 'us-cbp': 2 },
    });
  });
  afterAll(() => network?.stop());

  it('loses nothing while each replica in turn restarts', async () => {
    const started = Date.now();
    const replicas = network.node('us-cbp').replicas ?? [];
    if (replicas.length !== 2) throw new Error('us-cbp should run as two replicas');
    const restarts = [600, 1200];
    let next = 0;
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }], {
      afterEach: async (n) => {
        const replica = replicas[next];
        if (next < restarts.length && n >= (restarts[next] ?? Infinity) && replica) {
          next += 1;
          await replica.stop();
          await replica.start();
        }
      },
    });
    expect(next).toBe(2);
    const figures = await settleAndCount(network, sent, 300_000);
    report(
      '3060',
      'rolling restart of both us-cbp replicas (SIGTERM, start) after 600 and 1200',
      figures,
      Date.now() - started,
    );
    const receiver = await checkReceiver(network, 'sv-dga', 'us-cbp');
    reportReceiver('3060', receiver);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    expect(receiver).toMatchObject({
      storedTwice: 0,
      receiptsIssued: 2000,
      receiptsNotOnWire: 0,
      auditChainOk: true,
    });
  });
});
