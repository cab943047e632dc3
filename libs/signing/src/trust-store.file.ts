import type { PartyId } from '@app/contracts';
import { writeFileAtomically } from './atomic-file.writer';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { earliest, type KeyValidity, parseValidity, validityJson } from './key-validity';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import { assertPartyId } from './key-id.format';
import { KeyMaterialError } from './signing.errors';

/** A key as the trust store file lists it: the public JWK members and, beside them, its validity. */
export type TrustStoreFileKey = PartyJwk & {
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
};

/** The trust store file: every party's public keys, which every node reads. */
export interface TrustStoreFile {
  readonly version: 1;
  readonly parties: Record<
    PartyId,
    { readonly keys: readonly TrustStoreFileKey[]; readonly recoveryKeys?: readonly PartyJwk[] }
  >;
}

/** World-readable: public keys only, and other nodes' operators need to copy it. */
export const TRUST_STORE_FILE_MODE = 0o644;

export interface KeyWithValidity {
  readonly jwk: PartyJwk;
  readonly validity: KeyValidity;
}

/**
 * Puts keys of one party into the trust store file and keeps everything else; creates the file if
 * needed. A kid already listed takes the validity given here; the party's other keys stay listed
 * (never dropped: what they signed must stay verifiable) and, with `retireOthersAt`, end there.
 * Writes only the public members of each key, and refuses keys that TrustStore.load would refuse, so
 * the tool never writes a file the nodes cannot start with. Read-modify-write: callers must not run
 * two of these on the same file at once (the key tool runs them in sequence).
 */
export function mergeIntoTrustStore(
  file: string,
  party: PartyId,
  keys: readonly KeyWithValidity[],
  retireOthersAt?: Date,
): void {
  assertPartyId(party);
  const incoming = keys.map(({ jwk, validity }, i) => {
    const publicOnly = publicPartyJwk(jwk);
    const checked = checkPartyJwk(publicOnly, party, 'public');
    if (!checked.ok)
      throw new KeyMaterialError('KEY_FILE_INVALID', file, `new keys for ${party}[${i}]`, checked.problem);
    return { ...publicOnly, ...validityJson(validity) };
  });
  const existing = readTrustStoreDocument(file);
  const entry = existing?.parties[party];
  const kept = (entry?.keys ?? [])
    .filter((key) => !incoming.some((k) => k.kid === key.kid))
    .map((key) => (retireOthersAt ? retired(file, key, retireOthersAt) : key));
  const next: TrustStoreFile = {
    version: 1,
    parties: { ...existing?.parties, [party]: { ...entry, keys: [...kept, ...incoming] } },
  };
  writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`, TRUST_STORE_FILE_MODE);
}

/** Changes the validity of one listed key (the key tool's revoke and retire); false if not listed. */
export function updateTrustStoreKey(
  file: string,
  party: PartyId,
  kid: string,
  change: (validity: KeyValidity) => KeyValidity,
): boolean {
  const existing = readTrustStoreDocument(file);
  const entry = existing?.parties[party];
  const key = entry?.keys.find((k) => k.kid === kid);
  if (!existing || !entry || !key) return false;
  const parsed = parseValidity(key);
  if (!parsed.ok) throw new KeyMaterialError('KEY_FILE_INVALID', file, kid, parsed.problem);
  const updated = { ...publicPartyJwk(key), ...validityJson(change(parsed.validity)) } as TrustStoreFileKey;
  const next: TrustStoreFile = {
    version: 1,
    parties: {
      ...existing.parties,
      [party]: { ...entry, keys: entry.keys.map((k) => (k.kid === kid ? updated : k)) },
    },
  };
  writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`, TRUST_STORE_FILE_MODE);
  return true;
}

/**
 * The trust store file's outer shape, undefined if the file does not exist. Entries are checked
 * key by key by TrustStore.load; this is enough to add to the file without clobbering it.
 */
export function readTrustStoreDocument(file: string): TrustStoreFile | undefined {
  const document = readJsonFile(file);
  if (document === undefined) return undefined;
  if (!isJsonObject(document) || document.version !== 1 || !isJsonObject(document.parties)) {
    throw new KeyMaterialError(
      'KEY_FILE_INVALID',
      file,
      undefined,
      'expected { "version": 1, "parties": { … } }',
    );
  }
  return document as unknown as TrustStoreFile;
}

function retired(file: string, key: TrustStoreFileKey, at: Date): TrustStoreFileKey {
  const parsed = parseValidity(key);
  if (!parsed.ok) throw new KeyMaterialError('KEY_FILE_INVALID', file, key.kid, parsed.problem);
  const validity = { ...parsed.validity, notAfter: earliest(parsed.validity.notAfter, at) };
  // A key whose window would be empty ends where it starts: it never signed anything.
  if (validity.notBefore && validity.notAfter && validity.notAfter <= validity.notBefore)
    validity.notAfter = new Date(validity.notBefore.getTime() + 1);
  return { ...publicPartyJwk(key), ...validityJson(validity) };
}
