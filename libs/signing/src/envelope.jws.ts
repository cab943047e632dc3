import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { PartyId } from '@app/contracts';
import { type OwnKeys, partyOfKid, SIGNING_ALG } from './party-keys';
import type { TrustStore } from './trust-store';

export const ENVELOPE_JWS_TYPE = 'puente-envelope+jws';

/** Signs encoded envelopes with this party's Ed25519 key: compact JWS, `kid` naming the key. */
export class EnvelopeSigner {
  constructor(private readonly own: OwnKeys) {}

  sign(payload: Uint8Array): Promise<string> {
    return new CompactSign(payload)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: this.own.signing.kid, typ: ENVELOPE_JWS_TYPE })
      .sign(this.own.signing.key);
  }
}

export type VerifyResult =
  | { readonly ok: true; readonly payload: Uint8Array; readonly kid: string; readonly signer: PartyId }
  | {
      readonly ok: false;
      readonly reason: 'MALFORMED_RECORD' | 'ALG_NOT_ALLOWED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';
      readonly detail: string;
      readonly kid?: string;
      readonly claimedSigner?: PartyId;
    };

/** Header parameters that would let a record choose its own verification key: never honoured. */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'x5t', 'x5t#S256', 'crit'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/**
 * Verifies a record value: well-formed compact JWS → no key-bearing headers → alg allow-list → kid in
 * the trust store → signature. Never throws for bad input. Whether the signer is the envelope's
 * claimed sender is for the caller to check once the envelope is decoded.
 */
export async function verifyEnvelopeJws(compact: string, trust: TrustStore): Promise<VerifyResult> {
  if (!COMPACT_JWS.test(compact))
    return { ok: false, reason: 'MALFORMED_RECORD', detail: 'the record value is not a compact JWS' };
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact);
  } catch {
    return { ok: false, reason: 'MALFORMED_RECORD', detail: 'the JWS protected header is not valid JSON' };
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const claimedSigner = kid ? partyOfKid(kid) : undefined;
  const forbidden = FORBIDDEN_HEADERS.find((h) => h in header);
  if (forbidden)
    return {
      ok: false,
      reason: 'ALG_NOT_ALLOWED',
      detail: `the JWS header carries "${forbidden}"; keys come only from the trust store`,
      kid,
      claimedSigner,
    };
  if (header.alg !== SIGNING_ALG)
    return {
      ok: false,
      reason: 'ALG_NOT_ALLOWED',
      detail: `alg "${String(header.alg)}" is not allowed (only ${SIGNING_ALG})`,
      kid,
      claimedSigner,
    };
  if (!kid) return { ok: false, reason: 'UNKNOWN_KEY', detail: 'the JWS header names no kid' };
  const trusted = trust.signingKey(kid);
  if (!trusted)
    return {
      ok: false,
      reason: 'UNKNOWN_KEY',
      detail: `kid ${kid} is not in the trust store`,
      kid,
      claimedSigner,
    };
  try {
    const { payload } = await compactVerify(compact, trusted.key, { algorithms: [SIGNING_ALG] });
    return { ok: true, payload, kid, signer: trusted.party };
  } catch {
    return {
      ok: false,
      reason: 'BAD_SIGNATURE',
      detail: `the signature does not verify with ${kid}`,
      kid,
      claimedSigner,
    };
  }
}
