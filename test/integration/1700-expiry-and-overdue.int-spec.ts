import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { RedeliveryService } from '../../apps/exchange-node/src/outbox/redelivery.service';
import { ManualClock } from '../support/manual-clock';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Deadlines: a message no receipt ever settles is visibly failed with EXPIRED once it expires (never
 * silently dropped); an assistance request past its reply-by date shows as overdue on both sides.
 */
describe('1700 expiry and reply-by deadlines', () => {
  let network: TestNetwork;
  const clock = new ManualClock();

  beforeAll(async () => {
    // us-ice's node is not running: what sv-dga sends it stays unacknowledged.
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      clock,
      env: { PUENTE_MESSAGE_TTL_SECONDS: '3600' },
    });
  });
  afterAll(() => network?.stop());

  it('fails an unacknowledged message with EXPIRED when it expires', async () => {
    const dga = network.node('sv-dga');
    const sent = await dga.api.submit({
      type: 'AssistanceRequest',
      to: 'us-ice',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(sent.status).toBe(202);
    await waitFor(
      'the message on the broker',
      async () => (await dga.api.message(sent.body.id)).body.status === 'sent',
    );
    const redelivery = network.running('sv-dga').app.get(RedeliveryService);
    expect(await redelivery.runOnce()).toMatchObject({ failed: 0 });

    clock.advanceDays(1);
    expect(await redelivery.runOnce()).toMatchObject({ failed: 1 });
    const view = (await dga.api.message(sent.body.id)).body;
    expect(view).toMatchObject({ status: 'failed' });
    const [audit] = await dga.db.query<{ kind: string }>(
      `select kind from audit_log where kind = 'message.failed' and message_id = $1`,
      [sent.body.id],
    );
    expect(audit?.kind).toBe('message.failed');
  });

  it('shows an unanswered request past its reply-by date as overdue on both sides, and not once answered', async () => {
    const dga = network.node('sv-dga');
    const cbp = network.node('us-cbp');
    const today = clock.now().toISOString().slice(0, 10);
    const sent = await dga.api.submit({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: { ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], replyBy: today },
    });
    expect(sent.status).toBe(202);
    await waitFor('delivery', async () => (await dga.api.message(sent.body.id)).body.status === 'delivered');
    expect((await dga.api.message(sent.body.id)).body.overdue).toBeUndefined();

    clock.advanceDays(2);
    expect((await dga.api.message(sent.body.id)).body.overdue).toBe(true);
    expect((await cbp.api.message(sent.body.id)).body.overdue).toBe(true);
    expect((await cbp.api.inbox(`?conversation=${sent.body.conversationId}`)).body[0]?.overdue).toBe(true);

    await cbp.api.submit({
      type: 'AssistanceResponse',
      to: 'sv-dga',
      purpose: 'trafficking',
      inReplyTo: sent.body.id,
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
    });
    await waitFor(
      'the answer at sv-dga',
      async () => (await dga.api.message(sent.body.id)).body.replies?.length === 1,
    );
    expect((await dga.api.message(sent.body.id)).body.overdue).toBeUndefined();
    expect((await cbp.api.message(sent.body.id)).body.overdue).toBeUndefined();
  });
});
