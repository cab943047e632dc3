import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { digestOf } from './digest';
import { EnvelopeSigner, verifyEnvelopeJws } from './envelope.jws';
import { addToTrustStore, loadOwnKeys, privateKeysFile, trustStoreFile, writePartyKeys } from './key-files';
import { generatePartyKeys } from './party-keys';
import { decryptWithOwnKey, DecryptError, encryptFor } from './payload.jwe';
import { TrustStore } from './trust-store';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('signing', () => {
  let dir: string;
  let trust: TrustStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'puente-signing-'));
    for (const party of ['sv-dga', 'us-cbp']) writePartyKeys(dir, await generatePartyKeys(party));
    trust = await TrustStore.load(trustStoreFile(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes private keys readable only by their owner, and a trust store of public keys', () => {
    expect(statSync(privateKeysFile(dir, 'sv-dga')).mode & 0o777).toBe(0o600);
    expect(trust.parties().sort()).toEqual(['sv-dga', 'us-cbp']);
    expect(trust.encryptionKeyFor('us-cbp')?.kid).toMatch(/^us-cbp:enc:/);
  });

  it('signs and verifies, naming the signer from the trust store', async () => {
    const own = await loadOwnKeys(dir, 'sv-dga');
    const jws = await new EnvelopeSigner(own).sign(new Uint8Array([1, 2, 3]));
    expect(decodeProtectedHeader(jws)).toEqual({
      alg: 'EdDSA',
      kid: own.signing.kid,
      typ: 'puente-envelope+jws',
    });
    const result = await verifyEnvelopeJws(jws, trust);
    expect(result).toMatchObject({ ok: true, signer: 'sv-dga', kid: own.signing.kid });
    expect(result.ok && [...result.payload]).toEqual([1, 2, 3]);
  });

  it('refuses a tampered payload with BAD_SIGNATURE', async () => {
    const jws = await new EnvelopeSigner(await loadOwnKeys(dir, 'sv-dga')).sign(new Uint8Array([1, 2, 3]));
    const [h, , s] = jws.split('.');
    expect(
      await verifyEnvelopeJws(`${h}.${Buffer.from([1, 2, 4]).toString('base64url')}.${s}`, trust),
    ).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a key outside the trust store, even one that carries a trusted party name', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'puente-outsider-'));
    writePartyKeys(outside, await generatePartyKeys('sv-dga'));
    const jws = await new EnvelopeSigner(await loadOwnKeys(outside, 'sv-dga')).sign(new Uint8Array([9]));
    expect(await verifyEnvelopeJws(jws, trust)).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_KEY',
      claimedSigner: 'sv-dga',
    });
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses forged headers: alg none or HS256, and keys offered by the record itself', async () => {
    const own = await loadOwnKeys(dir, 'sv-dga');
    const body = Buffer.from([1]).toString('base64url');
    expect(
      await verifyEnvelopeJws(`${b64({ alg: 'none', kid: own.signing.kid })}.${body}.x`, trust),
    ).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
    expect(
      await verifyEnvelopeJws(`${b64({ alg: 'HS256', kid: own.signing.kid })}.${body}.abc`, trust),
    ).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
    expect(
      await verifyEnvelopeJws(
        `${b64({ alg: 'EdDSA', kid: own.signing.kid, jku: 'https://evil.example/keys' })}.${body}.abc`,
        trust,
      ),
    ).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
    expect(
      await verifyEnvelopeJws(`${b64({ alg: 'EdDSA', jwk: { kty: 'OKP' } })}.${body}.abc`, trust),
    ).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
  });

  it('calls garbage MALFORMED_RECORD and never throws', async () => {
    for (const value of [
      '',
      'not a jws',
      'a.b',
      `${Buffer.from('{not json').toString('base64url')}.e30.abc`,
    ]) {
      expect(await verifyEnvelopeJws(value, trust)).toMatchObject({ ok: false, reason: 'MALFORMED_RECORD' });
    }
  });

  it('rejects a trust store that lists a key under the wrong party', async () => {
    const file = join(dir, 'bad-trust-store.json');
    const material = await generatePartyKeys('us-ice');
    addToTrustStore(file, 'sv-dga', material.publicJwks);
    await expect(TrustStore.load(file)).rejects.toThrow(/must start with "sv-dga:"/);
  });

  it('encrypts to the recipient only', async () => {
    const jwe = await encryptFor('us-cbp', new Uint8Array([7, 7]), trust);
    expect([...(await decryptWithOwnKey(jwe, await loadOwnKeys(dir, 'us-cbp')))]).toEqual([7, 7]);
    await expect(decryptWithOwnKey(jwe, await loadOwnKeys(dir, 'sv-dga'))).rejects.toBeInstanceOf(
      DecryptError,
    );
  });

  it('digests record values as sha256:<hex>', () => {
    expect(digestOf('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
