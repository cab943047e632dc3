import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEnvelope, type PartyId } from '@app/contracts';
import { InboxRepository } from '@app/persistence';
import { verifyEnvelopeJws } from '@app/signing';
import { type RotationResult, rotatePartyKeys } from '../../tools/keys/key-rotation';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';

// 2,000 messages and a rotation: longer than the default integration timeout.
jest.setTimeout(300_000);

const PARTIES: readonly PartyId[] = ['sv-dga', 'us-cbp'];

/**
 * sv-dga rotates its signing and encryption keys in the middle of a stream, the way an operator
 * would (`npm run keys -- rotate`): its node takes the new key file, announces the new keys on the
 * trust topic (each node has its own trust store file, so us-cbp learns them only from there) and
 * switches at the scheduled time. Nothing is lost or refused; records on either side of the switch
 * verify with their own kid; payloads encrypted to sv-dga's old key before the switch still decrypt.
 */
describe('2700 key rotation under load', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: PARTIES,
      env: { PUENTE_KEYS_RELOAD_MS: '200', PUENTE_RESEND_AFTER_MS: '20000' },
      beforeNodes: (dir) => {
        for (const party of PARTIES)
          copyFileSync(join(dir, 'keys', 'trust-store.json'), join(dir, `${party}.trust-store.json`));
      },
      envFor: (party, dir) => ({ PUENTE_TRUST_STORE: join(dir, `${party}.trust-store.json`) }),
    });
  });
  afterAll(() => network?.stop());

  it('delivers 2,000 messages across a rotation of both of sv-dga’s keys: none lost, none refused', async () => {
    const started = Date.now();
    const keysDir = join(network.dir, 'keys');
    let rotation: Promise<RotationResult> | undefined;
    const sent = await sendMany(
      network,
      [
        { from: 'sv-dga', to: 'us-cbp', count: 2000 },
        // The other way, encrypted to sv-dga: some in flight to its old encryption key at the switch.
        { from: 'us-cbp', to: 'sv-dga', count: 300 },
      ],
      {
        afterEach: (n) => {
          if (n >= 700 && !rotation)
            rotation = rotatePartyKeys(keysDir, 'sv-dga', new Date(Date.now() + 2_000));
        },
      },
    );
    const rotated = await rotation;
    if (!rotated) throw new Error('the rotation did not run');
    const toCbp = sent.filter((s) => s.to === 'us-cbp');
    const toDga = sent.filter((s) => s.to === 'sv-dga');
    const figures = await settleAndCount(network, toCbp, 240_000);
    const back = await settleAndCount(network, toDga, 60_000);
    const refused = [];
    for (const party of PARTIES)
      refused.push(...(await network.node(party).db.query('select reason_code from inbound_rejections')));
    report(
      '2700',
      'sv-dga rotated signing + encryption keys after 700 accepted',
      figures,
      Date.now() - started,
    );
    process.stdout.write(
      `[2700] refused ${refused.length}; us-cbp → sv-dga ${back.delivered} of ${back.sent} delivered\n`,
    );
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    expect(back).toMatchObject({ sent: 300, delivered: 300, lost: 0 });
    expect(refused).toEqual([]);

    // Every record us-cbp kept verifies with the key it names, valid when the record was made; both
    // sv-dga's old and new signing keys are among them.
    const trust = network.running('us-cbp').runtime.trustStore;
    const inbox = new InboxRepository(network.node('us-cbp').db);
    const kids = new Map<string, number>();
    for (const s of toCbp) {
      const [kept] = await inbox.findSignedRecords(s.id);
      const verified = verifyEnvelopeJws(kept?.recordValue ?? '', trust);
      if (!verified.ok) throw new Error(`${s.id} does not verify: ${verified.reason}`);
      const createdAt = decodeEnvelope(verified.payload).createdAt;
      expect(trust.signingKeyProblemAt(verified.kid, createdAt)).toBeUndefined();
      kids.set(verified.kid, (kids.get(verified.kid) ?? 0) + 1);
    }
    const newCount = kids.get(rotated.signingKid) ?? 0;
    process.stdout.write(
      `[2700] kids of the 2,000 records: ${[...kids].map(([k, n]) => `${k} ${n}`).join(', ')}\n`,
    );
    expect(kids.size).toBe(2);
    expect(newCount).toBeGreaterThan(0);
    expect(newCount).toBeLessThan(2000);

    // us-cbp encrypted to sv-dga's old key before the switch and to the new one after; sv-dga
    // decrypted both (every one of the 300 was accepted).
    const dgaInbox = new InboxRepository(network.node('sv-dga').db);
    const encKids = new Map<string, number>();
    for (const s of toDga) {
      const [kept] = await dgaInbox.findSignedRecords(s.id);
      const payload = Buffer.from(kept?.recordValue?.split('.')[1] ?? '', 'base64url');
      const jwe = new TextDecoder().decode(decodeEnvelope(payload).payload);
      const { kid } = JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString()) as {
        kid: string;
      };
      encKids.set(kid, (encKids.get(kid) ?? 0) + 1);
    }
    process.stdout.write(
      `[2700] enc kids of the 300 payloads to sv-dga: ${[...encKids].map(([k, n]) => `${k} ${n}`).join(', ')}\n`,
    );
    expect(encKids.get(rotated.encryptionKid) ?? 0).toBeGreaterThan(0);
  });
});
