import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType, uuidv7 } from '@app/contracts';
import { generatePartyKeys, loadOwnKeys, type OwnKeys, TrustStore, writePartyKeys } from '@app/signing';
import { forgeRecord, openReceipt, tamper } from '../support/forge';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Records put straight on us-cbp's inbox topic, bypassing sv-dga's node. None is stored as accepted;
 * an authentic sender gets a signed rejection receipt with the reason code; a record that cannot be
 * attributed as sent (bad signature, or headers changed on the way) goes to the DLQ; the consumer keeps going, and a valid message sent afterwards arrives.
 */
describe('0300 hostile and broken records on us-cbp inbox topic', () => {
  let network: TestNetwork;
  let dgaKeys: OwnKeys;
  let iceKeys: OwnKeys;
  let trust: TrustStore;
  const cmaa = {
    type: MessageType.AssistanceRequest,
    sender: 'sv-dga',
    recipient: 'us-cbp',
    agreementId: 'cmaa-us-sv',
    purpose: 'trafficking',
  } as const;
  const request = EXAMPLE_PAYLOADS[MessageType.AssistanceRequest];
  const aeoSync = EXAMPLE_PAYLOADS[MessageType.AeoStatusSync] as Record<string, unknown> & {
    operators: Record<string, unknown>[];
  };

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
    const keysDir = join(network.dir, 'keys');
    dgaKeys = await loadOwnKeys(keysDir, 'sv-dga');
    iceKeys = await loadOwnKeys(keysDir, 'us-ice');
    trust = await TrustStore.load(join(keysDir, 'trust-store.json'));
  });
  afterAll(() => network?.stop());

  it('dead-letters what cannot be attributed, answers authentic senders with signed rejections, and keeps flowing', async () => {
    // A key pair with sv-dga's name that is not in anybody's trust store.
    const outsiderDir = join(network.dir, 'outsider');
    writePartyKeys(outsiderDir, await generatePartyKeys('sv-dga'));
    const outsider = await loadOwnKeys(outsiderDir, 'sv-dga');

    const genuine = await forgeRecord({
      signWith: dgaKeys,
      envelope: cmaa,
      payload: request,
      encryptWith: trust,
    });
    const unattributable = {
      tampered: { ...genuine, value: tamper(genuine.value) },
      outsideTrustStore: await forgeRecord({
        signWith: outsider,
        envelope: cmaa,
        payload: request,
        encryptWith: trust,
      }),
      someoneElsesKey: await forgeRecord({
        signWith: iceKeys,
        envelope: cmaa,
        payload: request,
        encryptWith: trust,
      }),
      garbage: { key: 'x', value: 'this is not a JWS', headers: {} },
    };
    const invalidPayload = await forgeRecord({
      signWith: dgaKeys,
      encryptWith: trust,
      envelope: cmaa,
      payloadBytes: new Uint8Array([0x0a, 0x02, 0x41]), // field 1, length 2, but only 1 byte follows
    });
    // Signed by sv-dga, but a header changed on the way: not attributable as sent, so no receipt (a
    // REJECTED for a tampered copy arriving first would make sv-dga give up the genuine message).
    const headerMismatch = await forgeRecord({
      signWith: dgaKeys,
      encryptWith: trust,
      envelope: cmaa,
      payload: request,
      headers: { 'puente-sender': 'us-ice' },
    });
    const authentic = {
      NOT_ADDRESSED_TO_ME: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: { ...cmaa, recipient: 'us-ice' },
        payload: request,
      }),
      TYPE_NOT_PERMITTED: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: { ...cmaa, type: MessageType.CooperationNotice, purpose: 'trafficking' },
        payload: EXAMPLE_PAYLOADS[MessageType.CooperationNotice],
      }),
      SCHEMA_INVALID: invalidPayload,
      // sv-dga's own envelope around a payload encrypted for another message: it decrypts, and is refused.
      ENCRYPTION_BINDING_MISMATCH: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: cmaa,
        payload: request,
        bindTo: { messageId: genuine.envelope.messageId },
      }),
      // Signed by sv-dga under the AEO arrangement, but sharing an operator that has not consented.
      CONSENT_MISSING: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: {
          ...cmaa,
          type: MessageType.AeoStatusSync,
          agreementId: 'mra-us-sv-aeo',
          purpose: 'aeo-mutual-recognition',
        },
        payload: {
          ...aeoSync,
          operators: aeoSync.operators.map((o) => ({ ...o, consent: false })),
        },
      }),
      // Signed by sv-dga, withdrawing a message it never sent to us-cbp: only the original sender may.
      NOT_ORIGINAL_SENDER: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: { ...cmaa, type: MessageType.Withdrawal },
        payload: { concernsMessageId: uuidv7(), reason: 'withdrawing what another party sent' },
      }),
      // Signed by sv-dga, asking consent about a message us-cbp never sent to it.
      UNKNOWN_REFERENCED_MESSAGE: await forgeRecord({
        signWith: dgaKeys,
        encryptWith: trust,
        envelope: { ...cmaa, type: MessageType.ConsentRequest },
        payload: { concernsMessageId: uuidv7(), intendedRecipient: 'us-ice', purpose: 'no such message' },
      }),
    };

    const cbpInbox = network.inboxTopic('us-cbp');
    await network.tap.produce(cbpInbox, [
      ...Object.values(unattributable),
      headerMismatch,
      ...Object.values(authentic),
    ]);

    const after = await network.node('sv-dga').api.submit({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: request,
    });
    expect(after.status).toBe(202);
    await waitFor(
      'the valid message sent afterwards to be delivered',
      async () => (await network.node('sv-dga').api.message(after.body.id)).body.status === 'delivered',
      { timeoutMs: 30_000 },
    );

    // Nothing hostile was stored as accepted: the inbox holds exactly the valid message.
    const inbox = await network.node('us-cbp').api.inbox();
    expect(inbox.body.map((m: { id: string }) => m.id)).toEqual([after.body.id]);

    // Every refused record left a row with its reason code.
    const rows = await network
      .node('us-cbp')
      .db.query<{ reason_code: string; attributed_sender: string | null }>(
        'select reason_code, attributed_sender from inbound_rejections order by id',
      );
    expect(
      rows
        .filter((r) => r.attributed_sender === null)
        .map((r) => r.reason_code)
        .sort(),
    ).toEqual(
      [
        'BAD_SIGNATURE',
        'MALFORMED_RECORD',
        'UNKNOWN_KEY',
        'KEY_NOT_OWNED_BY_SENDER',
        'HEADER_MISMATCH',
      ].sort(),
    );
    expect(
      rows
        .filter((r) => r.attributed_sender === 'sv-dga')
        .map((r) => r.reason_code)
        .sort(),
    ).toEqual(Object.keys(authentic).sort());

    // The unattributable ones are on the DLQ, with the reason in a header.
    const dlq = await waitFor('5 records on the DLQ', async () => {
      const records = await network.tap.readAll(network.dlqTopic('us-cbp'), 800);
      return records.length === 5 ? records : undefined;
    });
    expect(dlq.map((r) => r.headers['puente-dlq-reason']).sort()).toEqual([
      'BAD_SIGNATURE',
      'HEADER_MISMATCH',
      'KEY_NOT_OWNED_BY_SENDER',
      'MALFORMED_RECORD',
      'UNKNOWN_KEY',
    ]);

    // sv-dga, the authentic sender, got a signed rejection receipt naming the reason for each of its records.
    const receipts = await waitFor('rejection receipts for sv-dga', async () => {
      const opened = (await network.tap.readAll(network.inboxTopic('sv-dga'), 800)).map((r) =>
        openReceipt(r.value ?? '', trust),
      );
      const rejections = opened.filter(
        (o) => o && o.envelope.sender === 'us-cbp' && o.receipt.outcome === 'RECEIPT_OUTCOME_REJECTED',
      );
      return rejections.length === Object.keys(authentic).length ? rejections : undefined;
    });
    const byMessage = new Map(receipts.map((r) => [r?.receipt.messageId, r?.receipt.reasonCode]));
    for (const [reason, record] of Object.entries(authentic))
      expect(byMessage.get(record.envelope.messageId)).toBe(reason);
    expect(byMessage.has(headerMismatch.envelope.messageId)).toBe(false);
  });
});
