import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import type { PartyId } from '@app/contracts';

export const SIGNING_ALG = 'EdDSA';
export const KEY_MANAGEMENT_ALG = 'ECDH-ES+A256KW';
export const CONTENT_ENCRYPTION = 'A256GCM';

/** A party's key material as JWKs: an Ed25519 key to sign and an X25519 key to receive encrypted payloads. */
export interface PartyKeyMaterial {
  readonly party: PartyId;
  readonly privateJwks: readonly JWK[];
  readonly publicJwks: readonly JWK[];
}

/** Imported, ready-to-use keys of this node's own party (imported once at start-up). */
export interface OwnKeys {
  readonly party: PartyId;
  readonly signing: { readonly kid: string; readonly key: KeyLike };
  readonly encryption: { readonly kid: string; readonly key: KeyLike };
}

/** `<party>:<sig|enc>:<first 16 chars of the RFC 7638 thumbprint>` — the party is readable from the kid. */
export async function kidFor(party: PartyId, use: 'sig' | 'enc', publicJwk: JWK): Promise<string> {
  return `${party}:${use}:${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`;
}

/** The party a kid names (its prefix); the trust store checks that it lists the key under that party. */
export function partyOfKid(kid: string): PartyId | undefined {
  const [party, use] = kid.split(':');
  return party && (use === 'sig' || use === 'enc') ? party : undefined;
}

export async function generatePartyKeys(party: PartyId): Promise<PartyKeyMaterial> {
  const sig = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  const enc = await generateKeyPair(KEY_MANAGEMENT_ALG, { crv: 'X25519', extractable: true });
  const sigPublic = await exportJWK(sig.publicKey);
  const encPublic = await exportJWK(enc.publicKey);
  const sigMeta = { kid: await kidFor(party, 'sig', sigPublic), use: 'sig', alg: SIGNING_ALG };
  const encMeta = { kid: await kidFor(party, 'enc', encPublic), use: 'enc', alg: KEY_MANAGEMENT_ALG };
  return {
    party,
    privateJwks: [
      { ...(await exportJWK(sig.privateKey)), ...sigMeta },
      { ...(await exportJWK(enc.privateKey)), ...encMeta },
    ],
    publicJwks: [
      { ...sigPublic, ...sigMeta },
      { ...encPublic, ...encMeta },
    ],
  };
}
