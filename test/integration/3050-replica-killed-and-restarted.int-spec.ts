import { report, sendMany, settleAndCount } from '../support/fault-run';
import { checkReceiver, reportReceiver } from '../support/replica-checks';
import { TestNetwork } from '../support/test-network';

// 2,000 messages, a SIGKILL and two rebalances: longer than the default integration timeout.
jest.setTimeout(420_000);

/** Rows one relay pass publishes at most, here: the bound on copies a killed pass can leave. */
const RELAY_BATCH = 25;

/**
 * us-cbp runs as two replicas (two processes, one database, one set of keys) sharing its inbox's
 * partitions in one consumer group. One is killed with SIGKILL mid-stream — its partitions move to
 * the other once the broker gives up on it — and started again, which moves some back.
 *
 * What was stored is never stored or answered again. The one thing a SIGKILL can repeat is on the
 * wire: if the victim held the outbox relay between the broker's acknowledgement of a pass and the
 * outbox mark, the survivor publishes that pass's rows again (at least once, docs/operations.md).
 * So a receipt may be on the wire twice, but only those of one pass, and the sender stores it once
 * (`delivered` counts the sender's stored receipts and would exceed 2,000 otherwise).
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
      env: { PUENTE_RESEND_AFTER_MS: '600000', PUENTE_RELAY_BATCH_SIZE: String(RELAY_BATCH) },
    });
  });
  afterAll(() => network?.stop());

  it('stores every message once and issues one receipt per message id, repeated on the wire by at most one pass', async () => {
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
    expect(receiver).toMatchObject({
      storedTwice: 0,
      receiptsIssued: 2000,
      receiptsNotOnWire: 0,
      auditChainOk: true,
    });
    // Each copy beyond the first is a receipt of the cut pass, on the wire twice and no more.
    expect(receiver.receiptsSentTwice).toBeLessThanOrEqual(RELAY_BATCH);
    expect(receiver.receiptsOnWire).toBe(2000 + receiver.receiptsSentTwice);
  });
});
