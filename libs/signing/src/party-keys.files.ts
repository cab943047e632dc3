import { join } from 'node:path';
import type { PartyId } from '@app/contracts';
import { writeFileAtomically } from './atomic-file.writer';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import { assertPartyId } from './key-id.format';
import type { PartyKeyMaterial } from './party-keys.generator';
import { KeyMaterialError } from './signing.errors';
import { addToTrustStore } from './trust-store.file';

export const privateKeysFile = (keysDir: string, party: PartyId): string =>
  join(keysDir, `${party}.private.jwks.json`);
export const trustStoreFile = (keysDir: string): string => join(keysDir, 'trust-store.json');

/** Owner read/write only: the file holds both of a party's private keys. */
export const PRIVATE_KEYS_FILE_MODE = 0o600;

/**
 * Writes the party's private keys to `<keysDir>/<party>.private.jwks.json` (mode 0600) and puts its
 * public keys into `<keysDir>/trust-store.json`, keeping the other parties' entries. Synchronous on
 * purpose: key generation is a one-off tool step, and callers that loop over parties must not race on
 * the shared trust store.
 */
export function writePartyKeys(keysDir: string, material: PartyKeyMaterial): void {
  assertPartyId(material.party);
  const file = privateKeysFile(keysDir, material.party);
  writeFileAtomically(
    file,
    `${JSON.stringify({ keys: material.privateJwks }, null, 2)}\n`,
    PRIVATE_KEYS_FILE_MODE,
  );
  addToTrustStore(trustStoreFile(keysDir), material.party, material.publicJwks);
}

/**
 * Reads and checks a party's private key file: exactly one signing and one encryption key, each
 * under the party's name, each kid matching its key. Returns the JWKs; importing them is the caller's
 * business (see loadOwnKeys), so the key tool can read kids without touching key objects.
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
  const byUse: Partial<Record<PartyJwk['use'], PartyJwk>> = {};
  for (const [i, value] of (document.keys as unknown[]).entries()) {
    const checked = checkPartyJwk(value, party, 'private');
    if (!checked.ok) throw invalid(`keys[${i}]`, checked.problem);
    if (byUse[checked.jwk.use])
      throw invalid(`keys[${i}]`, `a second "${checked.jwk.use}" key; a node has exactly one of each`);
    byUse[checked.jwk.use] = checked.jwk;
  }
  if (!byUse.sig || !byUse.enc)
    throw invalid(
      undefined,
      `needs one "sig" and one "enc" key, found ${Object.keys(byUse).join(', ') || 'none'}`,
    );
  const privateJwks = [byUse.sig, byUse.enc];
  return { party, privateJwks, publicJwks: privateJwks.map(publicPartyJwk) };
}
