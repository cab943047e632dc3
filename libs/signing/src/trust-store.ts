import type { KeyObject } from 'node:crypto';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { importPartyKey } from './key-object.importer';
import { checkPartyJwk } from './party-jwk.validator';
import { KeyMaterialError } from './signing.errors';

export interface TrustedSigningKey {
  readonly party: PartyId;
  readonly key: KeyObject;
}

export interface TrustedEncryptionKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/**
 * The public keys this node trusts, each imported once and indexed by kid. Verification takes keys
 * only from here, never from a record's headers (`jku`, `x5u`, `jwk`, …). A party may list several
 * signing keys (a rotation: the old one keeps verifying records in flight) but exactly one
 * encryption key, the one senders encrypt to.
 */
export class TrustStore {
  private constructor(
    private readonly signingKeys: ReadonlyMap<string, TrustedSigningKey>,
    private readonly encryptionKeys: ReadonlyMap<PartyId, TrustedEncryptionKey>,
    private readonly partyIds: readonly PartyId[],
  ) {}

  /** Reads and checks the whole file; any bad entry stops the load with the file and entry named. */
  static async load(file: string): Promise<TrustStore> {
    const document = readJsonFile(file);
    if (document === undefined)
      throw new KeyMaterialError('KEY_FILE_MISSING', file, undefined, 'no trust store');
    return TrustStore.fromDocument(document, file);
  }

  /** Builds a trust store from an already parsed document; `source` names it in errors. */
  static async fromDocument(document: unknown, source: string): Promise<TrustStore> {
    const invalid = (entry: string | undefined, problem: string) =>
      new KeyMaterialError('KEY_FILE_INVALID', source, entry, problem);
    if (!isJsonObject(document) || document.version !== 1 || !isJsonObject(document.parties)) {
      throw invalid(undefined, 'expected { "version": 1, "parties": { "<party>": { "keys": [ … ] } } }');
    }
    const signing = new Map<string, TrustedSigningKey>();
    const encryption = new Map<PartyId, TrustedEncryptionKey>();
    for (const [party, entry] of Object.entries(document.parties)) {
      const where = `parties["${party}"]`;
      if (!PARTY_ID_PATTERN.test(party)) throw invalid(where, 'not a party id (e.g. us-cbp)');
      if (!isJsonObject(entry) || !Array.isArray(entry.keys) || entry.keys.length === 0) {
        throw invalid(
          where,
          'expected { "keys": [ …at least one public key… ] }; remove the entry to stop trusting a party',
        );
      }
      for (const [i, value] of (entry.keys as unknown[]).entries()) {
        const at = `${where}.keys[${i}]`;
        const checked = checkPartyJwk(value, party, 'public');
        if (!checked.ok) throw invalid(at, checked.problem);
        const { kid, use } = checked.jwk;
        if (use === 'sig' && signing.has(kid)) throw invalid(at, `kid "${kid}" is listed twice`);
        if (use === 'enc' && encryption.has(party))
          throw invalid(at, `a second "enc" key for ${party}; senders need exactly one`);
        const imported = await importPartyKey(checked.jwk, 'public');
        if (!imported.ok) throw invalid(at, imported.problem);
        if (use === 'sig') signing.set(kid, { party, key: imported.key });
        else encryption.set(party, { kid, key: imported.key });
      }
    }
    return new TrustStore(signing, encryption, Object.freeze(Object.keys(document.parties).sort()));
  }

  /** The key a kid names and the party it belongs to; undefined for unknown kids and for enc kids. */
  signingKey(kid: string): TrustedSigningKey | undefined {
    return this.signingKeys.get(kid);
  }

  /** The key to encrypt a payload to `party` with, and its kid for the JWE header. */
  encryptionKeyFor(party: PartyId): TrustedEncryptionKey | undefined {
    return this.encryptionKeys.get(party);
  }

  /** Every party the store lists, sorted (a copy: callers may sort or filter it). */
  parties(): PartyId[] {
    return [...this.partyIds];
  }
}
