import { CompactEncrypt } from 'jose';
import type { PartyId } from '@app/contracts';
import {
  CONTENT_ENCRYPTION,
  ENCRYPTED_PAYLOAD_CTY,
  KEY_MANAGEMENT_ALG,
  PAYLOAD_BINDING_HEADERS,
} from './jose-profile.constants';
import { EncryptError } from './signing.errors';
import type { TrustStore } from './trust-store';

/** The envelope an encrypted payload belongs to: written into the JWE's protected header. */
export interface PayloadBinding {
  readonly sender: PartyId;
  readonly messageId: string;
  /** The envelope's message type (fully qualified). */
  readonly type: string;
}

/**
 * Encrypts a payload to the recipient's X25519 key from the trust store (its newest key valid at `at`): compact JWE,
 * ECDH-ES+A256KW / A256GCM, the recipient's enc `kid` in the header so the recipient can tell at once
 * whether it holds the key, and the binding to its envelope (PAYLOAD_BINDING_HEADERS). The JWE then
 * goes inside the signed envelope, so the broker and ops staff see metadata only.
 *
 * jose draws the ephemeral key itself (through Node's thread pool). Do not hand it one from
 * `generateKeyPairSync`: on Node 20 that deadlocks the process at random. jose exports the key to
 * JWK while holding the key's lock; a garbage collection during that export destroys the finished
 * synchronous key-generation job, whose destructor takes the same lock, and the main thread waits
 * on itself for ever, with no CPU, no log and no error. The spec beside this file runs the path
 * under constant garbage collection.
 */
export async function encryptFor(
  recipient: PartyId,
  plaintext: Uint8Array,
  trust: TrustStore,
  binding: PayloadBinding,
  at: Date = new Date(),
): Promise<string> {
  const recipientKey = trust.encryptionKeyFor(recipient, at);
  if (!recipientKey) {
    throw new EncryptError(
      'NO_ENCRYPTION_KEY',
      `the trust store has no valid encryption key for ${recipient}`,
    );
  }
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: KEY_MANAGEMENT_ALG,
      enc: CONTENT_ENCRYPTION,
      kid: recipientKey.kid,
      cty: ENCRYPTED_PAYLOAD_CTY,
      [PAYLOAD_BINDING_HEADERS.sender]: binding.sender,
      [PAYLOAD_BINDING_HEADERS.messageId]: binding.messageId,
      [PAYLOAD_BINDING_HEADERS.type]: binding.type,
    })
    .encrypt(recipientKey.key);
}
