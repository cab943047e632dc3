import { compactDecrypt } from 'jose';
import { parseCompact } from './compact-serialization.parser';
import {
  CONTENT_ENCRYPTION,
  JWE_HEADER_PARAMETERS,
  KEY_MANAGEMENT_ALG,
  PAYLOAD_BINDING_HEADERS,
} from './jose-profile.constants';
import type { OwnKeys } from './own-keys.loader';
import type { PayloadBinding } from './payload.encrypter';
import { DecryptError } from './signing.errors';

/**
 * Decrypts a payload encrypted to this party, for the envelope `expected`. Checks the profile before
 * any cryptography: five base64url parts (MALFORMED), alg ECDH-ES+A256KW and enc A256GCM only, no
 * header outside JWE_HEADER_PARAMETERS — so none that points at keys, and no `zip`, whose compression
 * leaks content through the length and whose inflating is a decompression-bomb risk (ALG_NOT_ALLOWED),
 * this node's enc kid (NOT_FOR_ME); then jose with the same allow-lists (UNDECRYPTABLE); then, on the
 * now authenticated header, the binding to the envelope (BINDING_MISMATCH). Throws DecryptError,
 * whose message never carries contents or header values.
 */
export async function decryptWithOwnKey(
  jwe: string,
  own: OwnKeys,
  expected: PayloadBinding,
): Promise<Uint8Array> {
  const parsed = parseCompact(jwe, 5, 'encrypted payload (compact JWE)');
  if (!parsed.ok) throw new DecryptError('MALFORMED');
  const { header } = parsed;
  if (Object.keys(header).some((name) => !JWE_HEADER_PARAMETERS.includes(name)))
    throw new DecryptError('ALG_NOT_ALLOWED');
  if (header.alg !== KEY_MANAGEMENT_ALG || header.enc !== CONTENT_ENCRYPTION)
    throw new DecryptError('ALG_NOT_ALLOWED');
  if (header.kid !== own.encryption.kid) throw new DecryptError('NOT_FOR_ME');
  let decrypted;
  try {
    decrypted = await compactDecrypt(jwe, own.encryption.key, {
      keyManagementAlgorithms: [KEY_MANAGEMENT_ALG],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
  } catch {
    throw new DecryptError('UNDECRYPTABLE');
  }
  const bound = decrypted.protectedHeader as Record<string, unknown>;
  for (const [field, name] of Object.entries(PAYLOAD_BINDING_HEADERS) as [keyof PayloadBinding, string][])
    if (bound[name] !== expected[field]) throw new DecryptError('BINDING_MISMATCH');
  return decrypted.plaintext;
}
