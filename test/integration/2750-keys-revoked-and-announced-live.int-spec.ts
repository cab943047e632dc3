import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType, type PartyId, opsFlowTopic, trustTopic } from '@app/contracts';
import { InboxRepository, type Db } from '@app/persistence';
import {
  generatePartyKeys,
  loadOwnKeys,
  OwnKeys,
  type PartyJwk,
  signKeyEvent,
  TrustStore,
  writePartyKeys,
} from '@app/signing';
import { revokePartyKey, rotatePartyKeys } from '../../tools/keys/key-rotation';
import { forgeRecord } from '../support/forge';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

const PARTIES: readonly PartyId[] = ['sv-dga', 'us-cbp', 'us-ice'];
const RECEIVERS: readonly PartyId[] = ['us-cbp', 'us-ice'];

/**
 * Keys change while the network runs, and the nodes learn it from each other over the trust topic,
 * not from a shared file: each node starts from its own copy of the bootstrap trust store. sv-dga
 * rotates, then revokes its old signing key; forged announcements (about another party's keys, or
 * signed by an unknown key) are refused and audited everywhere, and change nothing.
 */
describe('2750 keys rotated, revoked and announced between running nodes', () => {
  let network: TestNetwork;
  let keysDir: string;
  let bootstrap: TrustStore;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: PARTIES,
      env: { PUENTE_KEYS_RELOAD_MS: '200' },
      // Each node its own trust store file: what it learns, it learns from the topic.
      beforeNodes: (dir) => {
        for (const party of PARTIES)
          copyFileSync(join(dir, 'keys', 'trust-store.json'), join(dir, `${party}.trust-store.json`));
      },
      envFor: (party, dir) => ({ PUENTE_TRUST_STORE: join(dir, `${party}.trust-store.json`) }),
    });
    keysDir = join(network.dir, 'keys');
    bootstrap = await TrustStore.load(join(keysDir, 'trust-store.json'));
  });
  afterAll(() => network?.stop());

  const trustOf = (party: PartyId): TrustStore => network.running(party).runtime.trustStore;
  const db = (party: PartyId): Db => network.node(party).db;
  /** Refused announcements as the audit chain holds them, each with the judgement recorded for it. */
  const refusedAnnouncements = (party: PartyId) =>
    db(party).query<{ outcome: string }>(
      `select t.outcome from audit_log a join trust_events t on t.digest = a.detail->>'digest'
        where a.kind = 'key.announcement.refused'`,
    );

  it('refuses and audits an announcement about us-cbp signed by sv-dga, one signed by an unknown key, and garbage', async () => {
    const dga = await loadOwnKeys(keysDir, 'sv-dga');
    const intruderKey = (await generatePartyKeys('us-cbp')).publicJwks[0] as PartyJwk;
    const aboutAnother = await signKeyEvent(
      { action: 'add', party: 'us-cbp', key: intruderKey, validity: {}, issuedAt: new Date() },
      dga.signing,
    );
    const outsiderDir = join(network.dir, 'outsider');
    writePartyKeys(outsiderDir, await generatePartyKeys('sv-dga'));
    const outsider = await loadOwnKeys(outsiderDir, 'sv-dga');
    const outsiderSig = (await generatePartyKeys('sv-dga')).publicJwks[0] as PartyJwk;
    const byUnknown = await signKeyEvent(
      { action: 'add', party: 'sv-dga', key: outsiderSig, validity: {}, issuedAt: new Date() },
      outsider.signing,
    );
    await network.tap.produce(trustTopic(network.namespace), [
      { key: 'forged/1', value: aboutAnother },
      { key: 'forged/2', value: byUnknown },
      // Hostile bytes on the trust topic: not an announcement at all.
      { key: 'forged/3', value: Buffer.from([0x00, 0xff, 0x2e, 0x2e]) },
    ]);

    for (const party of PARTIES) {
      const refused = await waitFor(`${party} to refuse both announcements`, async () => {
        const rows = await refusedAnnouncements(party);
        return rows.length >= 3 ? rows : undefined;
      });
      expect(refused.map((r) => r.outcome).sort()).toEqual([
        'KEY_NOT_OWNED_BY_SENDER',
        'MALFORMED_RECORD',
        'UNKNOWN_KEY',
      ]);
      // The trust store is unchanged: neither key is trusted anywhere.
      expect(trustOf(party).signingKey(intruderKey.kid)).toBeUndefined();
      expect(trustOf(party).signingKey(outsiderSig.kid)).toBeUndefined();
    }
    // Visible to operators: `trust` flow events with the reason codes.
    const flow = await network.tap.readAll(opsFlowTopic(network.namespace));
    const trustRefusals = flow
      .map((r) => JSON.parse(String(r.value)) as { stage: string; outcome: string })
      .filter((e) => e.stage === 'trust' && e.outcome !== 'OK')
      .map((e) => e.outcome);
    expect(trustRefusals).toEqual(expect.arrayContaining(['KEY_NOT_OWNED_BY_SENDER', 'UNKNOWN_KEY']));
  });

  it('spreads a rotation and a revocation within seconds, without a restart: KEY_REVOKED after, verifiable before', async () => {
    const before = await loadOwnKeys(keysDir, 'sv-dga');
    const oldSigning = before.signing;
    const switchAt = new Date(Date.now() + 3_000);
    const rotated = await rotatePartyKeys(keysDir, 'sv-dga', switchAt);

    // sv-dga's node takes its new key file and announces the new keys, signed by the old key.
    for (const party of RECEIVERS)
      await waitFor(`${party} to learn sv-dga's new keys`, () =>
        Promise.resolve(
          trustOf(party).signingKey(rotated.signingKid) !== undefined &&
            trustOf(party).encryptionKeyFor('sv-dga', switchAt)?.kid === rotated.encryptionKid,
        ),
      );
    // Until the switch, peers still encrypt to the old key and the old signing key is the valid one.
    expect(trustOf('us-cbp').encryptionKeyFor('sv-dga', new Date())?.kid).toBe(before.encryption.kid);
    expect(trustOf('us-cbp').signingKeyProblemAt(rotated.signingKid, new Date())).toBe('KEY_NOT_VALID');

    // A record of sv-dga's, made with the old key before the switch (published later, as if delayed).
    const onlyOld = new OwnKeys('sv-dga', [{ ...oldSigning, validity: {} }], [before.encryption]);
    const madeBefore = (to: PartyId) =>
      forgeRecord({
        signWith: onlyOld,
        encryptWith: bootstrap,
        envelope: {
          type: MessageType.AssistanceRequest,
          sender: 'sv-dga',
          recipient: to,
          agreementId: 'cmaa-us-sv',
          purpose: 'trafficking',
          createdAt: new Date(switchAt.getTime() - 1_000),
        },
        payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      });
    const early = { 'us-cbp': await madeBefore('us-cbp'), 'us-ice': await madeBefore('us-ice') };

    await waitFor('the switch', () => Promise.resolve(Date.now() > switchAt.getTime() + 200));
    const revokedAt = new Date();
    const started = Date.now();
    await revokePartyKey(keysDir, 'sv-dga', oldSigning.kid, revokedAt, 'compromised');
    for (const party of RECEIVERS)
      await waitFor(`${party} to learn the revocation`, () =>
        Promise.resolve(trustOf(party).signingKeyProblemAt(oldSigning.kid, new Date()) === 'KEY_REVOKED'),
      );
    const spreadMs = Date.now() - started;
    expect(spreadMs).toBeLessThan(10_000);

    // The thief signs with the revoked key, now; and the delayed genuine records arrive.
    for (const to of RECEIVERS) {
      const late = await forgeRecord({
        signWith: onlyOld,
        encryptWith: bootstrap,
        envelope: {
          type: MessageType.AssistanceRequest,
          sender: 'sv-dga',
          recipient: to,
          agreementId: 'cmaa-us-sv',
          purpose: 'trafficking',
        },
        payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      });
      await network.tap.produce(network.inboxTopic(to), [late, early[to as 'us-cbp' | 'us-ice']]);
      const refusal = await waitFor(`${to} to refuse the record signed after the revocation`, async () => {
        const rows = await db(to).query<{ reason_code: string }>(
          'select reason_code from inbound_rejections where message_id = $1',
          [late.envelope.messageId],
        );
        return rows[0];
      });
      expect(refusal.reason_code).toBe('KEY_REVOKED');
      const kept = await waitFor(`${to} to accept the record made before`, async () => {
        const [row] = await new InboxRepository(db(to)).findSignedRecords(
          early[to as 'us-cbp' | 'us-ice'].envelope.messageId,
        );
        return row;
      });
      expect(kept.sender).toBe('sv-dga');
    }

    // sv-dga itself now signs with the new key, and its messages are delivered.
    const sent = await network.node('sv-dga').api.submit({
      type: MessageType.AssistanceRequest,
      to: 'us-cbp',
      agreement: 'cmaa-us-sv',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(sent.status).toBe(202);
    const id = (sent.body as { id: string }).id;
    await waitFor(
      'the message signed with the new key to be delivered',
      async () => (await network.node('sv-dga').api.message(id)).body.status === 'delivered',
    );
    const [stored] = await new InboxRepository(db('us-cbp')).findSignedRecords(id);
    const header = JSON.parse(
      Buffer.from(stored?.recordValue?.split('.')[0] ?? '', 'base64url').toString(),
    ) as {
      kid: string;
    };
    expect(header.kid).toBe(rotated.signingKid);
    process.stdout.write(
      `[2750] revocation known to ${RECEIVERS.join(' and ')} after ${spreadMs} ms, no restart\n`,
    );
  });
});
