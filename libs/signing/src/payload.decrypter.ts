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

export interface DecryptOptions {
  /** When the payload is opened: decides which of this node's encryption keys may still decrypt. */
  readonly now?: Date;
  /** How long a superseded encryption key still decrypts (payloads encrypted to it are in flight). */
  readonly overlapMs?: number;
}

/** Without a configured overlap, a superseded key decrypts for a week (the default message lifetime). */
export const DEFAULT_DECRYPT_OVERLAP_MS = 7 * 24 * 3600 * 1000;

/**
 * Decrypts a payload encrypted to this party, for the envelope `expected`. Checks the profile before
 * any cryptography: five base64url parts (MALFORMED), alg ECDH-ES+A256KW and enc A256GCM only, no
 * header outside JWE_HEADER_PARAMETERS — so none that points at keys, and no `zip`, whose compression
 * leaks content through the length and whose inflating is a decompression-bomb risk (ALG_NOT_ALLOWED),
 * one of this node's enc kids that may still decrypt (the current key, or a superseded one within the
 * overlap; never a revoked one) (NOT_FOR_ME); then jose with the same allow-lists (UNDECRYPTABLE); then, on the
 * now authenticated header, the binding to the envelope (BINDING_MISMATCH). Throws DecryptError,
 * whose message never carries contents or header values.
 */
export async function decryptWithOwnKey(
  jwe: string,
  own: OwnKeys,
  expected: PayloadBinding,
  options: DecryptOptions = {},
): Promise<Uint8Array> {
  const parsed = parseCompact(jwe, 5, 'encrypted payload (compact JWE)');
  if (!parsed.ok) throw new DecryptError('MALFORMED');
  const { header } = parsed;
  if (Object.keys(header).some((name) => !JWE_HEADER_PARAMETERS.includes(name)))
    throw new DecryptError('ALG_NOT_ALLOWED');
  if (header.alg !== KEY_MANAGEMENT_ALG || header.enc !== CONTENT_ENCRYPTION)
    throw new DecryptError('ALG_NOT_ALLOWED');
  const key =
    typeof header.kid === 'string'
      ? own.decryptionKey(
          header.kid,
          options.now ?? new Date(),
          options.overlapMs ?? DEFAULT_DECRYPT_OVERLAP_MS,
        )
      : undefined;
  if (!key) throw new DecryptError('NOT_FOR_ME');
  let decrypted;
  try {
    decrypted = await compactDecrypt(jwe, key.key, {
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
