import { createPublicKey, type KeyObject } from 'node:crypto';
import type { PartyId } from '@app/contracts';
import { importPartyKey } from './key-object.importer';
import { type KeyValidity, validityProblemAt } from './key-validity';
import { parseKid } from './key-id.format';
import { type PartyJwk, PROFILE_BY_USE } from './party-jwk.validator';
import { privateKeysFile, readPartyKeyMaterial } from './party-keys.files';
import { KeyMaterialError } from './signing.errors';

export interface OwnKey {
  readonly kid: string;
  readonly key: KeyObject;
  readonly validity: KeyValidity;
}

/**
 * This node's own private keys, imported once and shared by every signer and decrypter: every
 * signing and encryption key the key file holds, with their validity. A rotation adds keys with a
 * future notBefore; the node signs with the new key from then on and still decrypts with the old
 * encryption key for an overlap. `replace` swaps in a re-read key file while the node runs.
 */
export class OwnKeys {
  private signingKeys: readonly OwnKey[];
  private encryptionKeys: readonly OwnKey[];

  constructor(
    readonly party: PartyId,
    signing: readonly OwnKey[],
    encryption: readonly OwnKey[],
  ) {
    this.signingKeys = byNotBefore(signing);
    this.encryptionKeys = byNotBefore(encryption);
  }

  /** The signing key for a record created at `at`: of the keys valid then, the newest. */
  signingKeyAt(at: Date): OwnKey {
    const key = newestValid(this.signingKeys, at);
    if (!key)
      throw new KeyMaterialError(
        'KEY_FILE_INVALID',
        undefined,
        this.party,
        `no signing key valid at ${at.toISOString()}`,
      );
    return key;
  }

  /** The encryption key peers should encrypt to at `at` (the newest valid one). */
  encryptionKeyAt(at: Date): OwnKey | undefined {
    return newestValid(this.encryptionKeys, at);
  }

  /**
   * The encryption key `kid` names, if it may still decrypt at `now`: not revoked, and not
   * superseded (by its notAfter or by a newer key's notBefore) longer than `overlapMs` ago — payloads
   * encrypted to it before the switch are still in flight for a while.
   */
  decryptionKey(kid: string, now: Date, overlapMs: number): OwnKey | undefined {
    const key = this.encryptionKeys.find((k) => k.kid === kid);
    if (!key) return undefined;
    if (key.validity.revokedAt && now >= key.validity.revokedAt) return undefined;
    const since = key.validity.notBefore?.getTime() ?? 0;
    const successors = this.encryptionKeys
      .map((k) => k.validity.notBefore?.getTime() ?? 0)
      .filter((t) => t > since && t <= now.getTime());
    const ends = [...successors, ...(key.validity.notAfter ? [key.validity.notAfter.getTime()] : [])];
    const end = ends.length > 0 ? Math.min(...ends) : Infinity;
    return now.getTime() < end + overlapMs ? key : undefined;
  }

  /** The signing key valid now. */
  get signing(): OwnKey {
    return this.signingKeyAt(new Date());
  }

  /** The encryption key peers encrypt to now. */
  get encryption(): OwnKey {
    const key = this.encryptionKeyAt(new Date());
    if (!key)
      throw new KeyMaterialError('KEY_FILE_INVALID', undefined, this.party, 'no encryption key valid now');
    return key;
  }

  /** Every key of the file, oldest first by notBefore. */
  allKeys(): { readonly sig: readonly OwnKey[]; readonly enc: readonly OwnKey[] } {
    return { sig: this.signingKeys, enc: this.encryptionKeys };
  }

  /** Takes the keys of a re-read key file (same party): the node keeps running on the new set. */
  replace(next: OwnKeys): void {
    if (next.party !== this.party)
      throw new KeyMaterialError('KEY_FILE_INVALID', undefined, next.party, `not the keys of ${this.party}`);
    this.signingKeys = next.signingKeys;
    this.encryptionKeys = next.encryptionKeys;
  }
}

/** The public JWK of one of this node's keys (what a key announcement carries), derived from the private key. */
export function publicJwkOf(own: OwnKey): PartyJwk {
  const use = parseKid(own.kid)?.use;
  const { x } = createPublicKey(own.key).export({ format: 'jwk' });
  if (!use || typeof x !== 'string')
    throw new KeyMaterialError('KEY_FILE_INVALID', undefined, own.kid, 'not an OKP key of our kid format');
  const { alg, crv } = PROFILE_BY_USE[use];
  return { kty: 'OKP', crv, x, kid: own.kid, use, alg };
}

/**
 * Reads `<keysDir>/<party>.private.jwks.json`, checks it, and imports every key once. The file must
 * give the node a signing and an encryption key valid at `now`: a node that could not sign or be
 * written to does not start.
 */
export async function loadOwnKeys(keysDir: string, party: PartyId, now: Date = new Date()): Promise<OwnKeys> {
  const file = privateKeysFile(keysDir, party);
  const material = readPartyKeyMaterial(keysDir, party);
  const signing: OwnKey[] = [];
  const encryption: OwnKey[] = [];
  for (const [i, jwk] of material.privateJwks.entries()) {
    const own = await importOwn(file, jwk, material.validities[i] ?? {});
    (jwk.use === 'sig' ? signing : encryption).push(own);
  }
  const keys = new OwnKeys(party, signing, encryption);
  if (!newestValid(signing, now) || !newestValid(encryption, now))
    throw new KeyMaterialError(
      'KEY_FILE_INVALID',
      file,
      undefined,
      `needs a "sig" and an "enc" key valid now (${now.toISOString()}); all are revoked, expired or not yet valid`,
    );
  return keys;
}

async function importOwn(file: string, jwk: PartyJwk, validity: KeyValidity): Promise<OwnKey> {
  const imported = await importPartyKey(jwk, 'private');
  if (!imported.ok)
    throw new KeyMaterialError('KEY_FILE_INVALID', file, `the "${jwk.use}" key`, imported.problem);
  return { kid: jwk.kid, key: imported.key, validity };
}

function byNotBefore(keys: readonly OwnKey[]): readonly OwnKey[] {
  return [...keys].sort(
    (a, b) => (a.validity.notBefore?.getTime() ?? 0) - (b.validity.notBefore?.getTime() ?? 0),
  );
}

/** Keys sorted oldest first: the last one valid at `at`. */
function newestValid(keys: readonly OwnKey[], at: Date): OwnKey | undefined {
  let found: OwnKey | undefined;
  for (const key of keys) if (validityProblemAt(key.validity, at) === undefined) found = key;
  return found;
}
