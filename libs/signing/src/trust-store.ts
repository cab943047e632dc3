import { readFileSync } from 'node:fs';
import { importJWK, type KeyLike } from 'jose';
import type { PartyId } from '@app/contracts';
import type { TrustStoreFile } from './key-files';
import { KEY_MANAGEMENT_ALG, SIGNING_ALG } from './party-keys';

interface TrustedKey {
  readonly party: PartyId;
  readonly kid: string;
  readonly key: KeyLike;
}

/**
 * The public keys this node trusts, by kid, each imported once. Verification takes keys only from
 * here — never from a record's headers (`jku`, `x5u`, `jwk`, …).
 */
export class TrustStore {
  private constructor(
    private readonly signingKeys: ReadonlyMap<string, TrustedKey>,
    private readonly encryptionKeys: ReadonlyMap<PartyId, TrustedKey>,
  ) {}

  static async load(file: string): Promise<TrustStore> {
    let parsed: TrustStoreFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as TrustStoreFile;
    } catch (error) {
      throw new Error(
        `trust store ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (parsed?.version !== 1 || typeof parsed.parties !== 'object')
      throw new Error(`trust store ${file}: expected { "version": 1, "parties": {…} }`);
    const signing = new Map<string, TrustedKey>();
    const encryption = new Map<PartyId, TrustedKey>();
    for (const [party, entry] of Object.entries(parsed.parties)) {
      for (const [i, jwk] of (entry.keys ?? []).entries()) {
        const where = `${file}: parties.${party}.keys[${i}]`;
        if (!jwk.kid?.startsWith(`${party}:`))
          throw new Error(`${where}: kid "${jwk.kid ?? ''}" must start with "${party}:"`);
        if ('d' in jwk) throw new Error(`${where}: a trust store holds public keys only`);
        if (jwk.use === 'sig') {
          signing.set(jwk.kid, { party, kid: jwk.kid, key: (await importJWK(jwk, SIGNING_ALG)) as KeyLike });
        } else if (jwk.use === 'enc') {
          encryption.set(party, {
            party,
            kid: jwk.kid,
            key: (await importJWK(jwk, KEY_MANAGEMENT_ALG)) as KeyLike,
          });
        } else {
          throw new Error(`${where}: use must be "sig" or "enc"`);
        }
      }
    }
    return new TrustStore(signing, encryption);
  }

  signingKey(kid: string): { party: PartyId; key: KeyLike } | undefined {
    return this.signingKeys.get(kid);
  }

  encryptionKeyFor(party: PartyId): { kid: string; key: KeyLike } | undefined {
    return this.encryptionKeys.get(party);
  }

  parties(): PartyId[] {
    return [...new Set([...this.signingKeys.values()].map((k) => k.party))];
  }
}
