import { type KeyObject, verify as verifyWith } from 'node:crypto';
import type { PartyId } from '@app/contracts';
import { parseCompact } from './compact-serialization.parser';
import { ENVELOPE_JWS_TYPE, KEY_BEARING_HEADERS, SIGNING_ALG } from './jose-profile.constants';
import { parseKid } from './key-id.format';
import type { TrustStore } from './trust-store';

export type VerifyFailureReason = 'MALFORMED_RECORD' | 'ALG_NOT_ALLOWED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';

export type VerifyResult =
  | { readonly ok: true; readonly payload: Uint8Array; readonly kid: string; readonly signer: PartyId }
  | {
      readonly ok: false;
      readonly reason: VerifyFailureReason;
      /** For logs and rejection receipts: says what is wrong, never quotes the payload. */
      readonly detail: string;
      /** The header's kid, when it is of our `<party>:<use>:<thumbprint>` form. */
      readonly kid?: string;
      /** The party the kid names: who the record claims to come from (unproven). */
      readonly claimedSigner?: PartyId;
    };

export interface VerifyOptions {
  /**
   * Records longer than this are refused before any parsing. The node passes its configured record
   * limit; the default is the highest limit the node configuration accepts (16 MiB).
   */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_JWS_BYTES = 16 * 1_048_576;

/**
 * Verifies a Kafka record value, in the order of docs/architecture.md (a message's path in), cheapest and least trusting first:
 *
 * 1. structure: at most `maxBytes`, three base64url parts, a non-empty payload, a JSON object header
 *    → MALFORMED_RECORD;
 * 2. headers that would bring their own key (`jku`, `x5u`, `jwk`, `x5c`, `x5t`, `x5t#S256`) or
 *    extensions (`crit`) → ALG_NOT_ALLOWED: the record is well-formed but asks for a key source or a
 *    feature outside the profile, the same class of refusal as a wrong alg;
 * 3. `alg` must be `EdDSA` (no `none`, no HMAC with a public key as secret) → ALG_NOT_ALLOWED;
 * 4. `typ` must be `puente-envelope+jws` → MALFORMED_RECORD (a signature made for something else);
 * 5. `kid` must name a signing key in the trust store → UNKNOWN_KEY, with the party the kid claims;
 * 6. the Ed25519 signature over `header.payload`, with node:crypto → BAD_SIGNATURE.
 *
 * Never throws for bad input: every outcome is a result. `signer` is the party the trust store lists
 * the key under. Whether that is the sender the envelope claims is the CALLER's check, once it has
 * decoded the envelope (this library does not know the envelope format): a record signed by a
 * trusted key of party A but claiming to come from B must be refused there (KEY_NOT_OWNED_BY_SENDER).
 *
 * Steps 1–5 are all the profile checks jose's compactVerify would make for this one algorithm (and
 * stricter), so the last step is the bare signature check: done in line with node:crypto rather than
 * through jose, which re-checks the header and hands the 120 µs verification to the thread pool, at
 * about 75 µs more CPU per record (tools/bench/cpu-stages.ts). The trust store holds only Ed25519
 * public keys for signing, imported once; a signature of any other length simply does not verify.
 */
export function verifyEnvelopeJws(
  compact: string,
  trust: TrustStore,
  options: VerifyOptions = {},
): VerifyResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_JWS_BYTES;
  // A valid compact JWS is ASCII, so its length in characters is its size in bytes; anything
  // non-ASCII that slips under this check fails the base64url check next.
  if (typeof compact === 'string' && compact.length > maxBytes) {
    return refuse(
      'MALFORMED_RECORD',
      `the record value is ${compact.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const parsed = parseCompact(compact, 3, 'record value (compact JWS)');
  if (!parsed.ok) return refuse('MALFORMED_RECORD', parsed.detail);
  if (parsed.parts[1] === '') return refuse('MALFORMED_RECORD', 'the JWS has an empty payload');
  const { header } = parsed;

  const kidValue = header.kid;
  const kid = typeof kidValue === 'string' && parseKid(kidValue) ? kidValue : undefined;
  const claim = kid === undefined ? {} : { kid, claimedSigner: parseKid(kid)?.party };

  const keyBearing = KEY_BEARING_HEADERS.find((name) => name in header);
  if (keyBearing) {
    return refuse(
      'ALG_NOT_ALLOWED',
      `the JWS header carries "${keyBearing}"; keys come only from the trust store`,
      claim,
    );
  }
  if (header.alg !== SIGNING_ALG) {
    return refuse(
      'ALG_NOT_ALLOWED',
      `alg ${describe(header.alg)} is not allowed (only ${SIGNING_ALG})`,
      claim,
    );
  }
  if (header.typ !== ENVELOPE_JWS_TYPE) {
    return refuse('MALFORMED_RECORD', `typ ${describe(header.typ)} is not ${ENVELOPE_JWS_TYPE}`, claim);
  }
  if (kid === undefined) {
    const why =
      kidValue === undefined ? 'names no kid' : 'has a kid not of the form <party>:sig:<thumbprint>';
    return refuse('UNKNOWN_KEY', `the JWS header ${why}`);
  }
  const trusted = trust.signingKey(kid);
  if (!trusted) return refuse('UNKNOWN_KEY', `kid ${kid} is not a signing key in the trust store`, claim);

  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parsed.parts;
  const verified = ed25519Verifies(`${encodedHeader}.${encodedPayload}`, encodedSignature, trusted.key);
  if (!verified) return refuse('BAD_SIGNATURE', `the signature does not verify with ${kid}`, claim);
  const payload = Buffer.from(encodedPayload, 'base64url');
  return {
    ok: true,
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    kid,
    signer: trusted.party,
  };
}

function refuse(
  reason: VerifyFailureReason,
  detail: string,
  claim: { kid?: string; claimedSigner?: PartyId } = {},
): VerifyResult {
  return { ok: false, reason, detail, ...claim };
}

/** A header value for a detail message: short strings quoted, anything else only by its type. */
function describe(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string' && /^[\x20-\x7e]{0,40}$/.test(value)) return JSON.stringify(value);
  return `(a ${typeof value})`;
}

/** The signature over the JWS signing input; false, never a throw, for anything that is not one. */
function ed25519Verifies(signingInput: string, encodedSignature: string, key: KeyObject): boolean {
  try {
    return verifyWith(
      null,
      Buffer.from(signingInput, 'latin1'),
      key,
      Buffer.from(encodedSignature, 'base64url'),
    );
  } catch {
    return false;
  }
}
