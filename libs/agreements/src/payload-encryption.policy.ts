import { messageTypeInfo, type MessageType } from '@app/contracts';
import type { Agreement } from './agreement';

/** How a payload travels inside the signed envelope: the envelope's `payloadEncryption`. */
export type PayloadEncryption = 'JWE' | 'NONE';

/**
 * Whether a payload is encrypted to its recipient (a JWE inside the signed envelope) or only signed.
 * Pure, so the sending and the receiving node reach the same answer; the receiver refuses a record
 * that does not travel as this says.
 *
 * Encrypted by default: a payload goes in the clear only when the agreement states that no personal
 * data travels under it (`personalData: none`) AND its type has no free text that could carry some
 * anyway. Receipts are the exception the other way: issued by nodes, not sent under an agreement,
 * they carry codes and digests only, and stay signed but readable (the sender must be able to tell
 * why a message was refused without anyone's key). An unknown agreement encrypts.
 *
 * This is a different question from the agreement's `personalData` field list, which says which
 * payload fields may travel at all (`checkPersonalDataFields`).
 */
export function payloadEncryptionFor(agreement: Agreement | undefined, type: MessageType): PayloadEncryption {
  const info = messageTypeInfo(type);
  if (info.family === 'receipt') return 'NONE';
  const noPersonalData = agreement?.personalData !== undefined && 'none' in agreement.personalData;
  return noPersonalData && !info.freeText ? 'NONE' : 'JWE';
}
