import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';

// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

/** The receiving node killed with SIGKILL while consuming, then started again on the same database. */
describe('1100 receiving node killed with SIGKILL mid-batch', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      env: { PUENTE_RESEND_AFTER_MS: '20000' },
    });
  });
  afterAll(() => network?.stop());

  it('stores every message once and settles it at the sender', async () => {
    const started = Date.now();
    const receiver = network.node('us-cbp').process;
    if (!receiver) throw new Error('us-cbp should run as a process');
    let killed = false;
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }], {
      afterEach: async (n) => {
        if (n >= 800 && !killed) {
          killed = true;
          await receiver.kill();
          await receiver.start();
        }
      },
    });
    expect(killed).toBe(true);
    const figures = await settleAndCount(network, sent, 240_000);
    report('1100', 'receiver SIGKILLed after 800 accepted, restarted', figures, Date.now() - started);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
  });
});
