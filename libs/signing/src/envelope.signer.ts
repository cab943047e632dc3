import { CompactSign } from 'jose';
import { ENVELOPE_JWS_TYPE, SIGNING_ALG } from './jose-profile.constants';
import type { OwnKeys } from './own-keys.loader';

/**
 * Signs encoded envelopes with this party's Ed25519 key: a compact JWS whose protected header is
 * exactly `{ alg: 'EdDSA', kid, typ: 'puente-envelope+jws' }`. The key is the one valid at the
 * envelope's creation time (`at`), so a record created after a rotation's switch carries the new kid
 * and one created before it the old: each verifies with the key valid when it was made. Create one
 * per node and reuse it; the keys were imported once by loadOwnKeys.
 */
export class EnvelopeSigner {
  constructor(private readonly own: OwnKeys) {}

  /** The kid records created at `at` are signed with (for flow events and tests). */
  kidAt(at: Date = new Date()): string {
    return this.own.signingKeyAt(at).kid;
  }

  /** The kid a record made now carries. */
  get kid(): string {
    return this.kidAt();
  }

  sign(payload: Uint8Array, at: Date = new Date()): Promise<string> {
    const { kid, key } = this.own.signingKeyAt(at);
    return new CompactSign(payload)
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ENVELOPE_JWS_TYPE })
      .sign(key);
  }
}
