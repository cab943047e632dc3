import { randomBytes } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { EnvelopeSigner } from './envelope.signer';
import { ENVELOPE_JWS_TYPE, SIGNING_ALG } from './jose-profile.constants';
import { type KeysFixture, keysFixture, ownOf, removeDir } from './signing.test-fixture';

describe('EnvelopeSigner', () => {
  let keys: KeysFixture;
  beforeAll(async () => {
    keys = await keysFixture(['sv-dga']);
  });
  afterAll(() => removeDir(keys?.dir));

  it("makes byte for byte the compact JWS jose's CompactSign makes, which jose verifies", async () => {
    const own = ownOf(keys, 'sv-dga');
    const signer = new EnvelopeSigner(own);
    // Sizes around base64's 3-byte groups, an empty payload, a payload in a shared buffer's middle.
    const shared = randomBytes(4096);
    const payloads = [
      new Uint8Array(0),
      randomBytes(1),
      randomBytes(2),
      randomBytes(3),
      randomBytes(2800),
      shared.subarray(1000, 3001),
    ];
    for (const payload of payloads) {
      const ours = signer.sign(payload);
      const jose = await new CompactSign(payload)
        .setProtectedHeader({ alg: SIGNING_ALG, kid: own.signing.kid, typ: ENVELOPE_JWS_TYPE })
        .sign(own.signing.key);
      expect(ours).toBe(jose);
      const verified = await compactVerify(ours, own.signing.key, { algorithms: [SIGNING_ALG] });
      expect(Buffer.from(verified.payload).equals(Buffer.from(payload))).toBe(true);
    }
  });
});
