import { join } from 'node:path';
import { MessageType } from '@app/contracts';
import { loadOwnKeys, TrustStore } from '@app/signing';
import { forgeRecord, openReceipt } from '../support/forge';
import { flightQuery, syntheticTravelers } from '../support/passengers.fixture';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Minimisation and who may exchange passenger data, on both ends: a field outside the agreement's
 * data set, and parties the agreement does not cover, are refused with their reason codes.
 */
describe('0800 passenger-risk refusals', () => {
  let network: TestNetwork;
  const query = () => flightQuery(syntheticTravelers(3, 5));

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp', 'sv-dga', 'us-ice'],
      // This network's ATS-G lets no traveler role travel: the role field is outside the data set.
      agreements: (yaml) => {
        const narrowed = yaml.replace('        - travelers[].role\n', '');
        if (narrowed === yaml)
          throw new Error('config/agreements.yaml no longer lists travelers[].role for ATS-G');
        return narrowed;
      },
    });
  });
  afterAll(() => network?.stop());

  it('the sender refuses a field outside the agreement, naming it', async () => {
    const res = await network
      .node('sv-dgme')
      .api.submit({ type: 'TravelerRiskQuery', to: 'us-cbp', purpose: 'border-security', payload: query() });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'FIELD_NOT_PERMITTED',
      rule: 'payload.travelers[0].role',
      agreementId: 'atsg-us-sv',
    });
  });

  it('parties the agreement does not cover are refused at the sender', async () => {
    const send = (from: string, to: string) =>
      network
        .node(from)
        .api.submit({ type: 'TravelerRiskQuery', to, purpose: 'border-security', payload: query() });
    expect((await send('us-ice', 'sv-dgme')).body).toMatchObject({ statusCode: 403, code: 'NO_AGREEMENT' });
    expect((await send('sv-dga', 'us-cbp')).body).toMatchObject({
      statusCode: 403,
      code: 'TYPE_NOT_PERMITTED',
    });
    expect((await send('us-cbp', 'sv-dgme')).body).toMatchObject({
      statusCode: 403,
      code: 'TYPE_NOT_PERMITTED',
    });
  });

  it('forced onto the topic, the same messages are refused by the receiver, and nothing is stored', async () => {
    const keys = join(network.dir, 'keys');
    const trust = await TrustStore.load(join(keys, 'trust-store.json'));
    const atsg = {
      type: MessageType.TravelerRiskQuery,
      recipient: 'us-cbp',
      agreementId: 'atsg-us-sv',
      purpose: 'border-security',
    } as const;
    const withRole = await forgeRecord({
      signWith: await loadOwnKeys(keys, 'sv-dgme'),
      envelope: { ...atsg, sender: 'sv-dgme' },
      payload: query(),
      encryptWith: trust,
    });
    const fromDga = await forgeRecord({
      signWith: await loadOwnKeys(keys, 'sv-dga'),
      envelope: { ...atsg, sender: 'sv-dga' },
      payload: query(),
      encryptWith: trust,
    });
    await network.tap.produce(network.inboxTopic('us-cbp'), [withRole, fromDga]);

    const verdicts = await waitFor('both rejection receipts', async () => {
      const found = new Map<string, string | undefined>();
      for (const party of ['sv-dgme', 'sv-dga']) {
        for (const r of await network.tap.readAll(network.inboxTopic(party), 800)) {
          const opened = openReceipt(r.value ?? '', trust);
          if (opened)
            found.set(
              opened.receipt.messageId,
              `${opened.receipt.reasonCode ?? ''} ${opened.receipt.rule ?? ''}`,
            );
        }
      }
      return found.has(withRole.envelope.messageId) && found.has(fromDga.envelope.messageId)
        ? found
        : undefined;
    });
    expect(verdicts.get(withRole.envelope.messageId)).toBe('FIELD_NOT_PERMITTED payload.travelers[0].role');
    // It names ATS-G, to which sv-dga is no party.
    expect(verdicts.get(fromDga.envelope.messageId)).toBe(
      'PARTY_NOT_IN_AGREEMENT agreements[atsg-us-sv].parties',
    );
    expect((await network.node('us-cbp').api.inbox()).body).toHaveLength(0);
  });
});
