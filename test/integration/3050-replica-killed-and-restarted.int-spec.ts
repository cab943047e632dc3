import { report, sendMany, settleAndCount } from '../support/fault-run';
import { checkReceiver, reportReceiver } from '../support/replica-checks';
import { TestNetwork } from '../support/test-network';

// 2,000 messages, a SIGKILL and two rebalances: longer than the default integration timeout.
jest.setTimeout(420_000);

/**
 * us-cbp runs as two replicas (two processes, one database, one set of keys) sharing its inbox's
 * partitions in one consumer group. One is killed with SIGKILL mid-stream — its partitions move to
 * the other once the broker gives up on it — and started again, which moves some back.
 */
describe('3050 one of two receiving replicas killed with SIGKILL mid-stream, then restarted', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      replicas: { 'us-cbp': 2 },
      // No redelivery by the sender during the run: every copy of a receipt on the wire is then the
      // receiver's doing, which is what is counted.
      env: { PUENTE_RESEND_AFTER_MS: '600000' },
    });
  });
  afterAll(() => network?.stop());

  it('stores every message once and sends one receipt per message id', async () => {
    const started = Date.now();
    const replicas = network.node('us-cbp').replicas ?? [];
    const victim = replicas[1];
    if (!victim) throw new Error('us-cbp should run as two replicas');
    let killed = false;
    let restarted = false;
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }], {
      afterEach: async (n) => {
        if (n >= 700 && !killed) {
          killed = true;
          await victim.kill();
        }
        if (n >= 1300 && killed && !restarted) {
          restarted = true;
          await victim.start();
        }
      },
    });
    expect(killed && restarted).toBe(true);
    const figures = await settleAndCount(network, sent, 300_000);
    report(
      '3050',
      'one of two us-cbp replicas SIGKILLed after 700 accepted, restarted after 1300',
      figures,
      Date.now() - started,
    );
    const receiver = await checkReceiver(network, 'sv-dga', 'us-cbp');
    reportReceiver('3050', receiver);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    expect(receiver).toEqual({
      storedTwice: 0,
      receiptsIssued: 2000,
      receiptsOnWire: 2000,
      receiptsSentTwice: 0,
      auditChainOk: true,
    });
  });
});
