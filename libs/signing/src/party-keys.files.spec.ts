import { KeyObject } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOwnKeys } from './own-keys.loader';
import { privateKeysFile, readPartyKeyMaterial, trustStoreFile, writePartyKeys } from './party-keys.files';
import { generatePartyKeys } from './party-keys.generator';
import { removeDir, tempDir } from './signing.test-fixture';
import { KeyMaterialError } from './signing.errors';
import { mergeIntoTrustStore, readTrustStoreDocument } from './trust-store.file';

const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('party key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('key-files');
  });
  afterEach(() => removeDir(dir));

  it('generates an Ed25519 signing key and an X25519 encryption key, kids naming party and use', async () => {
    const material = await generatePartyKeys('us-cbp');
    expect(material.privateJwks.map(({ use, alg, crv }) => `${use} ${alg} ${crv}`)).toEqual([
      'sig EdDSA Ed25519',
      'enc ECDH-ES+A256KW X25519',
    ]);
    const [sigKid, encKid] = material.privateJwks.map((jwk) => jwk.kid);
    expect(sigKid).toMatch(/^us-cbp:sig:[A-Za-z0-9_-]{16}$/);
    expect(encKid).toMatch(/^us-cbp:enc:[A-Za-z0-9_-]{16}$/);
    expect(material.privateJwks.every((jwk) => typeof jwk.d === 'string')).toBe(true);
    expect(material.publicJwks.some((jwk) => 'd' in jwk)).toBe(false);
    await expect(generatePartyKeys('US CBP')).rejects.toMatchObject({ code: 'INVALID_PARTY' });
  });

  it('writes private keys with mode 0600, the trust store with 0644, and leaves no temporary files', async () => {
    const previousUmask = process.umask(0o000); // a lax umask must not widen the private file
    try {
      writePartyKeys(dir, await generatePartyKeys('sv-dga'));
    } finally {
      process.umask(previousUmask);
    }
    expect(statSync(privateKeysFile(dir, 'sv-dga')).mode & 0o777).toBe(0o600);
    expect(statSync(trustStoreFile(dir)).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).sort()).toEqual(['sv-dga.private.jwks.json', 'trust-store.json']);
    expect(json(privateKeysFile(dir, 'sv-dga'))).toMatchObject({ keys: [{ use: 'sig' }, { use: 'enc' }] });
  });

  it('narrows a private key file that was left readable by others when it is rewritten', async () => {
    writePartyKeys(dir, await generatePartyKeys('sv-dga'));
    chmodSync(privateKeysFile(dir, 'sv-dga'), 0o644);
    writePartyKeys(dir, await generatePartyKeys('sv-dga'));
    expect(statSync(privateKeysFile(dir, 'sv-dga')).mode & 0o777).toBe(0o600);
  });

  it("adds to one party's trust-store entry, keeps its old keys (retired) and the other parties, public members only", async () => {
    const dga = await generatePartyKeys('sv-dga');
    const cbp = await generatePartyKeys('us-cbp');
    writePartyKeys(dir, dga);
    writePartyKeys(dir, cbp);
    const dgaAgain = await generatePartyKeys('sv-dga');
    const retiredAt = new Date('2026-12-01T00:00:00Z');
    const added = dgaAgain.privateJwks.map((jwk) => ({ jwk, validity: { notBefore: retiredAt } })); // d is dropped
    mergeIntoTrustStore(trustStoreFile(dir), 'sv-dga', added, retiredAt);
    const store = readTrustStoreDocument(trustStoreFile(dir));
    expect(store?.version).toBe(1);
    expect(store?.parties['us-cbp']?.keys).toEqual(cbp.publicJwks);
    expect(store?.parties['sv-dga']?.keys).toEqual([
      ...dga.publicJwks.map((jwk) => ({ ...jwk, notAfter: retiredAt.toISOString() })),
      ...dgaAgain.publicJwks.map((jwk) => ({ ...jwk, notBefore: retiredAt.toISOString() })),
    ]);
    expect(readFileSync(trustStoreFile(dir), 'utf8')).not.toContain('"d"');
  });

  it('refuses to add keys under the wrong party, or to overwrite a trust store it cannot read', async () => {
    const ice = await generatePartyKeys('us-ice');
    expect(() =>
      mergeIntoTrustStore(
        trustStoreFile(dir),
        'sv-dga',
        ice.publicJwks.map((jwk) => ({ jwk, validity: {} })),
      ),
    ).toThrow(/new keys for sv-dga\[0\]: kid "us-ice:sig:.*" must start with "sv-dga:"/);
    writeFileSync(trustStoreFile(dir), '{ not json');
    expect(() =>
      mergeIntoTrustStore(
        trustStoreFile(dir),
        'us-ice',
        ice.publicJwks.map((jwk) => ({ jwk, validity: {} })),
      ),
    ).toThrow(expect.objectContaining({ code: 'KEY_FILE_UNREADABLE' }) as Error);
    expect(readFileSync(trustStoreFile(dir), 'utf8')).toBe('{ not json');
  });

  it('loads own keys once into private KeyObjects', async () => {
    const material = await generatePartyKeys('sv-dga');
    writePartyKeys(dir, material);
    const own = await loadOwnKeys(dir, 'sv-dga');
    expect(own.party).toBe('sv-dga');
    expect(own.signing.kid).toBe(material.publicJwks[0]?.kid);
    expect(own.encryption.kid).toBe(material.publicJwks[1]?.kid);
    for (const key of [own.signing.key, own.encryption.key]) {
      expect(key).toBeInstanceOf(KeyObject);
      expect(key.type).toBe('private');
    }
    expect(own.signing.key.asymmetricKeyType).toBe('ed25519');
    expect(own.encryption.key.asymmetricKeyType).toBe('x25519');
  });

  it('refuses missing, unreadable and inconsistent private key files, naming the file and entry', async () => {
    const file = privateKeysFile(dir, 'sv-dga');
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toMatchObject({ code: 'KEY_FILE_MISSING', file });
    await expect(loadOwnKeys(dir, '../etc')).rejects.toMatchObject({ code: 'INVALID_PARTY' });

    writeFileSync(file, 'not json');
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toMatchObject({ code: 'KEY_FILE_UNREADABLE', file });

    const ice = await generatePartyKeys('us-ice');
    writeFileSync(file, JSON.stringify({ keys: ice.privateJwks }));
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toThrow(
      `${file}: keys[0]: kid "${ice.privateJwks[0]?.kid}" must start with "sv-dga:"`,
    );

    const dga = await generatePartyKeys('sv-dga');
    writeFileSync(file, JSON.stringify({ keys: [dga.privateJwks[0]] }));
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toThrow(/needs a "sig" and an "enc" key, found sig/);

    writeFileSync(file, JSON.stringify({ keys: dga.publicJwks }));
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toThrow(/keys\[0\]: .* has no valid private key/);

    const other = await generatePartyKeys('sv-dga');
    const swapped = { ...dga.privateJwks[0], x: other.privateJwks[0]?.x, d: other.privateJwks[0]?.d };
    writeFileSync(file, JSON.stringify({ keys: [swapped, dga.privateJwks[1]] }));
    await expect(loadOwnKeys(dir, 'sv-dga')).rejects.toThrow(/keys\[0\]: kid ".*" does not match the key/);
  });

  it('never quotes private key material in its errors', async () => {
    const dga = await generatePartyKeys('sv-dga');
    const [sig, enc] = dga.privateJwks;
    const broken = { ...sig, crv: 'X25519' };
    writeFileSync(privateKeysFile(dir, 'sv-dga'), JSON.stringify({ keys: [broken, enc] }));
    const error = (await loadOwnKeys(dir, 'sv-dga').catch((e: unknown) => e)) as KeyMaterialError;
    expect(error).toBeInstanceOf(KeyMaterialError);
    expect(error.message).not.toContain(String(sig?.d));
    expect(() => readPartyKeyMaterial(dir, 'sv-dga')).toThrow(/must be kty "OKP", crv "Ed25519"/);
  });

  it('reads a private key file back as the material that was written', async () => {
    const material = await generatePartyKeys('mx-anam');
    writePartyKeys(dir, material);
    expect(readPartyKeyMaterial(dir, 'mx-anam')).toEqual(material);
    expect(join(dir, 'mx-anam.private.jwks.json')).toBe(privateKeysFile(dir, 'mx-anam'));
  });
});
