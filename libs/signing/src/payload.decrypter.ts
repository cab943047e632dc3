import { compactDecrypt } from 'jose';
import { parseCompact } from './compact-serialization.parser';
import { CONTENT_ENCRYPTION, KEY_BEARING_HEADERS, KEY_MANAGEMENT_ALG } from './jose-profile.constants';
import type { OwnKeys } from './own-keys.loader';
import { DecryptError } from './signing.errors';

/**
 * Headers refused in an encrypted payload: those that point at keys, plus `zip` (compressing before
 * encrypting leaks content through the length, and inflating is a decompression-bomb risk). `epk` is
 * not among them: it is the sender's ephemeral public key, which ECDH-ES needs.
 */
const REFUSED_JWE_HEADERS = [...KEY_BEARING_HEADERS, 'zip'] as const;

/**
 * Decrypts a payload encrypted to this party. Checks the profile before any cryptography: five
 * base64url parts (MALFORMED), alg ECDH-ES+A256KW and enc A256GCM only, no key-bearing headers
 * (ALG_NOT_ALLOWED), this node's enc kid (NOT_FOR_ME); then jose with the same allow-lists
 * (UNDECRYPTABLE). Throws DecryptError, whose message never carries contents or header values.
 */
export async function decryptWithOwnKey(jwe: string, own: OwnKeys): Promise<Uint8Array> {
  const parsed = parseCompact(jwe, 5, 'encrypted payload (compact JWE)');
  if (!parsed.ok) throw new DecryptError('MALFORMED');
  const { header } = parsed;
  if (REFUSED_JWE_HEADERS.some((name) => name in header)) throw new DecryptError('ALG_NOT_ALLOWED');
  if (header.alg !== KEY_MANAGEMENT_ALG || header.enc !== CONTENT_ENCRYPTION)
    throw new DecryptError('ALG_NOT_ALLOWED');
  if (header.kid !== own.encryption.kid) throw new DecryptError('NOT_FOR_ME');
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
