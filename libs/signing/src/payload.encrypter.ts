import { CompactEncrypt } from 'jose';
import type { PartyId } from '@app/contracts';
import { CONTENT_ENCRYPTION, ENCRYPTED_PAYLOAD_CTY, KEY_MANAGEMENT_ALG } from './jose-profile.constants';
import { EncryptError } from './signing.errors';
import type { TrustStore } from './trust-store';

/**
 * Encrypts a payload to the recipient's X25519 key from the trust store: compact JWE,
 * ECDH-ES+A256KW / A256GCM, the recipient's enc `kid` in the header so the recipient can tell at once
 * whether it holds the key. The JWE then goes inside the signed envelope, so the broker and ops staff
 * see metadata only (design.md §3).
 */
export async function encryptFor(
  recipient: PartyId,
  plaintext: Uint8Array,
  trust: TrustStore,
): Promise<string> {
  const recipientKey = trust.encryptionKeyFor(recipient);
  if (!recipientKey) {
    throw new EncryptError('NO_ENCRYPTION_KEY', `the trust store has no encryption key for ${recipient}`);
  }
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: KEY_MANAGEMENT_ALG,
      enc: CONTENT_ENCRYPTION,
      kid: recipientKey.kid,
      cty: ENCRYPTED_PAYLOAD_CTY,
    })
    .encrypt(recipientKey.key);
}
