import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decryptWithOwnKey,
  DecryptError,
  encryptFor,
  EnvelopeSigner,
  loadOwnKeys,
  privateKeysFile,
  TrustStore,
  trustStoreFile,
  verifyEnvelopeJws,
} from '@app/signing';
import { DEFAULT_ROTATION_LEAD_SECONDS, parseKeyCommand } from './key-command';
import { revokePartyKey, rotatePartyKeys } from './key-rotation';
import { ensureKeys } from './party-keys.provisioner';

const BINDING = { sender: 'us-cbp', messageId: '01935a4e-0000-7000-8000-00000000000a', type: 't' };
const HOUR = 3600_000;

describe('key rotation and revocation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'puente-rotation-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the old keys, switches at notBefore, and each record verifies with the key valid when it was made', async () => {
    const [before] = await ensureKeys(dir, ['sv-dga', 'us-cbp']);
    const oldSig = before?.signingKid ?? '';
    const oldEnc = before?.encryptionKid ?? '';
    const switchAt = new Date(Date.now() + HOUR);
    const rotated = await rotatePartyKeys(dir, 'sv-dga', switchAt);
    expect(rotated.retiredKids).toEqual([oldSig, oldEnc]);
    expect(rotated.signingKid).not.toBe(oldSig);

    const own = await loadOwnKeys(dir, 'sv-dga');
    const trust = await TrustStore.load(trustStoreFile(dir));
    const signer = new EnvelopeSigner(own);
    const beforeSwitch = new Date(switchAt.getTime() - 1);
    expect(signer.kidAt(beforeSwitch)).toBe(oldSig);
    expect(signer.kidAt(switchAt)).toBe(rotated.signingKid);

    const oldRecord = signer.sign(new Uint8Array([1]), beforeSwitch);
    const newRecord = signer.sign(new Uint8Array([2]), switchAt);
    expect(verifyEnvelopeJws(oldRecord, trust)).toMatchObject({ ok: true, kid: oldSig });
    expect(verifyEnvelopeJws(newRecord, trust)).toMatchObject({ ok: true, kid: rotated.signingKid });
    expect(trust.signingKeyProblemAt(oldSig, beforeSwitch)).toBeUndefined();
    expect(trust.signingKeyProblemAt(oldSig, switchAt)).toBe('KEY_NOT_VALID'); // the old key, used after the switch
    expect(trust.signingKeyProblemAt(rotated.signingKid, beforeSwitch)).toBe('KEY_NOT_VALID');

    // Senders encrypt to the old key before the switch and to the new one after.
    expect(trust.encryptionKeyFor('sv-dga', beforeSwitch)?.kid).toBe(oldEnc);
    expect(trust.encryptionKeyFor('sv-dga', switchAt)?.kid).toBe(rotated.encryptionKid);
  });

  it('decrypts with the previous encryption key during the overlap only', async () => {
    await ensureKeys(dir, ['sv-dga', 'us-cbp']);
    const switchAt = new Date(Date.now() + HOUR);
    await rotatePartyKeys(dir, 'sv-dga', switchAt);
    const own = await loadOwnKeys(dir, 'sv-dga');
    const trust = await TrustStore.load(trustStoreFile(dir));
    const plaintext = new TextEncoder().encode('in flight');
    const open = (jwe: string, now: Date) =>
      decryptWithOwnKey(jwe, own, BINDING, { now, overlapMs }).then((bytes) => Buffer.from(bytes).toString());
    const overlapMs = 2 * HOUR;
    const inFlight = await encryptFor('sv-dga', plaintext, trust, BINDING, new Date(switchAt.getTime() - 1));
    const at = (ms: number) => new Date(switchAt.getTime() + ms);
    await expect(open(inFlight, at(-1))).resolves.toBe('in flight');
    await expect(open(inFlight, at(HOUR))).resolves.toBe('in flight');
    await expect(
      decryptWithOwnKey(inFlight, own, BINDING, { now: at(overlapMs), overlapMs }),
    ).rejects.toEqual(new DecryptError('NOT_FOR_ME'));
    const fresh = await encryptFor('sv-dga', plaintext, trust, BINDING, at(overlapMs));
    await expect(open(fresh, at(overlapMs))).resolves.toBe('in flight');
  });

  it('revokes a key in the trust store and the own key file: refused from revokedAt on, verifiable before', async () => {
    const [dga] = await ensureKeys(dir, ['sv-dga']);
    const kid = dga?.signingKid ?? '';
    await rotatePartyKeys(dir, 'sv-dga', new Date(Date.now() - 1000));
    const revokedAt = new Date();
    expect(await revokePartyKey(dir, 'sv-dga', kid, revokedAt, 'compromised')).toEqual({
      inTrustStore: true,
      inPrivateFile: true,
    });
    const trust = await TrustStore.load(trustStoreFile(dir));
    expect(trust.signingKeyProblemAt(kid, new Date(revokedAt.getTime() + 1))).toBe('KEY_REVOKED');
    expect(trust.signingKeyProblemAt(kid, new Date(revokedAt.getTime() - 5000))).toBeUndefined();
    expect(trust.signingKey(kid)?.validity.revocationReason).toBe('compromised');
    const own = await loadOwnKeys(dir, 'sv-dga');
    expect(own.signing.kid).not.toBe(kid);
    expect(readFileSync(privateKeysFile(dir, 'sv-dga'), 'utf8')).toContain('"revokedAt"');
  });

  it('parses rotate and revoke strictly and leaves other arguments to the generate command', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(parseKeyCommand(['--out', 'k'], 'd', now)).toBeUndefined();
    expect(parseKeyCommand(['rotate', '--party', 'sv-dga'], 'd', now)).toEqual({
      kind: 'rotate',
      out: 'd',
      party: 'sv-dga',
      switchAt: new Date(now.getTime() + DEFAULT_ROTATION_LEAD_SECONDS * 1000),
    });
    expect(
      parseKeyCommand(['rotate', '--party', 'sv-dga', '--in', '5', '--out', 'k'], 'd', now),
    ).toMatchObject({
      out: 'k',
      switchAt: new Date('2026-12-01T00:00:05Z'),
    });
    expect(
      parseKeyCommand(['revoke', '--party', 'sv-dga', '--kid', 'sv-dga:sig:AAAAAAAAAAAAAAAA'], 'd', now),
    ).toEqual({
      kind: 'revoke',
      out: 'd',
      party: 'sv-dga',
      kid: 'sv-dga:sig:AAAAAAAAAAAAAAAA',
      at: now,
      reason: 'compromised',
    });
    expect(() => parseKeyCommand(['rotate'], 'd')).toThrow(/needs --party/);
    expect(() => parseKeyCommand(['rotate', '--party', 'sv-dga', '--in', '1', '--at', 'x'], 'd')).toThrow(
      /not both/,
    );
    expect(() => parseKeyCommand(['rotate', '--party', 'sv-dga', '--at', 'soon'], 'd')).toThrow(/ISO 8601/);
    expect(() => parseKeyCommand(['revoke', '--party', 'sv-dga', '--kid', 'us-cbp:sig:A'], 'd')).toThrow(
      /one of sv-dga's kids/,
    );
    expect(() => parseKeyCommand(['revoke', '--party', 'sv-dga'], 'd')).toThrow(/needs --kid/);
  });
});
