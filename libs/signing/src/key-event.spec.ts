import { readFileSync } from 'node:fs';
import { CompactSign } from 'jose';
import { applyKeyEvent, checkKeyEvent, type KeyEvent, keyEventRecordKey, signKeyEvent } from './key-event';
import { loadOwnKeys, type OwnKeys } from './own-keys.loader';
import { trustStoreFile, writePartyKeys } from './party-keys.files';
import { generatePartyKeys, type PartyKeyMaterial } from './party-keys.generator';
import { removeDir, tempDir } from './signing.test-fixture';
import { TrustStore } from './trust-store';
import { importPartyKey } from './key-object.importer';

describe('key announcements', () => {
  let dir: string;
  let dga: OwnKeys;
  let cbp: OwnKeys;
  let recovery: PartyKeyMaterial;
  let trust: TrustStore;
  const now = new Date('2026-12-01T00:00:00Z');

  beforeEach(async () => {
    dir = tempDir('key-events');
    writePartyKeys(dir, await generatePartyKeys('sv-dga'));
    writePartyKeys(dir, await generatePartyKeys('us-cbp'));
    recovery = await generatePartyKeys('sv-dga');
    dga = await loadOwnKeys(dir, 'sv-dga');
    cbp = await loadOwnKeys(dir, 'us-cbp');
    // sv-dga lists an offline recovery key in the bootstrap trust store.
    const parsed = JSON.parse(readFileSync(trustStoreFile(dir), 'utf8')) as {
      parties: Record<string, Record<string, unknown>>;
    };
    const entry = parsed.parties['sv-dga'];
    if (entry) entry.recoveryKeys = [recovery.publicJwks[0]];
    trust = await TrustStore.fromDocument(parsed, 'test');
  });
  afterEach(() => removeDir(dir));

  const addEvent = async (party = 'sv-dga'): Promise<{ event: KeyEvent; kid: string }> => {
    const next = await generatePartyKeys(party, { notBefore: now });
    const key = next.publicJwks[0];
    if (!key) throw new Error('no key');
    return {
      event: { action: 'add', party, key, validity: { notBefore: now }, issuedAt: now },
      kid: key.kid,
    };
  };

  it('applies an add signed by a current key of the party (key continuity), once', async () => {
    const { event, kid } = await addEvent();
    const jws = await signKeyEvent(event, dga.signing);
    const checked = await checkKeyEvent(jws, trust);
    expect(checked).toMatchObject({ ok: true, signerKid: dga.signing.kid, byRecovery: false });
    if (!checked.ok) return;
    expect(await applyKeyEvent(checked.event, trust)).toBe('added');
    expect(await applyKeyEvent(checked.event, trust)).toBe('unchanged');
    expect(trust.signingKey(kid)?.validity.notBefore).toEqual(now);
    expect(keyEventRecordKey(checked.event, jws)).toMatch(new RegExp(`^${kid}/add/[\\w-]{22}$`));
  });

  it("refuses an event about us-cbp's keys signed by sv-dga, and one signed by an unknown key", async () => {
    const { event } = await addEvent('us-cbp');
    expect(await checkKeyEvent(await signKeyEvent(event, dga.signing), trust)).toMatchObject({
      ok: false,
      reason: 'KEY_NOT_OWNED_BY_SENDER',
      party: 'us-cbp',
    });
    const outsider = await generatePartyKeys('us-cbp');
    const [jwk] = outsider.privateJwks;
    if (!jwk) throw new Error('no key');
    const imported = await importPartyKey(jwk, 'private');
    if (!imported.ok) throw new Error(imported.problem);
    const unknown = await signKeyEvent(event, { kid: jwk.kid, key: imported.key });
    expect(await checkKeyEvent(unknown, trust)).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
    // A trusted kid in the header over someone else's signature.
    const borrowed = await signKeyEvent(event, { kid: cbp.signing.kid, key: imported.key });
    expect(await checkKeyEvent(borrowed, trust)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(trust.keysOf('us-cbp')).toHaveLength(2); // unchanged
  });

  it('refuses envelopes, other algorithms and garbage as key events', async () => {
    const envelopeTyped = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'EdDSA', kid: dga.signing.kid, typ: 'puente-envelope+jws' })
      .sign(dga.signing.key);
    expect(await checkKeyEvent(envelopeTyped, trust)).toMatchObject({ reason: 'MALFORMED_RECORD' });
    expect(await checkKeyEvent('a.b', trust)).toMatchObject({ reason: 'MALFORMED_RECORD' });
    expect(await checkKeyEvent('x'.repeat(9000), trust)).toMatchObject({ reason: 'MALFORMED_RECORD' });
    const withJwk = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: dga.signing.kid,
        typ: 'puente-key-event+jws',
        jwk: { kty: 'OKP' },
      })
      .sign(dga.signing.key);
    expect(await checkKeyEvent(withJwk, trust)).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
    const notJson = await new CompactSign(new TextEncoder().encode('nope'))
      .setProtectedHeader({ alg: 'EdDSA', kid: dga.signing.kid, typ: 'puente-key-event+jws' })
      .sign(dga.signing.key);
    expect(await checkKeyEvent(notJson, trust)).toMatchObject({ reason: 'MALFORMED_RECORD' });
  });

  it('lets a key revoke itself or older keys, never a newer one; the recovery key may revoke any', async () => {
    const { event, kid: newKid } = await addEvent();
    const added = await checkKeyEvent(await signKeyEvent(event, dga.signing), trust);
    if (!added.ok) throw new Error(added.detail);
    await applyKeyEvent(added.event, trust);
    const oldKid = dga.signing.kid;
    const revokeNew: KeyEvent = {
      action: 'revoke',
      party: 'sv-dga',
      kid: newKid,
      at: now,
      reason: 'x',
      issuedAt: now,
    };
    // A thief holding the old key tries to revoke the new one.
    expect(await checkKeyEvent(await signKeyEvent(revokeNew, dga.signing), trust)).toMatchObject({
      ok: false,
      reason: 'KEY_EVENT_NOT_PERMITTED',
    });
    const [recoveryJwk] = recovery.privateJwks;
    if (!recoveryJwk) throw new Error('no key');
    const recoveryKey = await importPartyKey(recoveryJwk, 'private');
    if (!recoveryKey.ok) throw new Error(recoveryKey.problem);
    const revokeOld: KeyEvent = { ...revokeNew, kid: oldKid, reason: 'compromised' };
    const byRecovery = await checkKeyEvent(
      await signKeyEvent(revokeOld, { kid: recoveryJwk.kid, key: recoveryKey.key }),
      trust,
    );
    expect(byRecovery).toMatchObject({ ok: true, byRecovery: true });
    if (!byRecovery.ok) return;
    expect(await applyKeyEvent(byRecovery.event, trust)).toBe('changed');
    expect(trust.signingKeyProblemAt(oldKid, now)).toBe('KEY_REVOKED');
    // Once revoked, the old key's later announcements are refused.
    const later = new Date(now.getTime() + 1000);
    const { event: sneaky } = await addEvent();
    expect(
      await checkKeyEvent(await signKeyEvent({ ...sneaky, issuedAt: later }, dga.signing), trust),
    ).toMatchObject({ ok: false, reason: 'KEY_REVOKED' });
  });
});
