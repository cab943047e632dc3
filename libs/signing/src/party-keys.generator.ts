import { exportJWK, generateKeyPair, type KeyLike } from 'jose';
import type { PartyId } from '@app/contracts';
import { ENCRYPTION_CURVE, KEY_MANAGEMENT_ALG, SIGNING_ALG, SIGNING_CURVE } from './jose-profile.constants';
import { assertPartyId, kidFor, type KeyUse } from './key-id.format';
import type { KeyValidity } from './key-validity';
import { type PartyJwk, publicPartyJwk, PROFILE_BY_USE } from './party-jwk.validator';

/**
 * A party's key material as JWKs, as written to disk: an Ed25519 key to sign envelopes and an X25519
 * key to receive encrypted payloads. `privateJwks` hold `d`; `publicJwks` are what the trust store lists.
 */
export interface PartyKeyMaterial {
  readonly party: PartyId;
  readonly privateJwks: readonly PartyJwk[];
  readonly publicJwks: readonly PartyJwk[];
  /** Each key's validity, index for index with the JWK lists (written beside each key in the files). */
  readonly validities: readonly KeyValidity[];
}

/** A new signing and encryption key pair for `party`, valid from `validity.notBefore` (or for ever). */
export async function generatePartyKeys(
  party: PartyId,
  validity: KeyValidity = {},
): Promise<PartyKeyMaterial> {
  assertPartyId(party);
  const sig = await generateKeyPair(SIGNING_ALG, { crv: SIGNING_CURVE, extractable: true });
  const enc = await generateKeyPair(KEY_MANAGEMENT_ALG, { crv: ENCRYPTION_CURVE, extractable: true });
  const privateJwks = [await toPartyJwk(party, 'sig', sig), await toPartyJwk(party, 'enc', enc)];
  return {
    party,
    privateJwks,
    publicJwks: privateJwks.map(publicPartyJwk),
    validities: [validity, validity],
  };
}

async function toPartyJwk(party: PartyId, use: KeyUse, pair: { privateKey: KeyLike }): Promise<PartyJwk> {
  const { x, d } = await exportJWK(pair.privateKey);
  if (typeof x !== 'string' || typeof d !== 'string') throw new Error(`jose exported no OKP ${use} key`);
  const { alg, crv } = PROFILE_BY_USE[use];
  const kid = kidFor(party, use, { crv, x });
  return { kty: 'OKP', crv, x, d, kid, use, alg };
}
