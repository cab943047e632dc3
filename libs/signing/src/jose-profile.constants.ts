/**
 * The one JOSE profile Puente speaks (design.md §3). Every allow-list in this library is built from
 * these constants, so widening the profile is a visible, reviewable change in one place.
 */

/** Envelopes are signed with Ed25519 (JWS `EdDSA`): deterministic, no nonce to get wrong. */
export const SIGNING_ALG = 'EdDSA';
/** Passenger payloads are encrypted to the recipient's X25519 key, the content key wrapped with AES-256. */
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
