import { CompactEncrypt, decodeProtectedHeader } from 'jose';
import { decryptWithOwnKey } from './payload.decrypter';
import { encryptFor } from './payload.encrypter';
import { b64json, type KeysFixture, keysFixture, ownOf, removeDir } from './signing.test-fixture';
import { DecryptError, EncryptError } from './signing.errors';

const SECRET = new TextEncoder().encode('traveler: DOE JOHN, passport X1234567');

describe('payload JWE', () => {
  let keys: KeysFixture;
  beforeAll(async () => {
    keys = await keysFixture(['sv-dgme', 'us-cbp']);
  });
  afterAll(() => removeDir(keys?.dir));

  const decryptError = async (jwe: string, party = 'us-cbp'): Promise<DecryptError> => {
    const error = await decryptWithOwnKey(jwe, ownOf(keys, party)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).message).not.toContain('X1234567');
    return error as DecryptError;
  };

  it("round-trips a payload encrypted to the recipient's key, with the profile's header", async () => {
    const jwe = await encryptFor('us-cbp', SECRET, keys.trust);
    expect(jwe.split('.')).toHaveLength(5);
    expect(jwe).not.toContain(Buffer.from(SECRET).toString('base64url').slice(0, 12));
    expect(decodeProtectedHeader(jwe)).toMatchObject({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: ownOf(keys, 'us-cbp').encryption.kid,
      cty: 'application/x-protobuf',
      epk: { kty: 'OKP', crv: 'X25519' },
    });
    expect(Buffer.from(await decryptWithOwnKey(jwe, ownOf(keys, 'us-cbp'))).equals(Buffer.from(SECRET))).toBe(
      true,
    );
  });

  it('cannot be decrypted by another party, even one that rewrites the kid to its own', async () => {
    const jwe = await encryptFor('us-cbp', SECRET, keys.trust);
    expect((await decryptError(jwe, 'sv-dgme')).code).toBe('NOT_FOR_ME');

    const [, ...rest] = jwe.split('.');
    const header = { ...decodeProtectedHeader(jwe), kid: ownOf(keys, 'sv-dgme').encryption.kid };
    expect((await decryptError([b64json(header), ...rest].join('.'), 'sv-dgme')).code).toBe('UNDECRYPTABLE');
  });

  it('refuses a tampered ciphertext or tag', async () => {
    const parts = (await encryptFor('us-cbp', SECRET, keys.trust)).split('.');
    for (const i of [3, 4]) {
      const tampered = [...parts];
      const part = tampered[i] ?? '';
      tampered[i] = `${part.startsWith('A') ? 'B' : 'A'}${part.slice(1)}`;
      expect((await decryptError(tampered.join('.'))).code).toBe('UNDECRYPTABLE');
    }
  });

  it('refuses algorithms and headers outside the profile before decrypting', async () => {
    const cbp = keys.trust.encryptionKeyFor('us-cbp');
    if (!cbp) throw new Error('fixture has no us-cbp key');
    const encryptWith = (header: Record<string, unknown>) =>
      new CompactEncrypt(SECRET).setProtectedHeader({ kid: cbp.kid, ...header } as never).encrypt(cbp.key);
    for (const header of [
      { alg: 'ECDH-ES', enc: 'A256GCM' },
      { alg: 'ECDH-ES+A128KW', enc: 'A256GCM' },
      { alg: 'ECDH-ES+A256KW', enc: 'A128GCM' },
      { alg: 'ECDH-ES+A256KW', enc: 'A256CBC-HS512' },
      { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', jku: 'https://evil.example/keys' },
    ]) {
      expect((await decryptError(await encryptWith(header))).code).toBe('ALG_NOT_ALLOWED');
    }
    const forgedDir = `${b64json({ alg: 'dir', enc: 'A256GCM', kid: cbp.kid })}..AAAA.AAAA.AAAA`;
    expect((await decryptError(forgedDir)).code).toBe('ALG_NOT_ALLOWED');
    const zipped = `${b64json({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', zip: 'DEF', kid: cbp.kid })}.AA.AA.AA.AA`;
    expect((await decryptError(zipped)).code).toBe('ALG_NOT_ALLOWED');
  });

  it('calls anything that is not a compact JWE MALFORMED', async () => {
    for (const value of [
      '',
      'a.b.c',
      'a.b.c.d.e.f',
      `${b64json([])}.a.b.c.d`,
      '!!.a.b.c.d',
      'bm90IGpzb24.a.b.c.d',
    ]) {
      expect((await decryptError(value)).code).toBe('MALFORMED');
    }
  });

  it('fails to encrypt to a party without an encryption key in the trust store', async () => {
    await expect(encryptFor('mx-anam', SECRET, keys.trust)).rejects.toEqual(
      expect.objectContaining({ code: 'NO_ENCRYPTION_KEY' }),
    );
    await expect(encryptFor('mx-anam', SECRET, keys.trust)).rejects.toBeInstanceOf(EncryptError);
  });
});
