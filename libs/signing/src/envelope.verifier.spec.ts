import { createHmac } from 'node:crypto';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { EnvelopeSigner } from './envelope.signer';
import { verifyEnvelopeJws, type VerifyResult } from './envelope.verifier';
import { loadOwnKeys, OwnKeys } from './own-keys.loader';
import { writePartyKeys } from './party-keys.files';
import { generatePartyKeys } from './party-keys.generator';
import {
  b64,
  b64json,
  type KeysFixture,
  keysFixture,
  ownOf,
  removeDir,
  tempDir,
} from './signing.test-fixture';

const PAYLOAD = new TextEncoder().encode('envelope bytes: PASSPORT X1234567');

describe('envelope JWS', () => {
  let keys: KeysFixture;
  let dgaKid: string;
  let signed: string;

  beforeAll(async () => {
    keys = await keysFixture(['sv-dga', 'us-cbp']);
    dgaKid = ownOf(keys, 'sv-dga').signing.kid;
    signed = new EnvelopeSigner(ownOf(keys, 'sv-dga')).sign(PAYLOAD);
  });
  afterAll(() => removeDir(keys?.dir));

  const verify = (compact: string) => verifyEnvelopeJws(compact, keys.trust);
  // The three parts of the genuine record, to recombine into forgeries.
  const header = () => signed.split('.')[0] ?? '';
  const body = () => signed.split('.')[1] ?? '';
  const signature = () => signed.split('.')[2] ?? '';

  it('signs with exactly { alg: EdDSA, kid, typ } and verifies, naming the signer and kid', () => {
    expect(decodeProtectedHeader(signed)).toEqual({ alg: 'EdDSA', kid: dgaKid, typ: 'puente-envelope+jws' });
    const result = verify(signed);
    expect(result).toMatchObject({ ok: true, signer: 'sv-dga', kid: dgaKid });
    expect(result.ok && Buffer.from(result.payload).equals(Buffer.from(PAYLOAD))).toBe(true);
  });

  it('refuses a tampered payload or signature with BAD_SIGNATURE', () => {
    const otherBody = b64('envelope bytes: PASSPORT X7654321');
    expect(verify(`${header()}.${otherBody}.${signature()}`)).toMatchObject({
      ok: false,
      reason: 'BAD_SIGNATURE',
      kid: dgaKid,
      claimedSigner: 'sv-dga',
    });
    const flipped = `${signature().startsWith('A') ? 'B' : 'A'}${signature().slice(1)}`;
    expect(verify(`${header()}.${body()}.${flipped}`)).toMatchObject({ reason: 'BAD_SIGNATURE' });
  });

  it('refuses a kid that is not in the trust store with UNKNOWN_KEY and the party the kid claims', () => {
    const forged = `${b64json({ alg: 'EdDSA', kid: 'us-ice:sig:AAAAAAAAAAAAAAAA', typ: 'puente-envelope+jws' })}.${body()}.${signature()}`;
    expect(verify(forged)).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_KEY',
      kid: 'us-ice:sig:AAAAAAAAAAAAAAAA',
      claimedSigner: 'us-ice',
    });
    const encKid = ownOf(keys, 'sv-dga').encryption.kid;
    const withEncKid = `${b64json({ alg: 'EdDSA', kid: encKid, typ: 'puente-envelope+jws' })}.${body()}.${signature()}`;
    expect(verify(withEncKid)).toMatchObject({ reason: 'UNKNOWN_KEY', claimedSigner: 'sv-dga' });
    const noKid = `${b64json({ alg: 'EdDSA', typ: 'puente-envelope+jws' })}.${body()}.${signature()}`;
    expect(verify(noKid)).toEqual({
      ok: false,
      reason: 'UNKNOWN_KEY',
      detail: 'the JWS header names no kid',
    });
    const oddKid = `${b64json({ alg: 'EdDSA', kid: 'x\u0000y', typ: 'puente-envelope+jws' })}.${body()}.${signature()}`;
    expect(verify(oddKid)).toEqual({
      ok: false,
      reason: 'UNKNOWN_KEY',
      detail: 'the JWS header has a kid not of the form <party>:sig:<thumbprint>',
    });
  });

  it('refuses a fresh key outside the trust store: UNKNOWN_KEY under its own kid, BAD_SIGNATURE under a trusted one', async () => {
    const outside = tempDir('outsider');
    try {
      writePartyKeys(outside, await generatePartyKeys('sv-dga'));
      const outsider = await loadOwnKeys(outside, 'sv-dga');
      expect(verify(new EnvelopeSigner(outsider).sign(PAYLOAD))).toMatchObject({
        ok: false,
        reason: 'UNKNOWN_KEY',
        kid: outsider.signing.kid,
        claimedSigner: 'sv-dga',
      });
      // The outsider copies sv-dga's real kid into its header: the kid is known, the signature is not its.
      const impostor = new EnvelopeSigner(
        new OwnKeys('sv-dga', [{ ...outsider.signing, kid: dgaKid }], [outsider.encryption]),
      ).sign(PAYLOAD);
      expect(verify(impostor)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE', kid: dgaKid });
    } finally {
      removeDir(outside);
    }
  });

  it('refuses forged algorithms: alg none, HS256 keyed with the public key, others, none at all', () => {
    const typ = 'puente-envelope+jws';
    const none = `${b64json({ alg: 'none', kid: dgaKid, typ })}.${body()}.`;
    expect(verify(none)).toMatchObject({
      ok: false,
      reason: 'ALG_NOT_ALLOWED',
      claimedSigner: 'sv-dga',
    });

    // The classic confusion attack: HMAC with the verifier's public key bytes as the secret.
    const x = Buffer.from(keys.trust.signingKey(dgaKid)?.key.export({ format: 'jwk' }).x ?? '', 'base64url');
    const hsHeader = b64json({ alg: 'HS256', kid: dgaKid, typ });
    const mac = createHmac('sha256', x).update(`${hsHeader}.${body()}`).digest('base64url');
    expect(verify(`${hsHeader}.${body()}.${mac}`)).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });

    for (const alg of ['ES256', 'RS256', 'EdDSA ', 'eddsa', 42, undefined]) {
      const forged = `${b64json({ alg, kid: dgaKid, typ })}.${body()}.${signature()}`;
      expect(verify(forged)).toMatchObject({ ok: false, reason: 'ALG_NOT_ALLOWED' });
    }
  });

  it.each(['jku', 'x5u', 'jwk', 'x5c', 'x5t', 'x5t#S256', 'crit'])(
    'refuses a header that carries "%s" with ALG_NOT_ALLOWED, even with a valid signature',
    async (name) => {
      const value =
        name === 'crit'
          ? ['b64']
          : name === 'jwk'
            ? { kty: 'OKP', crv: 'Ed25519', x: 'AA' }
            : 'https://evil.example/k';
      const own = ownOf(keys, 'sv-dga');
      const jws = await new CompactSign(PAYLOAD)
        .setProtectedHeader({
          alg: 'EdDSA',
          kid: own.signing.kid,
          typ: 'puente-envelope+jws',
          [name]: value,
          ...(name === 'crit' ? { b64: true } : {}),
        })
        .sign(own.signing.key);
      const result = verify(jws);
      expect(result).toMatchObject({ ok: false, reason: 'ALG_NOT_ALLOWED', claimedSigner: 'sv-dga' });
      expect(!result.ok && result.detail).toContain(`"${name}"`);
    },
  );

  it('refuses a signature made for something else (typ) as MALFORMED_RECORD', async () => {
    const own = ownOf(keys, 'sv-dga');
    for (const header of [{ typ: 'JWT' }, {}]) {
      const jws = await new CompactSign(PAYLOAD)
        .setProtectedHeader({ alg: 'EdDSA', kid: own.signing.kid, ...header })
        .sign(own.signing.key);
      expect(verify(jws)).toMatchObject({
        ok: false,
        reason: 'MALFORMED_RECORD',
        kid: own.signing.kid,
      });
    }
  });

  it('calls garbage MALFORMED_RECORD and never throws', () => {
    const garbage: unknown[] = [
      '',
      'not a jws',
      'a.b',
      'a.b.c.d',
      '..',
      `${header()}..${signature()}`,
      `${b64('{not json')}.${body()}.${signature()}`,
      `${b64json([1, 2])}.${body()}.${signature()}`,
      `${b64json(null)}.${body()}.${signature()}`,
      `${header()}.${body()}.${signature()}=`,
      `${header()}.b\u00f6dy.${signature()}`,
      ` ${signed}`,
      undefined,
      42,
      { toString: () => signed },
    ];
    for (const value of garbage) {
      const result = verifyEnvelopeJws(value as string, keys.trust);
      expect(result).toMatchObject({ ok: false, reason: 'MALFORMED_RECORD' });
    }
  });

  it('refuses a record over the size limit before parsing it', () => {
    expect(verifyEnvelopeJws(signed, keys.trust, { maxBytes: signed.length })).toMatchObject({
      ok: true,
    });
    expect(verifyEnvelopeJws(signed, keys.trust, { maxBytes: signed.length - 1 })).toEqual({
      ok: false,
      reason: 'MALFORMED_RECORD',
      detail: `the record value is ${signed.length} bytes, over the ${signed.length - 1}-byte limit`,
    });
  });

  it('never puts payload contents or arbitrary header values into the detail', () => {
    const failures: VerifyResult[] = [
      verify(`${header()}.${b64('PASSPORT X1234567 tampered')}.${signature()}`),
      verify(`${b64json({ alg: 'PASSPORT X1234567 '.repeat(5), kid: dgaKid })}.${body()}.${signature()}`),
      verify(`${b64json({ alg: 'EdDSA', kid: dgaKid, typ: 'PASSPORT X1234567 '.repeat(5) })}.${body()}.x`),
      verify(
        `${b64json({ alg: 'EdDSA', kid: 'PASSPORT X1234567', typ: 'puente-envelope+jws' })}.${body()}.x`,
      ),
    ];
    for (const result of failures) {
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('X1234567');
    }
  });
});
