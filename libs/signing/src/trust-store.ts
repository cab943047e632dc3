import type { KeyObject } from 'node:crypto';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { isJsonObject, readJsonFile } from './json-file.reader';
import { importPartyKey } from './key-object.importer';
import {
  earliest,
  type KeyValidity,
  type KeyValidityProblem,
  parseValidity,
  validityProblemAt,
} from './key-validity';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import { KeyMaterialError } from './signing.errors';

export interface TrustedSigningKey {
  readonly party: PartyId;
  readonly kid: string;
  readonly key: KeyObject;
  readonly validity: KeyValidity;
}

export interface TrustedEncryptionKey {
  readonly kid: string;
  readonly key: KeyObject;
  readonly validity: KeyValidity;
}

/** A party's key as the store lists it: the public JWK and its validity (what the trust file holds). */
export interface TrustedKeyEntry {
  readonly jwk: PartyJwk;
  readonly validity: KeyValidity;
}

/** An offline key a party keeps only to revoke its other keys (never verifies an envelope). */
export interface RecoveryKey {
  readonly party: PartyId;
  readonly kid: string;
  readonly key: KeyObject;
}

/** What a change to the store did: `unchanged` when it was already so (a replayed announcement). */
export type TrustChange = 'added' | 'changed' | 'unchanged' | 'unknown-kid';

interface Entry {
  readonly party: PartyId;
  readonly jwk: PartyJwk;
  readonly key: KeyObject;
  validity: KeyValidity;
}

/**
 * The public keys this node trusts, each imported once and indexed by kid. Verification takes keys
 * only from here, never from a record's headers (`jku`, `x5u`, `jwk`, …).
 *
 * Every key carries a validity (KeyValidity): a party may list several signing and several
 * encryption keys, the old ones kept so that what they signed stays verifiable. Which signing key a
 * record may use is decided at the record's signed creation time; which encryption key a sender
 * encrypts to is the newest one valid now. The store changes while the node runs (key announcements
 * on the trust topic): keys are added, retired (notAfter) and revoked, never removed.
 */
export class TrustStore {
  private readonly entries = new Map<string, Entry>();
  private readonly recovery = new Map<string, RecoveryKey>();
  private readonly partyIds = new Set<PartyId>();

  private constructor() {}

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
    const store = new TrustStore();
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
        if (store.entries.has(checked.jwk.kid)) throw invalid(at, `kid "${checked.jwk.kid}" is listed twice`);
        const validity = parseValidity(value);
        if (!validity.ok) throw invalid(at, validity.problem);
        const imported = await importPartyKey(checked.jwk, 'public');
        if (!imported.ok) throw invalid(at, imported.problem);
        store.put(party, checked.jwk, imported.key, validity.validity);
      }
      const recovery = entry.recoveryKeys;
      if (recovery !== undefined && !Array.isArray(recovery))
        throw invalid(`${where}.recoveryKeys`, 'expected a list of public signing keys');
      for (const [i, value] of ((recovery ?? []) as unknown[]).entries()) {
        const at = `${where}.recoveryKeys[${i}]`;
        const checked = checkPartyJwk(value, party, 'public');
        if (!checked.ok) throw invalid(at, checked.problem);
        if (checked.jwk.use !== 'sig') throw invalid(at, 'a recovery key is a signing ("sig") key');
        if (store.entries.has(checked.jwk.kid) || store.recovery.has(checked.jwk.kid))
          throw invalid(
            at,
            `kid "${checked.jwk.kid}" is listed twice (a recovery key is never an everyday key)`,
          );
        const imported = await importPartyKey(checked.jwk, 'public');
        if (!imported.ok) throw invalid(at, imported.problem);
        store.recovery.set(checked.jwk.kid, { party, kid: checked.jwk.kid, key: imported.key });
      }
      store.partyIds.add(party);
    }
    return store;
  }

  /** The signing key a kid names, whatever its validity; undefined for unknown kids and for enc kids. */
  signingKey(kid: string): TrustedSigningKey | undefined {
    const entry = this.entries.get(kid);
    if (!entry || entry.jwk.use !== 'sig') return undefined;
    return { party: entry.party, kid, key: entry.key, validity: entry.validity };
  }

  /** Why the signing key `kid` may not have signed something created at `at`; undefined when it may. */
  signingKeyProblemAt(kid: string, at: Date): KeyValidityProblem | undefined {
    const entry = this.entries.get(kid);
    return entry ? validityProblemAt(entry.validity, at) : 'KEY_NOT_VALID';
  }

  /**
   * The key to encrypt a payload to `party` with at `at`, and its kid for the JWE header: of the
   * party's encryption keys valid then, the one that became valid last (a rotation's new key from
   * its notBefore on).
   */
  encryptionKeyFor(party: PartyId, at: Date = new Date()): TrustedEncryptionKey | undefined {
    let best: Entry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.party !== party || entry.jwk.use !== 'enc') continue;
      if (validityProblemAt(entry.validity, at) !== undefined) continue;
      const since = entry.validity.notBefore?.getTime() ?? 0;
      if (!best || since >= (best.validity.notBefore?.getTime() ?? 0)) best = entry;
    }
    return best && { kid: best.jwk.kid, key: best.key, validity: best.validity };
  }

  /** A recovery key by kid (for revocations signed offline). */
  recoveryKey(kid: string): RecoveryKey | undefined {
    return this.recovery.get(kid);
  }

  /** Every key listed for `party`, oldest first by notBefore (for the trust file and the key tool). */
  keysOf(party: PartyId): TrustedKeyEntry[] {
    return [...this.entries.values()]
      .filter((entry) => entry.party === party)
      .sort((a, b) => (a.validity.notBefore?.getTime() ?? 0) - (b.validity.notBefore?.getTime() ?? 0))
      .map((entry) => ({ jwk: entry.jwk, validity: entry.validity }));
  }

  /** Every party the store lists, sorted (a copy: callers may sort or filter it). */
  parties(): PartyId[] {
    return [...this.partyIds].sort();
  }

  /**
   * Adds a key of `party` (a checked public JWK). A kid already present is left as it is: the
   * announcement is being replayed, and a replay must never widen a key's validity again.
   */
  async addKey(party: PartyId, jwk: PartyJwk, validity: KeyValidity): Promise<TrustChange> {
    if (this.entries.has(jwk.kid) || this.recovery.has(jwk.kid)) return 'unchanged';
    const checked = checkPartyJwk(publicPartyJwk(jwk), party, 'public');
    if (!checked.ok) throw new KeyMaterialError('KEY_FILE_INVALID', undefined, jwk.kid, checked.problem);
    const imported = await importPartyKey(checked.jwk, 'public');
    if (!imported.ok) throw new KeyMaterialError('KEY_FILE_INVALID', undefined, jwk.kid, imported.problem);
    this.put(party, checked.jwk, imported.key, validity);
    this.partyIds.add(party);
    return 'added';
  }

  /** Ends a key's validity at `at` (or keeps an earlier end). */
  retireKey(kid: string, at: Date): TrustChange {
    return this.change(kid, (v) => ({ ...v, notAfter: earliest(v.notAfter, at) }));
  }

  /** Revokes a key from `at` on (or keeps an earlier revocation): what it signs from then is refused. */
  revokeKey(kid: string, at: Date, reason: string): TrustChange {
    return this.change(kid, (v) =>
      v.revokedAt && v.revokedAt <= at ? v : { ...v, revokedAt: at, revocationReason: reason },
    );
  }

  /**
   * Takes what a re-read trust store file says into this live store: keys it does not hold yet are
   * added; for keys it holds, an end or a revocation the file gives is applied (the earlier one
   * wins), never widened. Returns how many keys changed.
   */
  takeFrom(other: TrustStore): number {
    let changed = 0;
    for (const [kid, entry] of other.entries) {
      const mine = this.entries.get(kid);
      if (!mine) {
        if (this.recovery.has(kid)) continue;
        this.put(entry.party, entry.jwk, entry.key, entry.validity);
        this.partyIds.add(entry.party);
        changed += 1;
        continue;
      }
      if (mine.party !== entry.party) continue;
      const { notAfter, revokedAt, revocationReason } = entry.validity;
      const results = [
        notAfter ? this.retireKey(kid, notAfter) : 'unchanged',
        revokedAt ? this.revokeKey(kid, revokedAt, revocationReason ?? 'revoked') : 'unchanged',
      ];
      if (results.includes('changed')) changed += 1;
    }
    for (const [kid, key] of other.recovery)
      if (!this.recovery.has(kid) && !this.entries.has(kid)) {
        this.recovery.set(kid, key);
        changed += 1;
      }
    return changed;
  }

  private change(kid: string, next: (validity: KeyValidity) => KeyValidity): TrustChange {
    const entry = this.entries.get(kid);
    if (!entry) return 'unknown-kid';
    const before = JSON.stringify(entry.validity);
    entry.validity = next(entry.validity);
    return JSON.stringify(entry.validity) === before ? 'unchanged' : 'changed';
  }

  private put(party: PartyId, jwk: PartyJwk, key: KeyObject, validity: KeyValidity): void {
    this.entries.set(jwk.kid, { party, jwk: publicPartyJwk(jwk), key, validity });
  }
}
