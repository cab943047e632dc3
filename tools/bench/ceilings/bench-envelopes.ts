import {
  encodeEnvelope,
  encodePayload,
  type EnvelopeFields,
  EXAMPLE_PAYLOADS,
  type JsonObject,
  MessageType,
  type PartyId,
  uuidv7,
} from '@app/contracts';
import { encryptFor, type TrustStore } from '@app/signing';

/** proto3 string fields the payload contracts allow: summary up to 20,000, each request line up to 2,000. */
const SUMMARY_MAX = 20_000;
const LINE_MAX = 2_000;
const LINES_MAX = 50;
const TTL_MS = 3_600_000;

/**
 * An AssistanceRequest payload (the customs-offense example) whose protobuf encoding is close to
 * `bytes`: the summary is lengthened first, then request lines are added. Below the example's own
 * size (about 1 KB) the example is returned unchanged.
 */
export function assistanceRequestOfSize(bytes: number): Uint8Array {
  const base = EXAMPLE_PAYLOADS[MessageType.AssistanceRequest];
  const type = MessageType.AssistanceRequest;
  let missing = bytes - encodePayload(type, base).length;
  if (missing <= 0) return encodePayload(type, base);
  const summary = typeof base.summary === 'string' ? base.summary : '';
  const summaryExtra = Math.min(missing, SUMMARY_MAX - summary.length);
  missing -= summaryExtra;
  const lines = [...(base.informationRequested as string[])];
  // Each added line costs its text plus about 3 bytes of tag and length.
  while (missing > 8 && lines.length < LINES_MAX) {
    const text = Math.min(LINE_MAX, missing - 3);
    lines.push(filler(text));
    missing -= text + 3;
  }
  const json: JsonObject = {
    ...base,
    summary: summary + filler(summaryExtra),
    informationRequested: lines,
  };
  return encodePayload(type, json);
}

/**
 * A TravelerRiskQuery (the passenger-risk example) with as many travellers as bring its encoding to
 * `bytes` or just above: the plaintext a passenger query encrypts.
 */
export function travelerRiskQueryOfSize(bytes: number): Uint8Array {
  const base = EXAMPLE_PAYLOADS[MessageType.TravelerRiskQuery];
  const [template] = base.travelers as JsonObject[];
  if (!template) throw new Error('the TravelerRiskQuery example lists no traveller');
  const travelers: JsonObject[] = [];
  let encoded: Uint8Array = new Uint8Array();
  do {
    const n = String(travelers.length + 1).padStart(4, '0');
    travelers.push({ ...template, travelerRef: `P${n}` });
    encoded = encodePayload(MessageType.TravelerRiskQuery, { ...base, travelers });
  } while (encoded.length < bytes && travelers.length < 1000);
  return encoded;
}

/**
 * The envelope bytes of a message, with the header fields the submit service fills in. `payload` goes
 * in as given: see `sealedMessageEnvelope` for a message as a node sends it, its payload encrypted.
 */
export function messageEnvelope(
  from: PartyId,
  to: PartyId,
  payload: Uint8Array,
  payloadEncryption: EnvelopeFields['payloadEncryption'] = 'NONE',
  type: MessageType = MessageType.AssistanceRequest,
  messageId: string = uuidv7(),
): { readonly messageId: string; readonly bytes: Uint8Array } {
  const createdAt = new Date();
  const bytes = encodeEnvelope({
    messageId,
    conversationId: messageId,
    inReplyTo: '',
    type,
    schemaVersion: 'v1',
    sender: from,
    recipient: to,
    agreementId: 'cmaa-us-sv',
    purpose: 'trafficking',
    createdAt,
    expiresAt: new Date(createdAt.getTime() + TTL_MS),
    payload,
    payloadEncryption,
  });
  return { messageId, bytes };
}

/**
 * A message as a node sends it under the CMAA or ATS-G: the encoded payload encrypted to the recipient
 * and bound to this envelope (the sender, the message id, the type), the JWE as the envelope's payload.
 */
export async function sealedMessageEnvelope(
  from: PartyId,
  to: PartyId,
  plaintext: Uint8Array,
  trust: TrustStore,
  type: MessageType = MessageType.AssistanceRequest,
): Promise<{ readonly messageId: string; readonly bytes: Uint8Array; readonly jwe: string }> {
  const messageId = uuidv7();
  const jwe = await encryptFor(to, plaintext, trust, { sender: from, messageId, type });
  const { bytes } = messageEnvelope(from, to, new TextEncoder().encode(jwe), 'JWE', type, messageId);
  return { messageId, bytes, jwe };
}

/** The envelope bytes of an ACCEPTED receipt, built as the receipt factory builds one. */
export function receiptEnvelope(
  from: PartyId,
  to: PartyId,
  aboutMessageId: string,
  digest: string,
): Uint8Array {
  const receiptId = uuidv7();
  const now = new Date();
  const payload = encodePayload(MessageType.Receipt, {
    messageId: aboutMessageId,
    outcome: 'RECEIPT_OUTCOME_ACCEPTED',
    digest,
    receivedAt: now.toISOString(),
  });
  return encodeEnvelope({
    messageId: receiptId,
    conversationId: aboutMessageId,
    inReplyTo: aboutMessageId,
    type: MessageType.Receipt,
    schemaVersion: 'v1',
    sender: from,
    recipient: to,
    agreementId: '',
    purpose: 'receipt',
    createdAt: now,
    expiresAt: new Date(now.getTime() + TTL_MS),
    payload,
    payloadEncryption: 'NONE',
  });
}

/** Readable filler text: a payload of letters and spaces, like the free text it stands for. */
function filler(length: number): string {
  const text = 'Consignment details to be verified against the declared manifest. ';
  return text.repeat(Math.ceil(length / text.length)).slice(0, Math.max(0, length));
}
