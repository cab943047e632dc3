import { ValidateIf } from 'class-validator';
import { MESSAGE_TYPES, MessageType } from '@app/contracts';

/**
 * An optional field of a request: it may be left out, but when present (null included) it must
 * pass its rules. class-validator's @IsOptional would also let null through, which the API document
 * does not promise for these fields.
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A party id as the catalog spells them (`us-cbp`), capped so an id never grows a refusal. */
export const PARTY_ID = /^[a-z]{2}-[a-z0-9]{1,30}$/;
export const PARTY_ID_MAX = 33;
/** Agreement ids of the catalog (`cmaa-us-sv`). */
export const AGREEMENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const AGREEMENT_ID_MAX = 64;
/** Purposes are identifiers of the catalog (`trafficking`); 64 keeps any echo of one short. */
export const PURPOSE_MAX = 64;
export const MESSAGE_TYPE_MAX = 100;

/** Every spelling of a message type the REST edge takes: the full name and the short one. */
export function messageTypeNames(types: readonly MessageType[] = Object.values(MessageType)): string[] {
  return types.flatMap((t) => [t, MESSAGE_TYPES[t].name]);
}

/**
 * The REST edge refuses control characters other than tab, newline and carriage return in every
 * string (before any DTO rule runs); a free-text field says so with this pattern.
 */
export const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';
