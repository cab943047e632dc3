import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

/**
 * The sending node accepts 2,000 messages — each committed with its outbox row — and is killed with
 * SIGKILL before publishing any (its relay is paused, which makes the window certain); started again
 * with the relay running, it publishes every one.
 */
describe('1200 sending node killed between committing its outbox and publishing', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['sv-dga'],
      envFor: (party) => (party === 'sv-dga' ? { PUENTE_RELAY_PAUSED: 'true' } : undefined),
    });
  });
  afterAll(() => network?.stop());

  it('publishes everything it had accepted after the restart, exactly once', async () => {
    const started = Date.now();
    const sender = network.node('sv-dga');
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }]);
    const pending = await sender.db.query<{ n: string }>(
      'select count(*)::text as n from outbox where published_at is null',
    );
    expect(pending[0]?.n).toBe('2000');
    expect(await network.tap.readAll(network.inboxTopic('us-cbp'), 800)).toHaveLength(0);

    await sender.process?.kill();
    await restartWithRelay(network);
    await waitFor(
      'the outbox to drain',
      async () =>
        (
          await sender.db.query<{ n: string }>(
            'select count(*)::text as n from outbox where published_at is null',
          )
        )[0]?.n === '0',
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const figures = await settleAndCount(network, sent, 240_000);
    report('1200', 'sender SIGKILLed with 2000 committed, unpublished', figures, Date.now() - started);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
  });
});

/** Starts sv-dga's process again on the same database, now with its relay running. */
async function restartWithRelay(network: TestNetwork): Promise<void> {
  const proc = network.node('sv-dga').process;
  if (!proc) throw new Error('sv-dga should run as a process');
  proc.setEnv({ PUENTE_RELAY_PAUSED: 'false' });
  await proc.start();
}
