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
    expect(trust.signingKey(sigOf(dga)?.kid ?? '')).toBe(signing); // the same imported object every time

    expect(trust.encryptionKeyFor('us-cbp')).toMatchObject({ kid: encOf(cbp)?.kid });
    expect(trust.encryptionKeyFor('us-cbp')?.key.asymmetricKeyType).toBe('x25519');
    expect(trust.encryptionKeyFor('us-ice')).toBeUndefined();
    // An encryption kid is not a signing key: it must never verify a signature.
    expect(trust.signingKey(encOf(dga)?.kid ?? '')).toBeUndefined();
    expect(trust.signingKey('sv-dga:sig:AAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('accepts several signing keys for a party (rotation) but only one encryption key', async () => {
    const next = await generatePartyKeys('sv-dga');
    const rotated = fileWith({
      version: 1,
      parties: { 'sv-dga': { keys: [sigOf(dga), sigOf(next), encOf(next)] } },
    });
    const trust = await TrustStore.load(rotated);
    expect(trust.signingKey(sigOf(dga)?.kid ?? '')?.party).toBe('sv-dga');
    expect(trust.signingKey(sigOf(next)?.kid ?? '')?.party).toBe('sv-dga');

    const twoEnc = fileWith({ version: 1, parties: { 'sv-dga': { keys: [encOf(dga), encOf(next)] } } });
    await expect(TrustStore.load(twoEnc)).rejects.toThrow(
      `${twoEnc}: parties["sv-dga"].keys[1]: a second "enc" key`,
    );
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
