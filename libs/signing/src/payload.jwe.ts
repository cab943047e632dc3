import { CompactEncrypt, compactDecrypt } from 'jose';
import type { PartyId } from '@app/contracts';
import { CONTENT_ENCRYPTION, KEY_MANAGEMENT_ALG, type OwnKeys } from './party-keys';
import type { TrustStore } from './trust-store';

export class DecryptError extends Error {
  constructor(readonly code: 'NOT_FOR_ME' | 'UNDECRYPTABLE') {
    super(
      code === 'NOT_FOR_ME' ? 'the payload is encrypted to another key' : 'the payload cannot be decrypted',
    );
    this.name = 'DecryptError';
  }
}

/** Encrypts a payload to the recipient's X25519 key (JWE compact, ECDH-ES+A256KW / A256GCM). */
export async function encryptFor(
  recipient: PartyId,
  plaintext: Uint8Array,
  trust: TrustStore,
): Promise<string> {
  const key = trust.encryptionKeyFor(recipient);
  if (!key) throw new Error(`the trust store has no encryption key for ${recipient}`);
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: KEY_MANAGEMENT_ALG,
      enc: CONTENT_ENCRYPTION,
      kid: key.kid,
      cty: 'application/x-protobuf',
    })
    .encrypt(key.key);
}

/** Decrypts a payload encrypted to this party; the error never carries content. */
export async function decryptWithOwnKey(jwe: string, own: OwnKeys): Promise<Uint8Array> {
  let kid: unknown;
  try {
    kid = (
      JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }
    ).kid;
  } catch {
    throw new DecryptError('UNDECRYPTABLE');
  }
  if (kid !== own.encryption.kid) throw new DecryptError('NOT_FOR_ME');
  try {
    const { plaintext } = await compactDecrypt(jwe, own.encryption.key, {
      keyManagementAlgorithms: [KEY_MANAGEMENT_ALG],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return plaintext;
  } catch {
    throw new DecryptError('UNDECRYPTABLE');
  }
}
