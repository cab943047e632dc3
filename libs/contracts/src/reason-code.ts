/**
 * Stable reason codes shared by REST errors, signed receipts and flow events (listed in docs/api.md).
 * A code is never reused for a different meaning; add new ones at the end of their group.
 */
export const ReasonCode = {
  // input and schema
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  UNKNOWN_MESSAGE_TYPE: 'UNKNOWN_MESSAGE_TYPE',
  UNKNOWN_PARTY: 'UNKNOWN_PARTY',
  TOO_LARGE: 'TOO_LARGE',
  MALFORMED_RECORD: 'MALFORMED_RECORD',
  /** A record the node failed to handle for good (bytes its database refuses, or failing again and again): set aside to the DLQ. */
  UNPROCESSABLE_RECORD: 'UNPROCESSABLE_RECORD',
  // authenticity
  UNKNOWN_SENDER: 'UNKNOWN_SENDER',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  KEY_NOT_OWNED_BY_SENDER: 'KEY_NOT_OWNED_BY_SENDER',
  ALG_NOT_ALLOWED: 'ALG_NOT_ALLOWED',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  HEADER_MISMATCH: 'HEADER_MISMATCH',
  NOT_ADDRESSED_TO_ME: 'NOT_ADDRESSED_TO_ME',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  /** A receipt whose digest is not that of the record this node sent. */
  RECEIPT_MISMATCH: 'RECEIPT_MISMATCH',
  /** The payload decrypts, but its JWE header binds it to another sender, message or type than its envelope. */
  ENCRYPTION_BINDING_MISMATCH: 'ENCRYPTION_BINDING_MISMATCH',
  /** Signed with a key its party revoked, and created at or after the revocation. */
  KEY_REVOKED: 'KEY_REVOKED',
  /** Signed with a key that was not yet, or no longer, valid when the record says it was created. */
  KEY_NOT_VALID: 'KEY_NOT_VALID',
  /** A key announcement signed by a trusted key of its party that asks what that key may not do (e.g. revoke a newer key). */
  KEY_EVENT_NOT_PERMITTED: 'KEY_EVENT_NOT_PERMITTED',
  /** A party published a signed audit checkpoint whose hash differs from the one held for that entry. */
  AUDIT_CHECKPOINT_CONFLICT: 'AUDIT_CHECKPOINT_CONFLICT',
  // agreements
  NO_AGREEMENT: 'NO_AGREEMENT',
  AGREEMENT_NOT_IN_FORCE: 'AGREEMENT_NOT_IN_FORCE',
  AGREEMENT_SUSPENDED: 'AGREEMENT_SUSPENDED',
  AGREEMENT_TERMINATED: 'AGREEMENT_TERMINATED',
  PARTY_NOT_IN_AGREEMENT: 'PARTY_NOT_IN_AGREEMENT',
  TYPE_NOT_PERMITTED: 'TYPE_NOT_PERMITTED',
  PURPOSE_NOT_PERMITTED: 'PURPOSE_NOT_PERMITTED',
  FIELD_NOT_PERMITTED: 'FIELD_NOT_PERMITTED',
  REPLY_WITHOUT_REQUEST: 'REPLY_WITHOUT_REQUEST',
  UNKNOWN_CONVERSATION: 'UNKNOWN_CONVERSATION',
  // freshness
  REPLAYED: 'REPLAYED',
  EXPIRED: 'EXPIRED',
  /** An item of the agreement's consent list (an AEO operator) without its consent flag true. */
  CONSENT_MISSING: 'CONSENT_MISSING',
  // further use, corrections and withdrawals
  /** Onward transfer (forwarding) of a message whose agreement needs the provider's consent, and no grant for that recipient is held. */
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  /** The agreement of the message prohibits any onward transfer: there is no consent to ask for. */
  ONWARD_TRANSFER_PROHIBITED: 'ONWARD_TRANSFER_PROHIBITED',
  /** A consent request already has its decision: a decision is made once. */
  CONSENT_ALREADY_DECIDED: 'CONSENT_ALREADY_DECIDED',
  /** A correction or withdrawal of a message its sender did not send (to this recipient): only the original sender may amend. */
  NOT_ORIGINAL_SENDER: 'NOT_ORIGINAL_SENDER',
  /** A consent request or decision about a message the other party never exchanged with this node. */
  UNKNOWN_REFERENCED_MESSAGE: 'UNKNOWN_REFERENCED_MESSAGE',
  /** The message was withdrawn by its provider: it can no longer be forwarded, consented to or amended. */
  MESSAGE_WITHDRAWN: 'MESSAGE_WITHDRAWN',
  // the broker
  /** The broker refused this node's principal the recipient's topic: no agreement justifies the channel. */
  BROKER_DENIED: 'BROKER_DENIED',
  // access to this node's REST API
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN_ROLE: 'FORBIDDEN_ROLE',
  NOT_FOUND: 'NOT_FOUND',
  /** A known path asked with a method it does not serve (the answer's `Allow` lists those it does). */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The client spent its request budget; `Retry-After` says when to come back. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** An `Idempotency-Key` this client already used for a different submission. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The client's scope (agreements, message families in the clients file) does not cover this message. */
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  /** A read of personal data without the `X-Puente-Purpose` header. */
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  /** An `X-Puente-Purpose` that is not a kebab-case purpose code (free text could itself hold personal data). */
  PURPOSE_INVALID: 'PURPOSE_INVALID',
  /** Unmasking: the message is not masked (never, or already removed by retention). */
  UNMASK_NOT_MASKED: 'UNMASK_NOT_MASKED',
  /** Unmasking: the approving DPO is the one who asked (four eyes need two clients). */
  UNMASK_SAME_CLIENT: 'UNMASK_SAME_CLIENT',
  /** Unmasking: the request waited longer than PUENTE_UNMASK_REQUEST_HOURS for its approval. */
  UNMASK_REQUEST_EXPIRED: 'UNMASK_REQUEST_EXPIRED',
  /** Unmasking: the request was approved already. */
  UNMASK_ALREADY_APPROVED: 'UNMASK_ALREADY_APPROVED',
  /** Unmasking: the request has no approval yet. */
  UNMASK_NOT_APPROVED: 'UNMASK_NOT_APPROVED',
  /** Unmasking: only the DPO who asked reads the unmasked message. */
  UNMASK_NOT_REQUESTER: 'UNMASK_NOT_REQUESTER',
  /** Unmasking: the approval's PUENTE_UNMASK_VIEW_HOURS are over. */
  UNMASK_VIEW_EXPIRED: 'UNMASK_VIEW_EXPIRED',
  // this node's own data
  /** An AEO sync was asked of a node that has no programme file (PUENTE_AEO_OPERATORS_FILE). */
  AEO_PROGRAMME_NOT_CONFIGURED: 'AEO_PROGRAMME_NOT_CONFIGURED',
  /** The programme file cannot be synced as it is (not JSON, an invalid or duplicated operator). */
  AEO_PROGRAMME_INVALID: 'AEO_PROGRAMME_INVALID',
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export function isReasonCode(value: string): value is ReasonCode {
  return Object.prototype.hasOwnProperty.call(ReasonCode, value);
}
