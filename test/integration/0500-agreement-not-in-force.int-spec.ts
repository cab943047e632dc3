import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { loadOwnKeys, TrustStore } from '@app/signing';
import { forgeRecord, openReceipt } from '../support/forge';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/** Signed is not in force: before the CMAA's entry-into-force date both ends refuse under it. */
describe('0500 CMAA with an in-force date in the future', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      agreements: (yaml) => {
        const shifted = yaml.replace(/(inForceFrom:\s*)2025-01-01/, '$12099-01-01');
        if (shifted === yaml)
          throw new Error('config/agreements.yaml no longer has the CMAA inForceFrom this test moves');
        return shifted;
      },
    });
  });
  afterAll(() => network?.stop());

  it('is refused by the sender with AGREEMENT_NOT_IN_FORCE, and nothing is produced', async () => {
    const res = await network.node('sv-dga').api.submit({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AGREEMENT_NOT_IN_FORCE', agreementId: 'cmaa-us-sv' });
    expect(await network.tap.readAll(network.inboxTopic('us-cbp'), 800)).toHaveLength(0);
  });

  it('is refused by the receiver too when forced onto the topic, with a signed rejection receipt', async () => {
    const keysDir = join(network.dir, 'keys');
    const trust = await TrustStore.load(join(keysDir, 'trust-store.json'));
    const forced = await forgeRecord({
      signWith: await loadOwnKeys(keysDir, 'sv-dga'),
      encryptWith: trust,
      envelope: {
        type: MessageType.AssistanceRequest,
        sender: 'sv-dga',
        recipient: 'us-cbp',
        agreementId: 'cmaa-us-sv',
        purpose: 'trafficking',
      },
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    await network.tap.produce(network.inboxTopic('us-cbp'), [forced]);

    const rejection = await waitFor('the rejection receipt', async () => {
      const opened = (await network.tap.readAll(network.inboxTopic('sv-dga'), 800)).map((r) =>
        openReceipt(r.value ?? '', trust),
      );
      return opened.find((o) => o?.receipt.messageId === forced.envelope.messageId);
    });
    expect(rejection.receipt).toMatchObject({
      outcome: 'RECEIPT_OUTCOME_REJECTED',
      reasonCode: 'AGREEMENT_NOT_IN_FORCE',
    });
    expect((await network.node('us-cbp').api.inbox()).body).toHaveLength(0);
  });
});
