import { CompactEncrypt, decodeProtectedHeader } from 'jose';
import { decryptWithOwnKey } from './payload.decrypter';
import { encryptFor, type PayloadBinding } from './payload.encrypter';
import { b64json, type KeysFixture, keysFixture, ownOf, removeDir } from './signing.test-fixture';
import { DecryptError, EncryptError } from './signing.errors';

const SECRET = new TextEncoder().encode('traveler: DOE JOHN, passport X1234567');
const BINDING: PayloadBinding = {
  sender: 'sv-dgme',
  messageId: '01935a4e-0000-7000-8000-00000000000a',
  type: 'puente.passenger_risk.v1.TravelerRiskQuery',
};

describe('payload JWE', () => {
  let keys: KeysFixture;
  beforeAll(async () => {
    keys = await keysFixture(['sv-dgme', 'us-cbp']);
  });
  afterAll(() => removeDir(keys?.dir));

  const decryptError = async (
    jwe: string,
    party = 'us-cbp',
    expected: PayloadBinding = BINDING,
  ): Promise<DecryptError> => {
    const error = await decryptWithOwnKey(jwe, ownOf(keys, party), expected).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).message).not.toContain('X1234567');
    return error as DecryptError;
  };

  it("round-trips a payload encrypted to the recipient's key, with the profile's header", async () => {
    const jwe = await encryptFor('us-cbp', SECRET, keys.trust, BINDING);
    expect(jwe.split('.')).toHaveLength(5);
    expect(jwe).not.toContain(Buffer.from(SECRET).toString('base64url').slice(0, 12));
    expect(decodeProtectedHeader(jwe)).toMatchObject({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: ownOf(keys, 'us-cbp').encryption.kid,
      cty: 'application/x-protobuf',
      epk: { kty: 'OKP', crv: 'X25519' },
      'puente-sender': 'sv-dgme',
      'puente-mid': BINDING.messageId,
      'puente-type': BINDING.type,
    });
    const plaintext = await decryptWithOwnKey(jwe, ownOf(keys, 'us-cbp'), BINDING);
    expect(Buffer.from(plaintext).equals(Buffer.from(SECRET))).toBe(true);
  });

  it('refuses a payload whose binding is not that of the envelope it came in, or that has none', async () => {
    const jwe = await encryptFor('us-cbp', SECRET, keys.trust, BINDING);
    // Lifted into another party's envelope, another message, another type: it decrypts, and is refused.
    for (const other of [
      { ...BINDING, sender: 'us-ice' },
      { ...BINDING, messageId: '01935a4e-0000-7000-8000-00000000000b' },
      { ...BINDING, type: 'puente.customs_offense.v1.AssistanceRequest' },
    ])
      expect((await decryptError(jwe, 'us-cbp', other)).code).toBe('BINDING_MISMATCH');

    // The binding rewritten in the header to match the new envelope: the header is authenticated data.
    const [, ...rest] = jwe.split('.');
    const rebound = { ...decodeProtectedHeader(jwe), 'puente-sender': 'us-ice' };
    const tampered = [b64json(rebound), ...rest].join('.');
    expect((await decryptError(tampered, 'us-cbp', { ...BINDING, sender: 'us-ice' })).code).toBe(
      'UNDECRYPTABLE',
    );

    // Encrypted without any binding (as before the binding existed): refused once decrypted.
    const cbp = keys.trust.encryptionKeyFor('us-cbp');
    if (!cbp) throw new Error('fixture has no us-cbp key');
    const unbound = await new CompactEncrypt(SECRET)
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: cbp.kid })
      .encrypt(cbp.key);
    expect((await decryptError(unbound)).code).toBe('BINDING_MISMATCH');
  });

  it('cannot be decrypted by another party, even one that rewrites the kid to its own', async () => {
    const jwe = await encryptFor('us-cbp', SECRET, keys.trust, BINDING);
    expect((await decryptError(jwe, 'sv-dgme')).code).toBe('NOT_FOR_ME');

    const [, ...rest] = jwe.split('.');
    const header = { ...decodeProtectedHeader(jwe), kid: ownOf(keys, 'sv-dgme').encryption.kid };
    expect((await decryptError([b64json(header), ...rest].join('.'), 'sv-dgme')).code).toBe('UNDECRYPTABLE');
  });

  it('refuses a tampered ciphertext or tag', async () => {
    const parts = (await encryptFor('us-cbp', SECRET, keys.trust, BINDING)).split('.');
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
      // Parameters outside the profile's allow-list, however harmless they look.
      { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', typ: 'JWE' },
      { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', 'puente-recipient': 'us-cbp' },
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
    await expect(encryptFor('mx-anam', SECRET, keys.trust, BINDING)).rejects.toEqual(
      expect.objectContaining({ code: 'NO_ENCRYPTION_KEY' }),
    );
    await expect(encryptFor('mx-anam', SECRET, keys.trust, BINDING)).rejects.toBeInstanceOf(EncryptError);
  });
});
