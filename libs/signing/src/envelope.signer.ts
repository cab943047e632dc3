import { CompactSign } from 'jose';
import { ENVELOPE_JWS_TYPE, SIGNING_ALG } from './jose-profile.constants';
import type { OwnKeys } from './own-keys.loader';

/**
 * Signs encoded envelopes with this party's Ed25519 key: a compact JWS whose protected header is
 * exactly `{ alg: 'EdDSA', kid, typ: 'puente-envelope+jws' }`. Create one per node and reuse it; the
 * key was imported once by loadOwnKeys.
 */
export class EnvelopeSigner {
  private readonly header: { readonly alg: string; readonly kid: string; readonly typ: string };

  constructor(private readonly own: OwnKeys) {
    this.header = { alg: SIGNING_ALG, kid: own.signing.kid, typ: ENVELOPE_JWS_TYPE };
  }

  /** The kid records are signed with (for flow events and receipts). */
  get kid(): string {
    return this.own.signing.kid;
  }

  sign(payload: Uint8Array): Promise<string> {
    return new CompactSign(payload).setProtectedHeader({ ...this.header }).sign(this.own.signing.key);
  }
}
