import { fromBinary, fromJson, type JsonObject, toBinary, toJson } from '@bufbuild/protobuf';
import { base64Decode } from '@bufbuild/protobuf/wire';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../field-error';
import { MessageType } from '../message-type';
import { controlCharacterErrors } from '../validation/control-characters';
import { flattenValidationErrors } from '../validation/flatten-errors';
import { cacheValidationMetadata } from '../validation/validation-metadata.cache';
import { PAYLOAD_CONTRACTS } from './payload.registry';
import { useWellFormedUtf8Check } from './utf8-check';

useWellFormedUtf8Check();
// Every validation in the process (payloads here, the REST edge's DTOs) shares class-validator's one
// metadata storage: its per-object rule lookup is kept once this module is loaded.
cacheValidationMetadata();

export type { JsonObject };

export type ValidationResult =
  { readonly ok: true; readonly value: JsonObject } | { readonly ok: false; readonly errors: FieldError[] };

/** The payload breaks its schema; `errors` lists every field by path (no values). */
export class PayloadInvalidError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(`payload invalid: ${errors.map((e) => `${e.path || '(payload)'} ${e.rule}`).join('; ')}`);
    this.name = 'PayloadInvalidError';
  }
}

/** The bytes are not a message of the expected type at all. */
export class PayloadDecodeError extends Error {
  constructor(type: string) {
    super(`bytes cannot be decoded as ${type}`);
    this.name = 'PayloadDecodeError';
  }
}

/**
 * Validates a payload in proto3-JSON form against its type's rules: every invalid field by path,
 * unknown fields refused. The same function serves the REST edge, encode and decode.
 */
export function validatePayload(type: MessageType, json: unknown): ValidationResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      ok: false,
      errors: [{ path: '', rule: 'isObject', message: 'the payload must be a JSON object' }],
    };
  }
  const contract = PAYLOAD_CONTRACTS[type];
  const instance = plainToInstance(contract.dto, json);
  const errors = flattenValidationErrors(
    validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }),
  );
  errors.push(...crossFieldRules(type, json as JsonObject));
  // Both ends run this: a sender cannot submit, and a receiver never stores, a control character.
  errors.push(...controlCharacterErrors(json));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: json as JsonObject };
}

/**
 * The rules of crossFieldRules: they compare fields, which neither class-validator decorators nor
 * JSON Schema can express, so a payload can meet its schema and still break one of these.
 */
export const CROSS_FIELD_RULES: ReadonlySet<string> = new Set([
  'afterDeparture',
  'notExpiredAtDeparture',
  'replaceableType',
  'replacementOfType',
  'oneIntendedSubject',
]);

/**
 * The types a Correction may replace: messages that carry information of their own. Amendments,
 * consent messages and receipts are never replaced (a withdrawal and a new message say it better).
 */
export const REPLACEABLE_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.AssistanceRequest,
  MessageType.AssistanceResponse,
  MessageType.Refusal,
  MessageType.SpontaneousInformation,
  MessageType.CooperationNotice,
]);

/** Rules that span fields, which class-validator decorators cannot express. */
function crossFieldRules(type: MessageType, json: JsonObject): FieldError[] {
  if (type === MessageType.Correction) return correctionRules(json);
  if (type === MessageType.ConsentRequest) return consentRequestRules(json);
  if (type !== MessageType.TravelerRiskQuery) return [];
  const errors: FieldError[] = [];
  const flight = (json.flight ?? {}) as JsonObject;
  const departure =
    typeof flight.scheduledDeparture === 'string' ? Date.parse(flight.scheduledDeparture) : Number.NaN;
  const arrival =
    typeof flight.scheduledArrival === 'string' ? Date.parse(flight.scheduledArrival) : Number.NaN;
  if (!Number.isNaN(departure) && !Number.isNaN(arrival) && arrival <= departure) {
    errors.push({
      path: 'flight.scheduledArrival',
      rule: 'afterDeparture',
      message: 'flight.scheduledArrival must be after scheduledDeparture',
    });
  }
  const departureDay = Number.isNaN(departure) ? undefined : new Date(departure).toISOString().slice(0, 10);
  const travelers = Array.isArray(json.travelers) ? json.travelers : [];
  travelers.forEach((t, i) => {
    const expiry = ((t as JsonObject | null)?.document as JsonObject | undefined)?.expiry;
    if (departureDay && typeof expiry === 'string' && expiry < departureDay) {
      errors.push({
        path: `travelers[${i}].document.expiry`,
        rule: 'notExpiredAtDeparture',
        message: `travelers[${i}].document.expiry is before the scheduled departure`,
      });
    }
  });
  return errors;
}

/** Validates, then encodes to protobuf binary. Throws PayloadInvalidError when invalid. */
export function encodePayload(type: MessageType, json: JsonObject): Uint8Array {
  const result = validatePayload(type, json);
  if (!result.ok) throw new PayloadInvalidError(result.errors);
  return encodeValidatedPayload(type, result.value);
}

/**
 * Encodes a payload that `validatePayload` has just accepted (the REST edge does, to name every bad
 * field): the same bytes as `encodePayload` without validating twice. Anything else uses encodePayload.
 */
export function encodeValidatedPayload(type: MessageType, json: JsonObject): Uint8Array {
  const { schema } = PAYLOAD_CONTRACTS[type];
  return toBinary(schema, fromJson(schema, json));
}

/**
 * Decodes protobuf binary to proto3 JSON (fields at their zero value are omitted, as proto3 JSON
 * does) and validates it with the same rules as the sender. Throws PayloadDecodeError for bytes that
 * are not this type, PayloadInvalidError for content that breaks its rules.
 */
export function decodePayload(type: MessageType, bytes: Uint8Array): JsonObject {
  const { schema } = PAYLOAD_CONTRACTS[type];
  let json: JsonObject;
  try {
    json = toJson(schema, fromBinary(schema, bytes)) as JsonObject;
  } catch {
    throw new PayloadDecodeError(type);
  }
  const result = validatePayload(type, json);
  if (!result.ok) throw new PayloadInvalidError(result.errors);
  return result.value;
}

/**
 * A correction's replacement is a payload of the type it replaces: decoded as that type and held to
 * its rules, on both ends, its errors named under `replacement.`.
 */
function correctionRules(json: JsonObject): FieldError[] {
  const replacedType = json.replacedType;
  if (typeof replacedType !== 'string') return [];
  if (!REPLACEABLE_TYPES.has(replacedType as MessageType))
    return [
      {
        path: 'replacedType',
        rule: 'replaceableType',
        message: 'replacedType must be the full type of a message that carries information',
      },
    ];
  if (typeof json.replacement !== 'string') return [];
  const bad = (message: string): FieldError[] => [
    { path: 'replacement', rule: 'replacementOfType', message },
  ];
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(json.replacement);
  } catch {
    return bad('replacement must be base64');
  }
  try {
    decodePayload(replacedType as MessageType, bytes);
    return [];
  } catch (error) {
    if (error instanceof PayloadInvalidError)
      return error.errors.map((e) => ({ ...e, path: e.path ? `replacement.${e.path}` : 'replacement' }));
    return bad(`replacement cannot be decoded as ${replacedType}`);
  }
}

/** A consent request asks for one further use: passing the message on to a party, or another use. */
function consentRequestRules(json: JsonObject): FieldError[] {
  const named = [json.intendedRecipient, json.intendedUse].filter((v) => v !== undefined && v !== '');
  return named.length === 1
    ? []
    : [
        {
          path: 'intendedRecipient',
          rule: 'oneIntendedSubject',
          message: 'a consent request names exactly one of intendedRecipient and intendedUse',
        },
      ];
}
