import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { loadOwnKeys, type OwnKeys, TrustStore } from '@app/signing';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { forgeRecord } from '../support/forge';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Poison mixed into a 2,000-message stream — garbage bytes, truncated signatures, a valid signature
 * over an invalid payload — is refused record by record; the consumer never stalls and every good
 * message arrives.
 */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1500 poison records mixed into the stream', () => {
  let network: TestNetwork;
  let dgaKeys: OwnKeys;
  let trust: TrustStore;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
    dgaKeys = await loadOwnKeys(join(network.dir, 'keys'), 'sv-dga');
    trust = await TrustStore.load(join(network.dir, 'keys', 'trust-store.json'));
  });
  afterAll(() => network?.stop());

  it('refuses each poison record and delivers every good message', async () => {
    const started = Date.now();
    const topic = network.inboxTopic('us-cbp');
    let poison = 0;
    const injectPoison = async () => {
      const valid = await forgeRecord({
        signWith: dgaKeys,
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
      const invalidPayload = await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: {
          type: MessageType.AssistanceRequest,
          sender: 'sv-dga',
          recipient: 'us-cbp',
          agreementId: 'cmaa-us-sv',
          purpose: 'trafficking',
        },
        payloadBytes: new Uint8Array([0x12, 0x03, 0x41, 0x42, 0x43]), // field 2 (an enum) sent as bytes
      });
      await network.tap.produce(topic, [
        { key: 'poison', value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]) },
        {
          key: valid.key,
          value: valid.value.slice(0, Math.floor(valid.value.length * 0.7)),
          headers: valid.headers,
        },
        { key: invalidPayload.key, value: invalidPayload.value, headers: invalidPayload.headers },
      ]);
      poison += 3;
    };
    const sent = await sendMany(
      network,
      [
        { from: 'sv-dga', to: 'us-cbp', count: 1000 },
        { from: 'us-cbp', to: 'sv-dga', count: 1000 },
      ],
      {
        afterEach: (n) => (n % 100 === 0 ? injectPoison() : undefined),
      },
    );
    const figures = await settleAndCount(network, sent);
    report('1500', `${poison} poison records mixed in`, figures, Date.now() - started);
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });

    const group = network.node('us-cbp').groupId;
    await waitFor(
      'us-cbp to get past every record',
      async () => (await network.tap.lag(group, topic)) === 0,
      { timeoutMs: 60_000 },
    );
    const refused = await network
      .node('us-cbp')
      .db.query<{ reason_code: string; n: string }>(
        'select reason_code, count(*)::text as n from inbound_rejections group by reason_code order by reason_code',
      );
    const total = refused.reduce((n, r) => n + Number(r.n), 0);
    expect(poison).toBeGreaterThanOrEqual(60);
    expect(total).toBe(poison);
    expect(refused.map((r) => r.reason_code)).toEqual(
      expect.arrayContaining(['MALFORMED_RECORD', 'SCHEMA_INVALID']),
    );
  });
});
