import type { PartyId } from '@app/contracts';
import {
  generatePartyKeys,
  type KeyValidity,
  type PartyKeyMaterial,
  readPartyKeyMaterial,
  TrustStore,
  trustStoreFile,
  updateTrustStoreKey,
  writePartyKeys,
  writePrivateKeys,
} from '@app/signing';

export interface RotationResult {
  readonly party: PartyId;
  /** When the new keys take over (the node signs with the new key from then on). */
  readonly switchAt: Date;
  readonly signingKid: string;
  readonly encryptionKid: string;
  /** The party's keys that end at the switch (kept, listed with a notAfter: still verifiable). */
  readonly retiredKids: readonly string[];
}

/**
 * Makes new signing and encryption keys for `party`, valid from `switchAt`, and keeps the old ones:
 * in the private key file (the node decrypts with the old encryption key for the overlap) and in the
 * trust store, with a notAfter at the switch, so that every record signed before it stays verifiable.
 * Ends by loading the trust store the way a node does.
 */
export async function rotatePartyKeys(dir: string, party: PartyId, switchAt: Date): Promise<RotationResult> {
  const old = readPartyKeyMaterial(dir, party);
  const fresh = await generatePartyKeys(party, { notBefore: switchAt });
  const retiredKids = old.privateJwks
    .filter((jwk, i) => !endsBefore(old.validities[i], switchAt))
    .map((jwk) => jwk.kid);
  const keptOld: PartyKeyMaterial = {
    party,
    privateJwks: old.privateJwks,
    publicJwks: old.publicJwks,
    validities: old.validities.map((v) => ({ ...v, notAfter: earlier(v.notAfter, switchAt, v.notBefore) })),
  };
  writePartyKeys(dir, joined(keptOld, fresh), { retireOthersAt: switchAt });
  await TrustStore.load(trustStoreFile(dir));
  const kidOf = (use: string) => fresh.publicJwks.find((jwk) => jwk.use === use)?.kid ?? '?';
  return { party, switchAt, signingKid: kidOf('sig'), encryptionKid: kidOf('enc'), retiredKids };
}

/**
 * Marks one of `party`'s keys revoked from `at` on, in the trust store and (when it is there) in the
 * party's own private key file: a node never signs or decrypts with a revoked key, and receivers
 * refuse what it signed from `at` on (KEY_REVOKED). Other nodes learn of it from the node's
 * announcement on the trust topic, or from a copy of this trust store.
 */
export async function revokePartyKey(
  dir: string,
  party: PartyId,
  kid: string,
  at: Date,
  reason: string,
): Promise<{ readonly inTrustStore: boolean; readonly inPrivateFile: boolean }> {
  const revoke = (v: KeyValidity): KeyValidity =>
    v.revokedAt && v.revokedAt <= at ? v : { ...v, revokedAt: at, revocationReason: reason };
  const inTrustStore = updateTrustStoreKey(trustStoreFile(dir), party, kid, revoke);
  let inPrivateFile = false;
  try {
    const own = readPartyKeyMaterial(dir, party);
    const index = own.privateJwks.findIndex((jwk) => jwk.kid === kid);
    if (index >= 0) {
      inPrivateFile = true;
      writePrivateKeys(dir, {
        ...own,
        validities: own.validities.map((v, i) => (i === index ? revoke(v) : v)),
      });
    }
  } catch (error) {
    // Another administration's key: this operator holds only the public half.
    if ((error as { code?: string }).code !== 'KEY_FILE_MISSING') throw error;
  }
  await TrustStore.load(trustStoreFile(dir));
  return { inTrustStore, inPrivateFile };
}

function joined(a: PartyKeyMaterial, b: PartyKeyMaterial): PartyKeyMaterial {
  return {
    party: a.party,
    privateJwks: [...a.privateJwks, ...b.privateJwks],
    publicJwks: [...a.publicJwks, ...b.publicJwks],
    validities: [...a.validities, ...b.validities],
  };
}

function endsBefore(validity: KeyValidity | undefined, at: Date): boolean {
  return validity?.notAfter !== undefined && validity.notAfter <= at;
}

/** The earlier end, but never an empty window (a key scheduled after the switch ends just after it starts). */
function earlier(notAfter: Date | undefined, at: Date, notBefore: Date | undefined): Date {
  const end = notAfter && notAfter < at ? notAfter : at;
  return notBefore && end <= notBefore ? new Date(notBefore.getTime() + 1) : end;
}
