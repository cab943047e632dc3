import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { InboxRepository, ReceiptsRepository } from '@app/persistence';
import { digestOf } from '@app/signing';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * El Salvador customs asks CBP for assistance under the CMAA (suspected narcotics trafficking in a
 * declared shipment); CBP answers; both sides see the whole thread, each message with an accepted receipt.
 */
describe('0100 CMAA assistance request and response between sv-dga and us-cbp', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
  });
  afterAll(() => network?.stop());

  it('delivers the request, the answer, and a signed accepted receipt for each', async () => {
    const dga = network.node('sv-dga');
    const cbp = network.node('us-cbp');
    const request = EXAMPLE_PAYLOADS[MessageType.AssistanceRequest];

    const sent = await dga.api.submit({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: request,
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      id: expect.any(String) as string,
      conversationId: sent.body.id,
      status: 'queued',
    });
    const { id: requestId, conversationId } = sent.body as { id: string; conversationId: string };

    const received = await waitFor('us-cbp to receive the request', async () => {
      const inbox = await cbp.api.inbox(`?conversation=${conversationId}`);
      return inbox.body.length === 1 ? inbox.body[0] : undefined;
    });
    expect(received).toMatchObject({
      id: requestId,
      direction: 'inbound',
      type: MessageType.AssistanceRequest,
      from: 'sv-dga',
      to: 'us-cbp',
      agreement: 'cmaa-us-sv',
      purpose: 'trafficking',
      status: 'accepted',
      receipt: { outcome: 'ACCEPTED' },
    });
    expect(received.payload).toEqual(request);

    await waitFor(
      'sv-dga to see the request delivered',
      async () => (await dga.api.message(requestId)).body.status === 'delivered',
    );

    const answer = await cbp.api.submit({
      type: 'AssistanceResponse',
      to: 'sv-dga',
      purpose: 'trafficking',
      inReplyTo: requestId,
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.conversationId).toBe(conversationId);

    const thread = await waitFor('sv-dga to see both messages settled', async () => {
      const res = await dga.api.conversation(conversationId);
      return res.status === 200 &&
        res.body.length === 2 &&
        res.body.every((m: { receipt?: unknown }) => m.receipt)
        ? res.body
        : undefined;
    });
    expect(thread.map((m: { type: string; direction: string }) => [m.direction, m.type])).toEqual([
      ['outbound', MessageType.AssistanceRequest],
      ['inbound', MessageType.AssistanceResponse],
    ]);
    expect(thread[0]).toMatchObject({ status: 'delivered', receipt: { outcome: 'ACCEPTED' } });
    expect(thread[1]).toMatchObject({
      from: 'us-cbp',
      inReplyTo: requestId,
      status: 'accepted',
      receipt: { outcome: 'ACCEPTED' },
    });
    await waitFor(
      'us-cbp to see its answer delivered',
      async () => (await cbp.api.message(answer.body.id)).body.status === 'delivered',
    );

    // What each side signed is kept as received: us-cbp holds sv-dga's request record byte for byte
    // (its digest is the one sv-dga recorded when sending), and sv-dga holds us-cbp's signed receipt.
    const [kept] = await new InboxRepository(cbp.db).findSignedRecords(requestId);
    expect(kept?.sender).toBe('sv-dga');
    expect(digestOf(kept?.recordValue ?? '')).toBe(kept?.recordDigest);
    const sentRows = await dga.db.query<{ d: string }>(
      'select record_digest as d from outbound_messages where id = $1',
      [requestId],
    );
    expect(kept?.recordDigest).toBe(sentRows[0]?.d);
    const receipts = await new ReceiptsRepository(dga.db).listForMessage(requestId);
    const fromCbp = receipts.find((r) => r.direction === 'received');
    expect(fromCbp?.recordValue).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(fromCbp?.outcome).toBe('ACCEPTED');
  });
});
