import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { packZip, verifyEvidenceBundle } from '@app/evidence';
import { ConsentLedger } from '../../apps/exchange-node/src/consent/consent.ledger';
import { fetchEvidence, manifestOf, resignManifest } from '../support/evidence-bundles';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

/**
 * A test-only arrangement between the two U.S. agencies, so that us-ice has a third party it could pass
 * a CMAA answer on to at all; whether it may is the provider's (sv-dga's) consent.
 */
const US_INTERAGENCY = `
  - id: us-interagency-test
    title: Test-only arrangement between two U.S. agencies
    kind: agreement
    parties:
      - party: us-cbp
        role: customs administration
      - party: us-ice
        role: investigations
    signedOn: 2024-01-01
    inForceFrom: 2024-01-01
    channels:
      - from: [us-ice]
        to: [us-cbp]
        types: [SpontaneousInformation]
    purposes: [duty-evasion, trafficking]
    onwardTransfer: provider-consent-required
`;

interface ConsentBody {
  requestId: string;
  side: string;
  concernsMessageId: string;
  provider: string;
  requester: string;
  intendedRecipient?: string;
  status: string;
  decisionId?: string;
  conditions?: string[];
  reason?: string;
}

/**
 * CMAA onward transfer needs the provider's consent: us-ice received an answer from sv-dga and wants to
 * pass it on to us-cbp. Refused (CONSENT_REQUIRED) before asking, while pending, and after sv-dga's
 * refusal; allowed once sv-dga grants it, for that recipient only; both ledgers agree.
 */
describe('2900 consent for further use under the CMAA', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-ice', 'us-cbp'],
      agreements: (yaml) => `${yaml.trimEnd()}\n${US_INTERAGENCY}`,
    });
  });
  afterAll(() => network?.stop());

  it('refuses forwarding until sv-dga grants it; a refusal keeps it refused', async () => {
    const dga = network.node('sv-dga');
    const ice = network.node('us-ice');
    const cbp = network.node('us-cbp');

    // us-ice asks sv-dga for assistance; sv-dga answers.
    const request = await ice.api.submit({
      type: 'AssistanceRequest',
      to: 'sv-dga',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(request.status).toBe(202);
    await waitFor('sv-dga to receive the request', async () =>
      (await dga.api.inbox()).body.some((m) => m.id === request.body.id),
    );
    const answer = await dga.api.submit({
      type: 'AssistanceResponse',
      to: 'us-ice',
      purpose: 'trafficking',
      inReplyTo: request.body.id,
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
    });
    expect(answer.status).toBe(202);
    const answerId = answer.body.id;
    await waitFor(
      'us-ice to receive the answer',
      async () => (await ice.api.message(answerId)).status === 200,
    );

    const forward = (to = 'us-cbp') =>
      ice.api.post<Record<string, unknown>>(`/v1/messages/${answerId}/forward`, { to });
    const ask = () =>
      ice.api.post<{ id: string }>(`/v1/messages/${answerId}/consent-requests`, {
        intendedRecipient: 'us-cbp',
        purpose: 'The answer shows a U.S. importer: CBP needs it to assess the penalty.',
      });
    const decide = (requestId: string, body: unknown) =>
      dga.api.post<Record<string, unknown>>(`/v1/consent-requests/${requestId}/decision`, body);
    const iceEntry = async (requestId: string) =>
      (await ice.api.get<ConsentBody>(`/v1/consent-requests/${requestId}`)).body;

    // The case as evidence: for us-ice's own use it is made; for a third agency it passes sv-dga's
    // answer on, which needs sv-dga's consent.
    const conversation = request.body.conversationId;
    const exportFor = (to = 'us-cbp') => fetchEvidence(ice, conversation, `?for=${to}`);
    expect((await fetchEvidence(ice, conversation)).status).toBe(200);

    // Before asking: refused.
    const before = await forward();
    expect(before.status).toBe(403);
    expect(before.body).toMatchObject({ code: 'CONSENT_REQUIRED', agreementId: 'cmaa-us-sv' });
    const exportBefore = await exportFor();
    expect(exportBefore).toMatchObject({
      status: 403,
      error: { code: 'CONSENT_REQUIRED', rule: 'agreements[cmaa-us-sv].onwardTransfer' },
    });
    expect(String(exportBefore.error?.message)).toContain(answerId);

    // Asked: pending on both sides, still refused.
    const first = await ask();
    expect(first.status).toBe(202);
    const pending = await waitFor('sv-dga to list the pending request', async () => {
      const list = await dga.api.get<ConsentBody[]>('/v1/consent-requests?side=received&status=pending');
      return list.body.find((e) => e.requestId === first.body.id);
    });
    expect(pending).toMatchObject({
      side: 'received',
      concernsMessageId: answerId,
      provider: 'sv-dga',
      requester: 'us-ice',
      intendedRecipient: 'us-cbp',
      status: 'pending',
    });
    expect((await forward()).body).toMatchObject({ code: 'CONSENT_REQUIRED' });

    // Refused: stays refused, and the decision is made once.
    expect(
      (await decide(first.body.id, { outcome: 'refused', reason: 'Ongoing proceedings in El Salvador.' }))
        .status,
    ).toBe(202);
    await waitFor(
      'us-ice to see the refusal',
      async () => (await iceEntry(first.body.id)).status === 'refused',
    );
    expect(await iceEntry(first.body.id)).toMatchObject({ reason: 'Ongoing proceedings in El Salvador.' });
    expect((await exportFor()).error).toMatchObject({ code: 'CONSENT_REQUIRED' });
    const afterRefusal = await forward();
    expect(afterRefusal.status).toBe(403);
    expect(afterRefusal.body).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(String(afterRefusal.body.message)).toContain('refused');
    const twice = await decide(first.body.id, { outcome: 'granted' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONSENT_ALREADY_DECIDED' });
    const ledger = ice.running!.app.get(ConsentLedger);
    expect(await ledger.grantFor(answerId, 'us-cbp')).toBeNull();

    // Asked again, granted with conditions: forwarding to us-cbp is allowed, to anyone else it is not.
    const second = await ask();
    expect(second.status).toBe(202);
    await waitFor('sv-dga to receive the second request', async () =>
      (await dga.api.get<ConsentBody[]>('/v1/consent-requests?status=pending')).body.some(
        (e) => e.requestId === second.body.id,
      ),
    );
    const conditions = ['For the penalty case only', 'Not to be passed on further'];
    expect((await decide(second.body.id, { outcome: 'granted', conditions })).status).toBe(202);
    const granted = await waitFor('us-ice to see the grant', async () => {
      const e = await iceEntry(second.body.id);
      return e.status === 'granted' ? e : undefined;
    });
    expect(granted.conditions).toEqual(conditions);
    expect(await ledger.grantFor(answerId, 'us-cbp')).toMatchObject({
      provider: 'sv-dga',
      requestId: second.body.id,
      decisionId: granted.decisionId,
      conditions,
    });
    expect(await ledger.grantFor(answerId, 'mx-anam')).toBeNull();
    expect((await forward('mx-anam')).body).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect((await exportFor('mx-anam')).error).toMatchObject({ code: 'CONSENT_REQUIRED' });

    // Exported for us-cbp once granted: the manifest names the third party and the consent, whose
    // request and signed decision are in the bundle; the verifier checks them offline.
    const exported = await exportFor();
    expect(exported.status).toBe(200);
    const manifest = manifestOf(exported.members!);
    expect(manifest.exportedFor).toBe('us-cbp');
    expect(manifest.consents).toEqual([
      {
        messageId: answerId,
        provider: 'sv-dga',
        recipientOrUse: 'us-cbp',
        requestId: second.body.id,
        decisionId: granted.decisionId,
        decidedAt: expect.any(String) as string,
        conditions,
      },
    ]);
    const verified = await verifyEvidenceBundle(exported.bytes!);
    expect(verified.failure).toBeUndefined();
    expect(verified.lines).toContain('Exported for a third party: us-cbp');
    // A dishonest exporter dropping the consent, or pointing it at the refused request, is caught.
    const members = exported.members!;
    await resignManifest(ice, members, { ...manifest, consents: [] });
    expect((await verifyEvidenceBundle(packZip(members))).failure?.problem).toContain(
      `no consent of sv-dga to pass it on to us-cbp`,
    );
    const refusedDecision = manifest.messages.find(
      (m) => m.type === MessageType.ConsentDecision && m.id !== granted.decisionId,
    )!;
    await resignManifest(ice, members, {
      ...manifest,
      consents: [{ ...manifest.consents![0]!, requestId: first.body.id, decisionId: refusedDecision.id }],
    });
    expect((await verifyEvidenceBundle(packZip(members))).failure?.problem).toContain(
      'does not grant request',
    );

    const onward = await forward();
    expect(onward.status).toBe(202);
    const passedOn = await waitFor('us-cbp to receive the information', async () => {
      const m = await cbp.api.message(String(onward.body.id));
      return m.status === 200 ? m.body : undefined;
    });
    expect(passedOn).toMatchObject({
      type: MessageType.SpontaneousInformation,
      from: 'us-ice',
      agreement: 'us-interagency-test',
      payload: {
        caseReference: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse].caseReference,
        offenseCategory: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest].offenseCategory,
        forwardedFrom: { messageId: answerId, provider: 'sv-dga', consentMessageId: granted.decisionId },
      },
    });

    // Both ledgers show the two requests with the message: us-ice's as asked, sv-dga's as decided.
    const iceView = await ice.api.get<{ consents: ConsentBody[] }>(`/v1/messages/${answerId}`);
    expect(iceView.body.consents.map((c) => [c.side, c.status]).sort()).toEqual([
      ['requested', 'granted'],
      ['requested', 'refused'],
    ]);
    const dgaView = await dga.api.get<{ consents: ConsentBody[] }>(`/v1/messages/${answerId}`);
    expect(dgaView.body.consents.map((c) => [c.side, c.status]).sort()).toEqual([
      ['received', 'granted'],
      ['received', 'refused'],
    ]);
  });

  it('refuses consent requests about messages the asker did not receive, and deciding for others', async () => {
    const ice = network.node('us-ice');
    const cbp = network.node('us-cbp');
    // us-ice's own request is not something it received: nothing to ask consent for.
    const own = await ice.api.submit({
      type: 'AssistanceRequest',
      to: 'sv-dga',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    const asked = await ice.api.post<Record<string, unknown>>(
      `/v1/messages/${own.body.id}/consent-requests`,
      {
        intendedRecipient: 'us-cbp',
        purpose: 'x',
      },
    );
    expect(asked.status).toBe(404);
    // Neither a recipient nor a use, or both: the payload's cross-field rule.
    const received = (await ice.api.inbox('?type=AssistanceResponse')).body[0]!;
    const neither = await ice.api.post<Record<string, unknown>>(
      `/v1/messages/${received.id}/consent-requests`,
      {
        purpose: 'x',
      },
    );
    expect(neither.status).toBe(422);
    expect(neither.body).toMatchObject({ code: 'SCHEMA_INVALID', rule: 'intendedRecipient' });
    // A client of another node cannot decide sv-dga's requests: us-cbp holds none.
    const pendingAtDga = (
      await network.node('sv-dga').api.get<ConsentBody[]>('/v1/consent-requests?side=received')
    ).body[0]!;
    const foreign = await cbp.api.post<Record<string, unknown>>(
      `/v1/consent-requests/${pendingAtDga.requestId}/decision`,
      { outcome: 'granted' },
    );
    expect(foreign.status).toBe(404);
  });
});
