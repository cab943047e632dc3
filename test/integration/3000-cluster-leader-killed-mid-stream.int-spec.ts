import {
  type ManagedKafkaCluster,
  partitionLeaders,
  preferLeader,
  startManagedKafkaCluster,
  topicSetting,
} from '@app/testing';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

// Three brokers, 2,000 messages and a fault on a shared two-core machine: well past the default timeout.
jest.setTimeout(600_000);

/**
 * Three KRaft brokers, topics with three copies and min.insync.replicas 2: the broker that leads the
 * receiver's inbox partitions is SIGKILLed in the middle of a 2,000-message stream. Nothing is lost,
 * nothing stored twice, and the nodes carry on by themselves (nobody restarts them); the broker then
 * comes back and rejoins every partition's in-sync replicas.
 */
describe('3000 three-broker cluster: the inbox leader killed mid-stream', () => {
  let kafka: ManagedKafkaCluster;
  let network: TestNetwork;

  beforeAll(async () => {
    // Nodes 1–3 on 34092, 34094, 34096 (controllers on the odd ports next to them).
    kafka = await startManagedKafkaCluster(34092, 3);
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

  it('provisions three copies with two in sync required', async () => {
    const inbox = network.inboxTopic('us-cbp');
    const partitions = await partitionLeaders(kafka, inbox);
    expect(partitions.map((p) => p.replicas)).toEqual(partitions.map(() => [1, 2, 3]));
    expect(await topicSetting(kafka, inbox, 'min.insync.replicas')).toBe('2');
  });

  it('loses nothing, stores nothing twice and resumes on its own', async () => {
    const inbox = network.inboxTopic('us-cbp');
    // Balanced, each broker leads one partition of three: one is made to lead all of us-cbp's inbox,
    // so that killing it takes every partition's leader at once.
    const victim = (await partitionLeaders(kafka, inbox))[0]!.leader;
    await preferLeader(kafka, inbox, victim);
    await waitFor(
      `broker ${victim} leading every partition of ${inbox}`,
      async () => (await partitionLeaders(kafka, inbox)).every((p) => p.leader === victim),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const started = Date.now();
    let killedAt = 0;
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }], {
      afterEach: async (n) => {
        if (n >= 700 && !killedAt) {
          killedAt = Date.now();
          await kafka.kill(victim);
        }
      },
    });
    expect(killedAt).toBeGreaterThan(0);
    const figures = await settleAndCount(network, sent, 420_000);
    report(
      '3000',
      `3 brokers (RF 3, min ISR 2): broker ${victim}, leader of all us-cbp inbox partitions, SIGKILLed after 700 accepted; nodes not restarted`,
      figures,
      Date.now() - started,
    );
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    const stored = await network
      .node('us-cbp')
      .db.query<{ rows: string; ids: string }>(
        'select count(*)::text as rows, count(distinct id)::text as ids from inbox_messages',
      );
    expect(stored[0]).toEqual({ rows: '2000', ids: '2000' });

    // The partitions it led moved to the survivors, which now hold them in sync without it.
    const during = await partitionLeaders(kafka, inbox);
    expect(during.filter((p) => p.leader === victim || p.isr.includes(victim))).toEqual([]);

    // Back again: it catches up, rejoins every partition's in-sync replicas and, as their preferred
    // leader, leads them again.
    const restarting = Date.now();
    await kafka.startNode(victim);
    await waitFor(
      `broker ${victim} back in sync and leading every us-cbp inbox partition`,
      async () =>
        (await partitionLeaders(kafka, inbox)).every((p) => p.isr.length === 3 && p.leader === victim),
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    process.stdout.write(
      `\n[3000] broker ${victim} back in sync and leading ${inbox} again ${((Date.now() - restarting) / 1000).toFixed(1)} s after its start was asked\n`,
    );
    const after = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 20 }]);
    const again = await settleAndCount(network, [...sent, ...after], 120_000);
    expect(again).toMatchObject({ sent: 2020, delivered: 2020, lost: 0, unexpected: 0 });
  });
});
