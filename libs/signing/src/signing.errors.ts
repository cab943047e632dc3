/**
 * Errors of this library carry stable codes and never key material or payload
 * contents in their messages: they end up in logs and start-up output.
 */

export type KeyMaterialErrorCode =
  /** The key file or trust store does not exist. */
  | 'KEY_FILE_MISSING'
  /** It exists but cannot be read or is not JSON. */
  | 'KEY_FILE_UNREADABLE'
  /** It is JSON but breaks a rule; `entry` says where. */
  | 'KEY_FILE_INVALID'
  /** A party id that is not of the `xx-name` form of config/parties.yaml. */
  | 'INVALID_PARTY';

/** Key files and trust stores that cannot be used: thrown at start-up or by the key tool, never per message. */
export class KeyMaterialError extends Error {
  constructor(
    readonly code: KeyMaterialErrorCode,
    readonly file: string | undefined,
    readonly entry: string | undefined,
    problem: string,
  ) {
    super([file, entry, problem].filter((part) => part !== undefined && part !== '').join(': '));
    this.name = 'KeyMaterialError';
  }
}

export type EncryptErrorCode = 'NO_ENCRYPTION_KEY';

/** The trust store has no key to encrypt to: a configuration fault, not something a message can fix. */
export class EncryptError extends Error {
  constructor(
    readonly code: EncryptErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EncryptError';
  }
}

export type DecryptErrorCode =
  /** Not a compact JWE with a JSON protected header. */
  | 'MALFORMED'
  /** Outside the profile: another alg/enc, or a header that points at keys. */
  | 'ALG_NOT_ALLOWED'
  /** Encrypted to a key this node does not hold, or holds but may no longer use (revoked, past the overlap). */
  | 'NOT_FOR_ME'
  /** Right shape, right key id, but it does not decrypt (tampered, truncated, wrong key material). */
  | 'UNDECRYPTABLE'
  /** It decrypts, but its header names another sender, message or type than the envelope it came in. */
  | 'BINDING_MISMATCH';

const DECRYPT_MESSAGES: Record<DecryptErrorCode, string> = {
  MALFORMED: 'the encrypted payload is not a compact JWE',
  ALG_NOT_ALLOWED: 'the encrypted payload uses algorithms or headers outside the Puente profile',
  NOT_FOR_ME: "the payload is encrypted to a key other than this node's",
  UNDECRYPTABLE: 'the payload cannot be decrypted',
  BINDING_MISMATCH: 'the encrypted payload is bound to another sender, message or type than its envelope',
};

/** A payload this node cannot decrypt. The message is fixed per code: no contents, no header values. */
export class DecryptError extends Error {
  constructor(readonly code: DecryptErrorCode) {
    super(DECRYPT_MESSAGES[code]);
    this.name = 'DecryptError';
  }
}
