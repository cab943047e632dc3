import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/** At-least-once transport, exactly-once effect: the same signed record delivered again is stored once. */
describe('0400 the same signed record delivered twice', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
  });
  afterAll(() => network?.stop());

  it('is stored once, and the first receipt is sent again rather than a second one', async () => {
    const dga = network.node('sv-dga');
    const cbp = network.node('us-cbp');
    const sent = await dga.api.submit({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'money-laundering',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(sent.status).toBe(202);
    await waitFor('delivery', async () => (await dga.api.message(sent.body.id)).body.status === 'delivered');

    const topic = network.inboxTopic('us-cbp');
    const [original] = await network.tap.readAll(topic, 800);
    expect(original?.headers['puente-message-id']).toBe(sent.body.id);
    await network.tap.produce(topic, [
      { key: original?.key, value: original?.value as Buffer, headers: original?.headers },
      { key: original?.key, value: original?.value as Buffer, headers: original?.headers },
    ]);
    const group = cbp.groupId;
    await waitFor('us-cbp to consume both copies', async () => (await network.tap.lag(group, topic)) === 0);

    const stored = await cbp.db.query<{ n: string }>(
      'select count(*)::text as n from inbox_messages where id = $1',
      [sent.body.id],
    );
    expect(stored[0]?.n).toBe('1');
    const inbox = await cbp.api.inbox(`?conversation=${sent.body.conversationId}`);
    expect(inbox.body).toHaveLength(1);
    const refused = await cbp.db.query('select * from inbound_rejections');
    expect(refused).toHaveLength(0);

    // The receipt re-sent for each copy is the very same signed record (same receipt id).
    const receipts = await waitFor('three receipts on sv-dga inbox', async () => {
      const records = (await network.tap.readAll(network.inboxTopic('sv-dga'), 800)).filter(
        (r) => r.headers['puente-type'] === MessageType.Receipt,
      );
      return records.length === 3 ? records : undefined;
    });
    expect(new Set(receipts.map((r) => r.value?.toString())).size).toBe(1);
    expect((await dga.api.message(sent.body.id)).body).toMatchObject({
      status: 'delivered',
      receipt: { outcome: 'ACCEPTED' },
    });
  });
});
