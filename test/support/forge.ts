import {
  decodeEnvelope,
  decodePayload,
  encodeEnvelope,
  encodePayload,
  type EnvelopeFields,
  MessageType,
  uuidv7,
} from '@app/contracts';
import { routingHeaders } from '@app/messaging';
import {
  encryptFor,
  EnvelopeSigner,
  type OwnKeys,
  type PayloadBinding,
  type TrustStore,
  verifyEnvelopeJws,
} from '@app/signing';

export interface ForgedRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly envelope: EnvelopeFields;
}

/**
 * Builds a signed record by hand, bypassing every check a node makes before sending — what a peer
 * that skipped its own authorisation, or an attacker holding some key, could put on a topic.
 */
export async function forgeRecord(options: {
  signWith: OwnKeys;
  envelope: Partial<EnvelopeFields> &
    Pick<EnvelopeFields, 'type' | 'sender' | 'recipient' | 'agreementId' | 'purpose'>;
  payload?: Record<string, unknown>;
  /** Raw payload bytes instead of an encoded `payload` (to send content that would not pass validation). */
  payloadBytes?: Uint8Array;
  headers?: Partial<Record<string, string>>;
  /**
   * Encrypt the payload to the recipient, bound to the envelope, as a node does for every family but
   * receipts. Without it the payload is signed only: what a node refuses (SCHEMA_INVALID) unless an
   * earlier check refuses the record first.
   */
  encryptWith?: TrustStore;
  /** Bind the encrypted payload to another envelope than its own (a payload lifted from another record). */
  bindTo?: Partial<PayloadBinding>;
}): Promise<ForgedRecord> {
  const now = new Date();
  const id = uuidv7();
  let envelope: EnvelopeFields = {
    messageId: id,
    conversationId: id,
    inReplyTo: '',
    schemaVersion: 'v1',
    createdAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    payloadEncryption: 'NONE',
    payload: options.payloadBytes ?? encodePayload(options.envelope.type, (options.payload ?? {}) as never),
    ...options.envelope,
  };
  if (options.encryptWith) {
    const jwe = await encryptFor(envelope.recipient, envelope.payload, options.encryptWith, {
      sender: envelope.sender,
      messageId: envelope.messageId,
      type: envelope.type,
      ...options.bindTo,
    });
    envelope = { ...envelope, payloadEncryption: 'JWE', payload: new TextEncoder().encode(jwe) };
  }
  const value = new EnvelopeSigner(options.signWith).sign(encodeEnvelope(envelope));
  const headers = {
    ...routingHeaders({
      type: envelope.type,
      sender: envelope.sender,
      recipient: envelope.recipient,
      messageId: envelope.messageId,
    }),
    ...options.headers,
  } as Record<string, string>;
  return { key: envelope.conversationId, value, headers, envelope };
}

/** Flips one character in the signed part of a compact JWS: the signature no longer verifies. */
export function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.');
  if (!header || !payload || signature === undefined) throw new Error('not a compact JWS');
  const i = Math.floor(payload.length / 2);
  const flipped = payload[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload.slice(0, i)}${flipped}${payload.slice(i + 1)}.${signature}`;
}

export interface OpenedReceipt {
  readonly envelope: EnvelopeFields;
  readonly receipt: {
    messageId: string;
    outcome: string;
    reasonCode?: string;
    rule?: string;
    digest: string;
  };
}

/** Verifies and opens a receipt record read off a topic; undefined if the record is not a valid receipt. */
export function openReceipt(value: Buffer | string, trust: TrustStore): OpenedReceipt | undefined {
  const verified = verifyEnvelopeJws(value.toString(), trust);
  if (!verified.ok) return undefined;
  const envelope = decodeEnvelope(verified.payload);
  if (envelope.type !== MessageType.Receipt) return undefined;
  return {
    envelope,
    receipt: decodePayload(MessageType.Receipt, envelope.payload) as unknown as OpenedReceipt['receipt'],
  };
}
