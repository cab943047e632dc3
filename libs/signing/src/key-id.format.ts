import { createHash } from 'node:crypto';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { KeyMaterialError } from './signing.errors';

export type KeyUse = 'sig' | 'enc';

/** How many characters of the base64url RFC 7638 thumbprint a kid keeps (96 bits: no accidental clash). */
export const KID_THUMBPRINT_LENGTH = 16;

const KID_PATTERN = /^([a-z]{2}-[a-z0-9]+):(sig|enc):([A-Za-z0-9_-]{16})$/;

export interface ParsedKid {
  readonly party: PartyId;
  readonly use: KeyUse;
  readonly thumbprint: string;
}

/** The members of an OKP public key that RFC 7638 hashes. */
export interface OkpPublicMembers {
  readonly crv: string;
  readonly x: string;
}

/**
 * `<party>:<sig|enc>:<first 16 chars of the RFC 7638 thumbprint>`. The party is readable from the kid
 * so that a rejection can name who the record claims to come from even when the key is unknown, and
 * the thumbprint ties the kid to exactly one key.
 */
export function kidFor(party: PartyId, use: KeyUse, publicKey: OkpPublicMembers): string {
  return `${party}:${use}:${okpThumbprint(publicKey).slice(0, KID_THUMBPRINT_LENGTH)}`;
}

/**
 * RFC 7638 SHA-256 thumbprint of an OKP key: the required members in lexicographic order, no
 * whitespace. Computed here rather than with jose's async helper so that files can be checked and
 * written synchronously (the spec pins it to jose's result).
 */
export function okpThumbprint({ crv, x }: OkpPublicMembers): string {
  const canonical = JSON.stringify({ crv, kty: 'OKP', x });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Splits a kid of our format; undefined for anything else (never throws: kids come from the wire). */
export function parseKid(kid: string): ParsedKid | undefined {
  const match = KID_PATTERN.exec(kid);
  if (!match) return undefined;
  const [, party, use, thumbprint] = match;
  if (!party || !PARTY_ID_PATTERN.test(party) || (use !== 'sig' && use !== 'enc') || !thumbprint) {
    return undefined;
  }
  return { party, use, thumbprint };
}

/** The party a kid names (its prefix), if the kid is of our format. */
export function partyOfKid(kid: string): PartyId | undefined {
  return parseKid(kid)?.party;
}

/** Party ids end up in file names and kids: anything but `xx-name` is refused before it gets there. */
export function assertPartyId(party: PartyId): void {
  if (!PARTY_ID_PATTERN.test(party)) {
    throw new KeyMaterialError(
      'INVALID_PARTY',
      undefined,
      undefined,
      `"${party}" is not a party id (e.g. us-cbp)`,
    );
  }
}
