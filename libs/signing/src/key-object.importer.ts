import { KeyObject } from 'node:crypto';
import { importJWK } from 'jose';
import type { PartyJwk } from './party-jwk.validator';

/** The Node key type behind each use: what jose must hand back for a key to be usable in this profile. */
const NODE_KEY_TYPE = { sig: 'ed25519', enc: 'x25519' } as const;

/**
 * Turns a checked JWK into a Node KeyObject, once, at load time: signing and verifying thousands of
 * records per second must not re-parse JWKs. Returns a problem string instead of throwing so the
 * caller can name the file and entry.
 */
export async function importPartyKey(
  jwk: PartyJwk,
  expect: 'public' | 'private',
): Promise<{ ok: true; key: KeyObject } | { ok: false; problem: string }> {
  let key: unknown;
  try {
    key = await importJWK({ ...jwk }, jwk.alg);
  } catch (error) {
    // jose's messages describe the JWK's structure, not its secret values.
    return {
      ok: false,
      problem: `kid "${jwk.kid}" cannot be imported (${error instanceof Error ? error.message : 'unknown error'})`,
    };
  }
  if (
    !(key instanceof KeyObject) ||
    key.type !== expect ||
    key.asymmetricKeyType !== NODE_KEY_TYPE[jwk.use]
  ) {
    return {
      ok: false,
      problem: `kid "${jwk.kid}" did not import as a ${expect} ${NODE_KEY_TYPE[jwk.use]} key`,
    };
  }
  return { ok: true, key };
}
