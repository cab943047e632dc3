import { join } from 'node:path';
import type { PartyId } from '@app/contracts';
import { writeFileAtomically } from './atomic-file.writer';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import { assertPartyId } from './key-id.format';
import { type KeyValidity, parseValidity, validityJson } from './key-validity';
import type { PartyKeyMaterial } from './party-keys.generator';
import { KeyMaterialError } from './signing.errors';
import { mergeIntoTrustStore } from './trust-store.file';

export const privateKeysFile = (keysDir: string, party: PartyId): string =>
  join(keysDir, `${party}.private.jwks.json`);
export const trustStoreFile = (keysDir: string): string => join(keysDir, 'trust-store.json');

/** Owner read/write only: the file holds a party's private keys. */
export const PRIVATE_KEYS_FILE_MODE = 0o600;

/**
 * Writes the party's private keys to `<keysDir>/<party>.private.jwks.json` (mode 0600) and puts its
 * public keys into `<keysDir>/trust-store.json`, keeping the other parties' entries and this party's
 * other keys (retired at `retireOthersAt` when given: what they signed stays verifiable). Synchronous
 * on purpose: key generation is a one-off tool step, and callers that loop over parties must not race
 * on the shared trust store.
 */
export function writePartyKeys(
  keysDir: string,
  material: PartyKeyMaterial,
  options: { readonly retireOthersAt?: Date } = {},
): void {
  assertPartyId(material.party);
  writePrivateKeys(keysDir, material);
  mergeIntoTrustStore(
    trustStoreFile(keysDir),
    material.party,
    material.publicJwks.map((jwk, i) => ({ jwk, validity: material.validities[i] ?? {} })),
    options.retireOthersAt,
  );
}

/** Writes the private key file alone (every key with its validity), replacing what was there. */
export function writePrivateKeys(keysDir: string, material: PartyKeyMaterial): void {
  assertPartyId(material.party);
  const keys = material.privateJwks.map((jwk, i) => ({
    ...jwk,
    ...validityJson(material.validities[i] ?? {}),
  }));
  writeFileAtomically(
    privateKeysFile(keysDir, material.party),
    `${JSON.stringify({ keys }, null, 2)}\n`,
    PRIVATE_KEYS_FILE_MODE,
  );
}

/**
 * Reads and checks a party's private key file: at least one signing and one encryption key (more
 * after a rotation), each under the party's name, each kid matching its key, each with a readable
 * validity. Returns the JWKs; importing them is the caller's business (see loadOwnKeys), so the key
 * tool can read kids without touching key objects.
 */
export function readPartyKeyMaterial(keysDir: string, party: PartyId): PartyKeyMaterial {
  assertPartyId(party);
  const file = privateKeysFile(keysDir, party);
  const document = readJsonFile(file);
  if (document === undefined) {
    throw new KeyMaterialError(
      'KEY_FILE_MISSING',
      file,
      undefined,
      `no private keys for ${party} (generate them with npm run keys)`,
    );
  }
  const invalid = (entry: string | undefined, problem: string) =>
    new KeyMaterialError('KEY_FILE_INVALID', file, entry, problem);
  if (!isJsonObject(document) || !Array.isArray(document.keys))
    throw invalid(undefined, 'expected { "keys": [ … ] }');
  const privateJwks: PartyJwk[] = [];
  const validities: KeyValidity[] = [];
  for (const [i, value] of (document.keys as unknown[]).entries()) {
    const checked = checkPartyJwk(value, party, 'private');
    if (!checked.ok) throw invalid(`keys[${i}]`, checked.problem);
    if (privateJwks.some((jwk) => jwk.kid === checked.jwk.kid))
      throw invalid(`keys[${i}]`, `kid "${checked.jwk.kid}" is listed twice`);
    const validity = parseValidity(value);
    if (!validity.ok) throw invalid(`keys[${i}]`, validity.problem);
    privateJwks.push(withoutValidity(checked.jwk));
    validities.push(validity.validity);
  }
  const uses = new Set(privateJwks.map((jwk) => jwk.use));
  if (!uses.has('sig') || !uses.has('enc'))
    throw invalid(undefined, `needs a "sig" and an "enc" key, found ${[...uses].join(', ') || 'none'}`);
  return { party, privateJwks, publicJwks: privateJwks.map(publicPartyJwk), validities };
}

/** The JWK members alone (the validity members live beside them in the file, not in the key). */
function withoutValidity(jwk: PartyJwk): PartyJwk {
  const { kty, crv, x, d, kid, use, alg } = jwk;
  return { kty, crv, x, kid, use, alg, ...(d === undefined ? {} : { d }) };
}
