import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { parseCompact } from './compact-serialization.parser';
import { KEY_BEARING_HEADERS, SIGNING_ALG } from './jose-profile.constants';
import { isJsonObject } from './json-file.reader';
import { parseKid } from './key-id.format';
import { type KeyValidity, parseValidity, validityJson, validityProblemAt } from './key-validity';
import { checkPartyJwk, type PartyJwk, publicPartyJwk } from './party-jwk.validator';
import type { TrustChange, TrustStore } from './trust-store';

/** Explicit JWS type: a key announcement is never taken for an envelope, nor an envelope for one. */
export const KEY_EVENT_JWS_TYPE = 'puente-key-event+jws';

/** Key events are small; anything larger is refused before parsing. */
const MAX_KEY_EVENT_BYTES = 8192;

/**
 * A party's statement about one of its own keys, signed by a key the receivers already trust:
 * - `add`: a new public key (with its validity), e.g. a rotation's next keys, announced before the switch;
 * - `retire`: the key ends at `at` (what it signed before stays verifiable);
 * - `revoke`: the key is revoked from `at` on (`reason` says why).
 */
export type KeyEvent =
  | {
      readonly action: 'add';
      readonly party: PartyId;
      readonly key: PartyJwk;
      readonly validity: KeyValidity;
      readonly issuedAt: Date;
    }
  | {
      readonly action: 'retire' | 'revoke';
      readonly party: PartyId;
      readonly kid: string;
      readonly at: Date;
      readonly reason?: string;
      readonly issuedAt: Date;
    };

/** Why an announcement is refused: stable reason codes (the same ones records are refused with). */
export type KeyEventRefusal =
  | 'MALFORMED_RECORD'
  | 'ALG_NOT_ALLOWED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'KEY_NOT_OWNED_BY_SENDER'
  | 'KEY_REVOKED'
  | 'KEY_NOT_VALID'
  | 'KEY_EVENT_NOT_PERMITTED';

export type KeyEventCheck =
  | { readonly ok: true; readonly event: KeyEvent; readonly signerKid: string; readonly byRecovery: boolean }
  | {
      readonly ok: false;
      readonly reason: KeyEventRefusal;
      readonly detail: string;
      /** The party the event claims to speak for, when it says so in our format. */
      readonly party?: PartyId;
      readonly signerKid?: string;
    };

/** The record key on the trust topic: which key and action an announcement is about (for operators reading the topic). */
export function keyEventRecordKey(event: KeyEvent, jws: string): string {
  const subject = event.action === 'add' ? event.key.kid : event.kid;
  return `${subject}/${event.action}/${jws.slice(-22)}`;
}

/** Signs a key event with `signer` (one of the party's signing keys, or its offline recovery key). */
export function signKeyEvent(
  event: KeyEvent,
  signer: { readonly kid: string; readonly key: KeyObject },
): Promise<string> {
  const body =
    event.action === 'add'
      ? {
          v: 1,
          action: 'add',
          party: event.party,
          key: publicPartyJwk(event.key),
          ...validityJson(event.validity),
          issuedAt: event.issuedAt.toISOString(),
        }
      : {
          v: 1,
          action: event.action,
          party: event.party,
          kid: event.kid,
          at: event.at.toISOString(),
          ...(event.reason ? { reason: event.reason } : {}),
          issuedAt: event.issuedAt.toISOString(),
        };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: KEY_EVENT_JWS_TYPE })
    .sign(signer.key);
}

/**
 * Checks an announcement against the keys this node already trusts (key continuity), never against
 * a key the announcement brings:
 * 1. a compact JWS of the profile (EdDSA, typ puente-key-event+jws, no key-bearing headers);
 * 2. signed by a signing key of the party the event speaks for, valid (not revoked) at the event's
 *    issue time — or by that party's offline recovery key from the bootstrap trust store;
 * 3. what it asks is permitted: a key may retire or revoke only itself or keys no newer than itself
 *    (a thief holding an old key cannot revoke the new one); the recovery key may do anything for its
 *    party; an added key must be of the party and not be listed under anyone else.
 * Never throws for bad input.
 */
export async function checkKeyEvent(jws: string, trust: TrustStore): Promise<KeyEventCheck> {
  if (typeof jws !== 'string' || jws.length > MAX_KEY_EVENT_BYTES)
    return refuse('MALFORMED_RECORD', 'not a key event of at most 8 KiB');
  const parsed = parseCompact(jws, 3, 'key event');
  if (!parsed.ok) return refuse('MALFORMED_RECORD', parsed.detail);
  const { header } = parsed;
  if (KEY_BEARING_HEADERS.some((name) => name in header) || header.alg !== SIGNING_ALG)
    return refuse('ALG_NOT_ALLOWED', 'the key event header is outside the profile');
  if (header.typ !== KEY_EVENT_JWS_TYPE) return refuse('MALFORMED_RECORD', 'not a key event (typ)');
  const signerKid = typeof header.kid === 'string' && parseKid(header.kid) ? header.kid : undefined;
  if (!signerKid)
    return refuse('UNKNOWN_KEY', 'the key event names no kid of the form <party>:sig:<thumbprint>');
  const everyday = trust.signingKey(signerKid);
  const recovery = trust.recoveryKey(signerKid);
  const signer = everyday ?? recovery;
  if (!signer) return refuse('UNKNOWN_KEY', `${signerKid} is not a key this node trusts`, { signerKid });
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, signer.key, { algorithms: [SIGNING_ALG] }));
  } catch {
    return refuse('BAD_SIGNATURE', `the key event does not verify with ${signerKid}`, { signerKid });
  }
  const event = parseEvent(payload);
  if (!event.ok) return refuse('MALFORMED_RECORD', event.problem, { signerKid });
  const e = event.event;
  const about = { party: e.party, signerKid };
  if (signer.party !== e.party)
    return refuse(
      'KEY_NOT_OWNED_BY_SENDER',
      `signed by a key of ${signer.party}, about ${e.party}'s keys`,
      about,
    );
  if (everyday) {
    const problem = validityProblemAt(everyday.validity, e.issuedAt);
    if (problem)
      return refuse(problem, `${signerKid} was not valid when the event says it was issued`, about);
  }
  const permitted = permittedBy(e, everyday?.validity, signerKid, trust);
  if (permitted) return refuse('KEY_EVENT_NOT_PERMITTED', permitted, about);
  return { ok: true, event: e, signerKid, byRecovery: !everyday };
}

/** Applies a checked event to the live store. */
export async function applyKeyEvent(event: KeyEvent, trust: TrustStore): Promise<TrustChange> {
  switch (event.action) {
    case 'add':
      return trust.addKey(event.party, event.key, event.validity);
    case 'retire':
      return trust.retireKey(event.kid, event.at);
    case 'revoke':
      return trust.revokeKey(event.kid, event.at, event.reason ?? 'revoked');
  }
}

/** Undefined when permitted; otherwise why not. */
function permittedBy(
  e: KeyEvent,
  signerValidity: KeyValidity | undefined,
  signerKid: string,
  trust: TrustStore,
): string | undefined {
  if (e.action === 'add') {
    const listed = trust.signingKey(e.key.kid);
    if (listed && listed.party !== e.party) return 'the added key is listed under another party';
    return undefined;
  }
  if (!e.kid.startsWith(`${e.party}:`)) return `${e.kid} is not a key of ${e.party}`;
  if (!signerValidity || e.kid === signerKid) return undefined; // the recovery key, or a key about itself
  const target = trust.keysOf(e.party).find((k) => k.jwk.kid === e.kid);
  if (!target) return undefined; // unknown to this node: applying it changes nothing
  const targetSince = target.validity.notBefore?.getTime() ?? 0;
  const signerSince = signerValidity.notBefore?.getTime() ?? 0;
  return targetSince > signerSince
    ? `${signerKid} may not ${e.action} a newer key (${e.kid}); only that key itself or the recovery key may`
    : undefined;
}

function parseEvent(payload: Uint8Array): { ok: true; event: KeyEvent } | { ok: false; problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, problem: 'the key event payload is not JSON' };
  }
  if (!isJsonObject(body) || body.v !== 1) return { ok: false, problem: 'the key event is not of version 1' };
  const party = body.party;
  if (typeof party !== 'string' || !PARTY_ID_PATTERN.test(party))
    return { ok: false, problem: 'party is not a party id' };
  const issuedAt = instant(body.issuedAt);
  if (!issuedAt) return { ok: false, problem: 'issuedAt is not an ISO 8601 instant' };
  if (body.action === 'add') {
    const checked = checkPartyJwk(body.key, party, 'public');
    if (!checked.ok) return { ok: false, problem: `key: ${checked.problem}` };
    const validity = parseValidity(body);
    if (!validity.ok) return { ok: false, problem: validity.problem };
    if (validity.validity.revokedAt) return { ok: false, problem: 'an added key cannot come revoked' };
    return {
      ok: true,
      event: { action: 'add', party, key: checked.jwk, validity: validity.validity, issuedAt },
    };
  }
  if (body.action !== 'retire' && body.action !== 'revoke')
    return { ok: false, problem: 'action must be add, retire or revoke' };
  const kid = body.kid;
  if (typeof kid !== 'string' || !parseKid(kid)) return { ok: false, problem: 'kid is not a key id' };
  const at = instant(body.at);
  if (!at) return { ok: false, problem: 'at is not an ISO 8601 instant' };
  const reason = body.reason;
  if (reason !== undefined && (typeof reason !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(reason)))
    return { ok: false, problem: 'reason must be 1–200 printable characters' };
  return {
    ok: true,
    event: { action: body.action, party, kid, at, reason: reason, issuedAt },
  };
}

function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function refuse(
  reason: KeyEventRefusal,
  detail: string,
  about: { party?: PartyId; signerKid?: string } = {},
): KeyEventCheck {
  return { ok: false, reason, detail, ...about };
}
