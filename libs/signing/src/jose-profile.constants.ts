/**
 * The one JOSE profile Puente speaks. Every allow-list in this library is built from
 * these constants, so widening the profile is a visible, reviewable change in one place.
 */

/** Envelopes are signed with Ed25519 (JWS `EdDSA`): deterministic, no nonce to get wrong. */
export const SIGNING_ALG = 'EdDSA';
/** Payloads are encrypted to the recipient's X25519 key, the content key wrapped with AES-256. */
export const KEY_MANAGEMENT_ALG = 'ECDH-ES+A256KW';
export const CONTENT_ENCRYPTION = 'A256GCM';

export const SIGNING_CURVE = 'Ed25519';
export const ENCRYPTION_CURVE = 'X25519';

/** Explicit JWS type (RFC 8725 §3.11): a signature made for anything else is never taken for an envelope. */
export const ENVELOPE_JWS_TYPE = 'puente-envelope+jws';
/** What an encrypted payload holds once decrypted: a protobuf-encoded message of the envelope's type. */
export const ENCRYPTED_PAYLOAD_CTY = 'application/x-protobuf';

/**
 * Header parameters that would let a record choose, or hint at, its own verification or decryption
 * key (or demand extensions we do not implement). Keys come only from the trust store and this node's
 * own key file, so a record carrying any of these is refused outright rather than having them ignored.
 */
export const KEY_BEARING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'x5t', 'x5t#S256', 'crit'] as const;

/**
 * Private protected-header parameters (RFC 7516 §4.3) that bind an encrypted payload to the signed
 * envelope it travels in: the sender, the message id and the type. The protected header is the JWE's
 * additional authenticated data, so these cannot be changed without the payload failing to decrypt; the
 * receiver compares them with the envelope, so a payload lifted into another party's envelope, another
 * message or another type is refused even though it decrypts. Not listed in `crit`: a receiver that
 * did not know them would only lose the check, and `crit` is refused anyway.
 */
export const PAYLOAD_BINDING_HEADERS = {
  sender: 'puente-sender',
  messageId: 'puente-mid',
  type: 'puente-type',
} as const;

/**
 * Every protected-header parameter an encrypted payload may carry: what ECDH-ES+A256KW / A256GCM
 * needs (`epk` is the sender's ephemeral public key), the recipient's key id, the content type and the
 * binding. Anything else is refused before decrypting; widening this list is a change of the profile.
 */
export const JWE_HEADER_PARAMETERS: readonly string[] = [
  'alg',
  'enc',
  'kid',
  'cty',
  'epk',
  ...Object.values(PAYLOAD_BINDING_HEADERS),
];
