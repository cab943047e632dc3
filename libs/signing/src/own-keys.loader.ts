import type { KeyObject } from 'node:crypto';
import type { PartyId } from '@app/contracts';
import { importPartyKey } from './key-object.importer';
import type { PartyJwk } from './party-jwk.validator';
import { privateKeysFile, readPartyKeyMaterial } from './party-keys.files';
import { KeyMaterialError } from './signing.errors';

export interface OwnKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/** This node's own private keys, imported once at start-up and shared by every signer and decrypter. */
export interface OwnKeys {
  readonly party: PartyId;
  readonly signing: OwnKey;
  readonly encryption: OwnKey;
}

/** Reads `<keysDir>/<party>.private.jwks.json`, checks it, and imports both private keys once. */
export async function loadOwnKeys(keysDir: string, party: PartyId): Promise<OwnKeys> {
  const file = privateKeysFile(keysDir, party);
  const material = readPartyKeyMaterial(keysDir, party);
  const [sig, enc] = material.privateJwks;
  if (!sig || !enc)
    throw new KeyMaterialError('KEY_FILE_INVALID', file, undefined, 'needs one "sig" and one "enc" key');
  return {
    party,
    signing: await importOwn(file, sig),
    encryption: await importOwn(file, enc),
  };
}

async function importOwn(file: string, jwk: PartyJwk): Promise<OwnKey> {
  const imported = await importPartyKey(jwk, 'private');
  if (!imported.ok)
    throw new KeyMaterialError('KEY_FILE_INVALID', file, `the "${jwk.use}" key`, imported.problem);
  return { kid: jwk.kid, key: imported.key };
}
