import { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trustStoreFile, writePartyKeys } from './party-keys.files';
import { generatePartyKeys, type PartyKeyMaterial } from './party-keys.generator';
import { removeDir, tempDir } from './signing.test-fixture';
import { TrustStore } from './trust-store';

describe('TrustStore', () => {
  let dir: string;
  let dga: PartyKeyMaterial;
  let cbp: PartyKeyMaterial;
  const sigOf = (m: PartyKeyMaterial) => m.publicJwks[0];
  const encOf = (m: PartyKeyMaterial) => m.publicJwks[1];

  beforeAll(async () => {
    dga = await generatePartyKeys('sv-dga');
    cbp = await generatePartyKeys('us-cbp');
  });
  beforeEach(() => {
    dir = tempDir('trust-store');
  });
  afterEach(() => removeDir(dir));

  /** Writes a trust store document by hand (bypassing the writer's own checks) and returns its path. */
  const fileWith = (document: unknown): string => {
    const file = join(dir, 'trust-store.json');
    writeFileSync(file, JSON.stringify(document));
    return file;
  };

  it('imports every public key once and indexes signing keys by kid, encryption keys by party', async () => {
    writePartyKeys(dir, dga);
    writePartyKeys(dir, cbp);
    const trust = await TrustStore.load(trustStoreFile(dir));
    expect(trust.parties()).toEqual(['sv-dga', 'us-cbp']);

    const signing = trust.signingKey(sigOf(dga)?.kid ?? '');
    expect(signing?.party).toBe('sv-dga');
    expect(signing?.key).toBeInstanceOf(KeyObject);
    expect(signing?.key.type).toBe('public');
    expect(trust.signingKey(sigOf(dga)?.kid ?? '')?.key).toBe(signing?.key); // imported once

    expect(trust.encryptionKeyFor('us-cbp')).toMatchObject({ kid: encOf(cbp)?.kid });
    expect(trust.encryptionKeyFor('us-cbp')?.key.asymmetricKeyType).toBe('x25519');
    expect(trust.encryptionKeyFor('us-ice')).toBeUndefined();
    // An encryption kid is not a signing key: it must never verify a signature.
    expect(trust.signingKey(encOf(dga)?.kid ?? '')).toBeUndefined();
    expect(trust.signingKey('sv-dga:sig:AAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('accepts several signing and encryption keys for a party (rotation)', async () => {
    const next = await generatePartyKeys('sv-dga');
    const rotated = fileWith({
      version: 1,
      parties: { 'sv-dga': { keys: [sigOf(dga), sigOf(next), encOf(next)] } },
    });
    const trust = await TrustStore.load(rotated);
    expect(trust.signingKey(sigOf(dga)?.kid ?? '')?.party).toBe('sv-dga');
    expect(trust.signingKey(sigOf(next)?.kid ?? '')?.party).toBe('sv-dga');

    const twoEnc = fileWith({ version: 1, parties: { 'sv-dga': { keys: [encOf(dga), encOf(next)] } } });
    // Without validities, the one listed last is the one to encrypt to.
    expect((await TrustStore.load(twoEnc)).encryptionKeyFor('sv-dga')?.kid).toBe(encOf(next)?.kid);
  });

  it('picks keys by validity: the signing key valid at a creation time, the newest encryption key valid now', async () => {
    const next = await generatePartyKeys('sv-dga');
    const t = (iso: string) => new Date(iso);
    const file = fileWith({
      version: 1,
      parties: {
        'sv-dga': {
          keys: [
            {
              ...sigOf(dga),
              notAfter: '2026-12-01T00:00:00Z',
              revokedAt: '2026-12-05T00:00:00Z',
              revocationReason: 'compromised',
            },
            { ...encOf(dga), notAfter: '2026-12-01T00:00:00Z' },
            { ...sigOf(next), notBefore: '2026-12-01T00:00:00Z' },
            { ...encOf(next), notBefore: '2026-12-01T00:00:00Z' },
          ],
        },
      },
    });
    const trust = await TrustStore.load(file);
    const oldKid = sigOf(dga)?.kid ?? '';
    const newKid = sigOf(next)?.kid ?? '';
    expect(trust.signingKeyProblemAt(oldKid, t('2026-11-30T23:59:59Z'))).toBeUndefined();
    expect(trust.signingKeyProblemAt(oldKid, t('2026-12-01T00:00:00Z'))).toBe('KEY_NOT_VALID');
    expect(trust.signingKeyProblemAt(oldKid, t('2026-12-06T00:00:00Z'))).toBe('KEY_REVOKED');
    expect(trust.signingKeyProblemAt(newKid, t('2026-11-30T23:59:59Z'))).toBe('KEY_NOT_VALID');
    expect(trust.signingKeyProblemAt(newKid, t('2026-12-01T00:00:00Z'))).toBeUndefined();
    expect(trust.signingKey(oldKid)?.validity.revocationReason).toBe('compromised'); // kept: evidence
    expect(trust.encryptionKeyFor('sv-dga', t('2026-11-30T00:00:00Z'))?.kid).toBe(encOf(dga)?.kid);
    expect(trust.encryptionKeyFor('sv-dga', t('2026-12-02T00:00:00Z'))?.kid).toBe(encOf(next)?.kid);
  });

  it('changes while running: adds a key once, retires and revokes, keeps the earlier end, never removes', async () => {
    writePartyKeys(dir, dga);
    const trust = await TrustStore.load(trustStoreFile(dir));
    const next = await generatePartyKeys('sv-dga');
    const nextSig = sigOf(next);
    if (!nextSig) throw new Error('no key');
    const at = new Date('2026-12-01T00:00:00Z');
    expect(await trust.addKey('sv-dga', nextSig, { notBefore: at })).toBe('added');
    expect(await trust.addKey('sv-dga', nextSig, {})).toBe('unchanged'); // a replay never widens it
    expect(trust.signingKey(nextSig.kid)?.validity.notBefore).toEqual(at);
    await expect(trust.addKey('us-cbp', nextSig, {})).resolves.toBe('unchanged');
    const oldKid = sigOf(dga)?.kid ?? '';
    expect(trust.retireKey(oldKid, at)).toBe('changed');
    expect(trust.retireKey(oldKid, new Date('2027-01-01T00:00:00Z'))).toBe('unchanged');
    expect(trust.revokeKey(oldKid, at, 'compromised')).toBe('changed');
    expect(trust.revokeKey(oldKid, new Date('2027-01-01T00:00:00Z'), 'later')).toBe('unchanged');
    expect(trust.signingKeyProblemAt(oldKid, at)).toBe('KEY_REVOKED');
    expect(trust.revokeKey('sv-dga:sig:AAAAAAAAAAAAAAAA', at, 'x')).toBe('unknown-kid');
    expect(trust.keysOf('sv-dga').map((k) => k.jwk.kid)).toContain(oldKid);
  });

  it('lists recovery keys apart: they never verify an envelope', async () => {
    const recovery = await generatePartyKeys('sv-dga');
    const file = fileWith({
      version: 1,
      parties: { 'sv-dga': { keys: dga.publicJwks, recoveryKeys: [sigOf(recovery)] } },
    });
    const trust = await TrustStore.load(file);
    const kid = sigOf(recovery)?.kid ?? '';
    expect(trust.recoveryKey(kid)?.party).toBe('sv-dga');
    expect(trust.signingKey(kid)).toBeUndefined();
    const clash = fileWith({
      version: 1,
      parties: { 'sv-dga': { keys: dga.publicJwks, recoveryKeys: [sigOf(dga)] } },
    });
    await expect(TrustStore.load(clash)).rejects.toThrow(/recoveryKeys\[0\]: .*listed twice/);
  });

  it('rejects a file that lists a kid under the wrong party, naming the file and the entry', async () => {
    const file = fileWith({ version: 1, parties: { 'sv-dga': { keys: [sigOf(dga), sigOf(cbp)] } } });
    await expect(TrustStore.load(file)).rejects.toThrow(
      `${file}: parties["sv-dga"].keys[1]: kid "${sigOf(cbp)?.kid}" must start with "sv-dga:"`,
    );
    await expect(TrustStore.load(file)).rejects.toMatchObject({
      code: 'KEY_FILE_INVALID',
      file,
      entry: 'parties["sv-dga"].keys[1]',
    });
  });

  it.each([
    [
      'a private key',
      () => ({ 'sv-dga': { keys: [dga.privateJwks[0]] } }),
      /keys\[0\]: .*holds a private key/,
    ],
    [
      'a kid that does not match its key',
      () => ({ 'sv-dga': { keys: [{ ...sigOf(dga), x: sigOf(cbp)?.x }] } }),
      /keys\[0\]: kid ".*" does not match the key/,
    ],
    [
      'a signing kid on an encryption key',
      () => ({ 'sv-dga': { keys: [{ ...encOf(dga), kid: sigOf(dga)?.kid }] } }),
      /keys\[0\]: kid ".*" says sig but use is "enc"/,
    ],
    ['a wrong alg', () => ({ 'sv-dga': { keys: [{ ...sigOf(dga), alg: 'ES256' }] } }), /alg must be "EdDSA"/],
    [
      'a kid listed twice',
      () => ({ 'sv-dga': { keys: [sigOf(dga), sigOf(dga)] } }),
      /keys\[1\]: .* listed twice/,
    ],
    ['no keys', () => ({ 'sv-dga': { keys: [] } }), /parties\["sv-dga"\]: expected \{ "keys"/],
    [
      'a validity that is not an instant',
      () => ({ 'sv-dga': { keys: [{ ...sigOf(dga), notBefore: 'tomorrow' }] } }),
      /keys\[0\]: notBefore must be an ISO 8601 instant/,
    ],
    [
      'an empty validity window',
      () => ({
        'sv-dga': {
          keys: [{ ...sigOf(dga), notBefore: '2026-12-01T00:00:00Z', notAfter: '2026-12-01T00:00:00Z' }],
        },
      }),
      /notAfter must be later than notBefore/,
    ],
    ['a bad party id', () => ({ 'SV DGA': { keys: [sigOf(dga)] } }), /parties\["SV DGA"\]: not a party id/],
  ])('rejects %s', async (_what, parties, message) => {
    const file = fileWith({ version: 1, parties: parties() });
    await expect(TrustStore.load(file)).rejects.toThrow(message);
  });

  it('rejects files that are missing, not JSON, or of another shape', async () => {
    const missing = join(dir, 'nope.json');
    await expect(TrustStore.load(missing)).rejects.toMatchObject({ code: 'KEY_FILE_MISSING', file: missing });
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"version": 1,');
    await expect(TrustStore.load(notJson)).rejects.toThrow(`${notJson}: is not valid JSON`);
    for (const document of [[], { version: 2, parties: {} }, { version: 1, parties: [] }, { version: 1 }]) {
      await expect(TrustStore.load(fileWith(document))).rejects.toMatchObject({ code: 'KEY_FILE_INVALID' });
    }
  });

  it('returns a copy of its party list', async () => {
    writePartyKeys(dir, cbp);
    writePartyKeys(dir, dga);
    const trust = await TrustStore.load(trustStoreFile(dir));
    trust.parties().reverse();
    expect(trust.parties()).toEqual(['sv-dga', 'us-cbp']);
  });
});
