import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EnvelopeSchema, PayloadEncryption } from '../gen/puente/common/v1/envelope_pb';
import type { FieldError } from '../field-error';
import { isMessageType, MessageType } from '../message-type';
import { PARTY_ID_PATTERN, type PartyId } from '../party';
import { PayloadDecodeError, PayloadInvalidError } from '../payloads/payload.codec';
import { isUuid } from '../uuid';

/** The envelope (`puente.common.v1.Envelope`, decoded and validated) as the rest of the code uses it. */
export interface EnvelopeFields {
  readonly messageId: string;
  readonly conversationId: string;
  /** Empty for a new message. */
  readonly inReplyTo: string;
  readonly type: MessageType;
  readonly schemaVersion: string;
  readonly sender: PartyId;
  readonly recipient: PartyId;
  /** Empty for receipts, which answer a record rather than travel under an agreement. */
  readonly agreementId: string;
  readonly purpose: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly payload: Uint8Array;
  readonly payloadEncryption: 'NONE' | 'JWE';
}

export const SCHEMA_VERSION = 'v1';

/** Every rule an envelope must meet, with the field that breaks it. */
export function envelopeErrors(e: EnvelopeFields): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (path: string, rule: string, message: string) => errors.push({ path, rule, message });
  if (!isUuid(e.messageId)) fail('messageId', 'isUuid', 'messageId must be a UUID');
  if (!isUuid(e.conversationId)) fail('conversationId', 'isUuid', 'conversationId must be a UUID');
  if (e.inReplyTo !== '' && !isUuid(e.inReplyTo))
    fail('inReplyTo', 'isUuid', 'inReplyTo must be empty or a UUID');
  if (!isMessageType(e.type)) fail('type', 'isMessageType', 'type is not a known message type');
  if (e.schemaVersion !== SCHEMA_VERSION)
    fail('schemaVersion', 'equals', `schemaVersion must be ${SCHEMA_VERSION}`);
  if (!PARTY_ID_PATTERN.test(e.sender))
    fail('sender', 'isPartyId', 'sender must be a party id of at most 32 characters');
  if (!PARTY_ID_PATTERN.test(e.recipient))
    fail('recipient', 'isPartyId', 'recipient must be a party id of at most 32 characters');
  if (e.type !== MessageType.Receipt && !/^[a-z0-9-]{1,64}$/.test(e.agreementId))
    fail('agreementId', 'isAgreementId', 'agreementId must name an agreement');
  if (!/^[a-z0-9-]{1,64}$/.test(e.purpose))
    fail('purpose', 'isPurpose', 'purpose must be a kebab-case purpose');
  if (Number.isNaN(e.createdAt.getTime())) fail('createdAt', 'isDate', 'createdAt is required');
  if (Number.isNaN(e.expiresAt.getTime()) || e.expiresAt <= e.createdAt)
    fail('expiresAt', 'afterCreatedAt', 'expiresAt must be after createdAt');
  if (e.payloadEncryption !== 'NONE' && e.payloadEncryption !== 'JWE')
    fail('payloadEncryption', 'isIn', 'payloadEncryption must be NONE or JWE');
  return errors;
}

/** Validates, then encodes to protobuf binary (the bytes the sender signs). */
export function encodeEnvelope(e: EnvelopeFields): Uint8Array {
  const errors = envelopeErrors(e);
  if (errors.length > 0) throw new PayloadInvalidError(errors);
  return toBinary(
    EnvelopeSchema,
    create(EnvelopeSchema, {
      ...e,
      createdAt: timestampFromDate(e.createdAt),
      expiresAt: timestampFromDate(e.expiresAt),
      payloadEncryption: e.payloadEncryption === 'JWE' ? PayloadEncryption.JWE : PayloadEncryption.NONE,
    }),
  );
}

/** Decodes and validates; PayloadDecodeError for bytes that are no envelope, PayloadInvalidError for a broken one. */
export function decodeEnvelope(bytes: Uint8Array): EnvelopeFields {
  let m;
  try {
    m = fromBinary(EnvelopeSchema, bytes);
  } catch {
    throw new PayloadDecodeError('puente.common.v1.Envelope');
  }
  const fields: EnvelopeFields = {
    messageId: m.messageId,
    conversationId: m.conversationId,
    inReplyTo: m.inReplyTo,
    type: m.type as MessageType,
    schemaVersion: m.schemaVersion,
    sender: m.sender,
    recipient: m.recipient,
    agreementId: m.agreementId,
    purpose: m.purpose,
    createdAt: m.createdAt ? timestampDate(m.createdAt) : new Date(Number.NaN),
    expiresAt: m.expiresAt ? timestampDate(m.expiresAt) : new Date(Number.NaN),
    payload: m.payload,
    payloadEncryption:
      m.payloadEncryption === PayloadEncryption.JWE
        ? 'JWE'
        : m.payloadEncryption === PayloadEncryption.NONE
          ? 'NONE'
          : ('UNSPECIFIED' as 'NONE'),
  };
  const errors = envelopeErrors(fields);
  if (errors.length > 0) throw new PayloadInvalidError(errors);
  return fields;
}
