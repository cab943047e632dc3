import { sign as signWith } from 'node:crypto';
import { ENVELOPE_JWS_TYPE, SIGNING_ALG } from './jose-profile.constants';
import type { OwnKeys } from './own-keys.loader';

/**
 * Signs encoded envelopes with this party's Ed25519 key: a compact JWS whose protected header is
 * exactly `{ alg: 'EdDSA', kid, typ: 'puente-envelope+jws' }`. The key is the one valid at the
 * envelope's creation time (`at`), so a record created after a rotation's switch carries the new kid
 * and one created before it the old: each verifies with the key valid when it was made. Create one
 * per node and reuse it; the keys were imported once by loadOwnKeys.
 *
 * The JWS is assembled here rather than by jose's CompactSign: a compact JWS with this one fixed
 * header is `base64url(header) . base64url(payload) . base64url(Ed25519(those two joined))`, and
 * Ed25519 is deterministic, so the record is byte for byte the one jose makes (a test holds the two
 * to that) without jose's generic header checks at every message — a third of a signature's cost.
 * The signature is node:crypto's, computed in line: handing a 50 µs signature to the thread pool, as
 * jose does, costs about as much CPU again in the hand-over (tools/bench/cpu-stages.ts).
 */
export class EnvelopeSigner {
  /** The encoded protected header, by kid: it is the same for every record signed with that key. */
  private readonly headers = new Map<string, string>();

  constructor(private readonly own: OwnKeys) {}

  /** The kid records created at `at` are signed with (for flow events and tests). */
  kidAt(at: Date = new Date()): string {
    return this.own.signingKeyAt(at).kid;
  }

  /** The kid a record made now carries. */
  get kid(): string {
    return this.kidAt();
  }

  sign(payload: Uint8Array, at: Date = new Date()): string {
    const { kid, key } = this.own.signingKeyAt(at);
    const input = `${this.header(kid)}.${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64url')}`;
    const signature = signWith(null, Buffer.from(input, 'latin1'), key);
    return `${input}.${signature.toString('base64url')}`;
  }

  private header(kid: string): string {
    let encoded = this.headers.get(kid);
    if (encoded === undefined) {
      encoded = Buffer.from(JSON.stringify({ alg: SIGNING_ALG, kid, typ: ENVELOPE_JWS_TYPE })).toString(
        'base64url',
      );
      this.headers.set(kid, encoded);
    }
    return encoded;
  }
}
