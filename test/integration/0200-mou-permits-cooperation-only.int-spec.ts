import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/** The CBP–Mexico MOU is no legal basis for case evidence: assistance requests are refused, cooperation notices flow. */
describe('0200 us-cbp and mx-anam under the MOU', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['us-cbp', 'mx-anam'] });
  });
  afterAll(() => network?.stop());

  it('refuses an assistance request with 403 and the reason code, producing nothing on Kafka', async () => {
    const res = await network.node('us-cbp').api.submit({
      type: 'AssistanceRequest',
      to: 'mx-anam',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'TYPE_NOT_PERMITTED',
      agreementId: 'mou-us-mx',
      rule: expect.any(String) as string,
    });
    expect(await network.tap.readAll(network.inboxTopic('mx-anam'), 1000)).toHaveLength(0);
  });

  it('delivers a cooperation notice and settles it with an accepted receipt', async () => {
    const cbp = network.node('us-cbp');
    const sent = await cbp.api.submit({
      type: 'CooperationNotice',
      to: 'mx-anam',
      purpose: 'joint-priorities',
      payload: EXAMPLE_PAYLOADS[MessageType.CooperationNotice],
    });
    expect(sent.status).toBe(202);
    const inbox = await waitFor('mx-anam to receive the notice', async () => {
      const res = await network.node('mx-anam').api.inbox();
      return res.body.length === 1 ? res.body : undefined;
    });
    expect(inbox[0]).toMatchObject({
      id: sent.body.id,
      type: MessageType.CooperationNotice,
      agreement: 'mou-us-mx',
      from: 'us-cbp',
    });
    const settled = await waitFor('the notice to be delivered', async () => {
      const res = await cbp.api.message(sent.body.id);
      return res.body.status === 'delivered' ? res.body : undefined;
    });
    expect(settled.receipt).toMatchObject({ outcome: 'ACCEPTED' });
    // The refused request of the first test never reached the topic: only the notice is there.
    const records = await network.tap.readAll(network.inboxTopic('mx-anam'), 1000);
    expect(records.map((r) => r.headers['puente-type'])).toEqual([MessageType.CooperationNotice]);
  });
});
