import type { PartyId } from '@app/contracts';
import { writeFileAtomically } from './atomic-file.writer';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import { assertPartyId } from './key-id.format';
import { KeyMaterialError } from './signing.errors';

/** The trust store file: every party's public keys, which every node reads. */
export interface TrustStoreFile {
  readonly version: 1;
  readonly parties: Record<PartyId, { readonly keys: readonly PartyJwk[] }>;
}

/** World-readable: public keys only, and other nodes' operators need to copy it. */
export const TRUST_STORE_FILE_MODE = 0o644;

/**
 * Replaces one party's entry in the trust store file and keeps the others as they are; creates the
 * file if needed. Writes only the public members of each key, and refuses keys that TrustStore.load
 * would refuse, so the tool never writes a file the nodes cannot start with. Read-modify-write:
 * callers must not run two of these on the same file at once (the key tool runs them in sequence).
 */
export function addToTrustStore(file: string, party: PartyId, publicJwks: readonly PartyJwk[]): void {
  assertPartyId(party);
  const keys: PartyJwk[] = [];
  for (const [i, jwk] of publicJwks.entries()) {
    const publicOnly = publicPartyJwk(jwk);
    const checked = checkPartyJwk(publicOnly, party, 'public');
    if (!checked.ok)
      throw new KeyMaterialError('KEY_FILE_INVALID', file, `new keys for ${party}[${i}]`, checked.problem);
    keys.push(publicOnly);
  }
  const existing = readTrustStoreDocument(file);
  const next: TrustStoreFile = { version: 1, parties: { ...existing?.parties, [party]: { keys } } };
  writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`, TRUST_STORE_FILE_MODE);
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
