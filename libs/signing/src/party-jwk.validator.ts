import type { JWK } from 'jose';
import type { PartyId } from '@app/contracts';
import { ENCRYPTION_CURVE, KEY_MANAGEMENT_ALG, SIGNING_ALG, SIGNING_CURVE } from './jose-profile.constants';
import { KID_THUMBPRINT_LENGTH, type KeyUse, okpThumbprint, parseKid } from './key-id.format';

/** A party's key as stored: an OKP JWK whose kid, use, alg and curve agree with each other. */
export interface PartyJwk extends JWK {
  readonly kty: 'OKP';
  readonly crv: typeof SIGNING_CURVE | typeof ENCRYPTION_CURVE;
  readonly x: string;
  readonly kid: string;
  readonly use: KeyUse;
  readonly alg: typeof SIGNING_ALG | typeof KEY_MANAGEMENT_ALG;
}

export const PROFILE_BY_USE = {
  sig: { alg: SIGNING_ALG, crv: SIGNING_CURVE },
  enc: { alg: KEY_MANAGEMENT_ALG, crv: ENCRYPTION_CURVE },
} as const;

/** 32 bytes in unpadded base64url: the size of an Ed25519/X25519 public key or private scalar. */
const KEY_BYTES_B64 = /^[A-Za-z0-9_-]{43}$/;

export type Visibility = 'public' | 'private';

export type JwkCheck =
  { readonly ok: true; readonly jwk: PartyJwk } | { readonly ok: false; readonly problem: string };

/**
 * Checks one stored JWK against the profile and against the party it is listed under. Problems name
 * the member at fault and quote only public values (kid, use, alg), never `d`.
 */
export function checkPartyJwk(value: unknown, party: PartyId, visibility: Visibility): JwkCheck {
  const shape = checkShape(value, party, visibility);
  if (!shape.ok) return shape;
  const { jwk } = shape;
  // The kid carries the key's thumbprint: a kid pasted next to another key would otherwise go unnoticed.
  const expected = okpThumbprint(jwk).slice(0, KID_THUMBPRINT_LENGTH);
  if (parseKid(jwk.kid)?.thumbprint !== expected) {
    return fail(`kid "${jwk.kid}" does not match the key (RFC 7638 thumbprint starts ${expected})`);
  }
  return shape;
}

function checkShape(value: unknown, party: PartyId, visibility: Visibility): JwkCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const jwk = value as Record<string, unknown>;
  const { kid, use, alg, kty, crv, x, d } = jwk;
  if (typeof kid !== 'string' || kid === '') return fail('has no kid');
  if (!kid.startsWith(`${party}:`)) return fail(`kid "${kid}" must start with "${party}:"`);
  const parsed = parseKid(kid);
  if (!parsed) return fail(`kid "${kid}" is not of the form ${party}:<sig|enc>:<16-char thumbprint>`);
  if (use !== 'sig' && use !== 'enc') return fail(`kid "${kid}": use must be "sig" or "enc"`);
  if (parsed.use !== use) return fail(`kid "${kid}" says ${parsed.use} but use is "${use}"`);
  const profile = PROFILE_BY_USE[use];
  if (alg !== profile.alg) return fail(`kid "${kid}": alg must be "${profile.alg}" for use "${use}"`);
  if (kty !== 'OKP' || crv !== profile.crv)
    return fail(`kid "${kid}": must be kty "OKP", crv "${profile.crv}"`);
  if (typeof x !== 'string' || !KEY_BYTES_B64.test(x)) return fail(`kid "${kid}": x is not a 32-byte key`);
  if (visibility === 'public' && d !== undefined) {
    return fail(`kid "${kid}": holds a private key ("d"); a trust store holds public keys only`);
  }
  if (visibility === 'private' && (typeof d !== 'string' || !KEY_BYTES_B64.test(d))) {
    return fail(`kid "${kid}": has no valid private key ("d")`);
  }
  return { ok: true, jwk: jwk as unknown as PartyJwk };
}

/** The public half of a party JWK, with only the members a trust store needs (drops `d` and any extras). */
export function publicPartyJwk(jwk: PartyJwk): PartyJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, use: jwk.use, alg: jwk.alg };
}

function fail(problem: string): JwkCheck {
  return { ok: false, problem };
}
