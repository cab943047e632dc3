import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { parseCompact } from './compact-serialization.parser';
import { KEY_BEARING_HEADERS, SIGNING_ALG } from './jose-profile.constants';
import { isJsonObject } from './json-file.reader';
import { parseKid } from './key-id.format';
import { validityProblemAt } from './key-validity';
import type { TrustStore } from './trust-store';

/** Explicit JWS type of an audit checkpoint. */
export const AUDIT_CHECKPOINT_JWS_TYPE = 'puente-audit-checkpoint+jws';

/** A node's statement of its audit chain's head: entry `seq` has hash `hash`, as of `at`. */
export interface AuditCheckpoint {
  readonly party: PartyId;
  readonly seq: number;
  readonly hash: string;
  readonly at: Date;
}

export type AuditCheckpointCheck =
  | { readonly ok: true; readonly checkpoint: AuditCheckpoint; readonly kid: string }
  | { readonly ok: false; readonly reason: string; readonly detail: string };

const HASH = /^[0-9a-f]{64}$/;

export function signAuditCheckpoint(
  checkpoint: AuditCheckpoint,
  signer: { readonly kid: string; readonly key: KeyObject },
): Promise<string> {
  const body = {
    v: 1,
    party: checkpoint.party,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at.toISOString(),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: AUDIT_CHECKPOINT_JWS_TYPE })
    .sign(signer.key);
}

/** Whether a record on the trust topic says it is an audit checkpoint (its header's typ; unverified). */
export function isAuditCheckpointRecord(value: string): boolean {
  const parsed = parseCompact(value, 3, 'record');
  return parsed.ok && parsed.header.typ === AUDIT_CHECKPOINT_JWS_TYPE;
}

/**
 * Checks a checkpoint: the profile's JWS, signed by a signing key of the party it speaks for that was
 * valid at the checkpoint's time, with a well-formed body. Never throws for bad input.
 */
export async function checkAuditCheckpoint(jws: string, trust: TrustStore): Promise<AuditCheckpointCheck> {
  const parsed = parseCompact(jws, 3, 'audit checkpoint');
  if (!parsed.ok) return { ok: false, reason: 'MALFORMED_RECORD', detail: parsed.detail };
  const { header } = parsed;
  if (KEY_BEARING_HEADERS.some((n) => n in header) || header.alg !== SIGNING_ALG)
    return { ok: false, reason: 'ALG_NOT_ALLOWED', detail: 'the checkpoint header is outside the profile' };
  if (header.typ !== AUDIT_CHECKPOINT_JWS_TYPE)
    return { ok: false, reason: 'MALFORMED_RECORD', detail: 'not an audit checkpoint (typ)' };
  const kid = typeof header.kid === 'string' && parseKid(header.kid) ? header.kid : undefined;
  const signer = kid ? trust.signingKey(kid) : undefined;
  if (!kid || !signer) return { ok: false, reason: 'UNKNOWN_KEY', detail: 'not signed by a trusted key' };
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, signer.key, { algorithms: [SIGNING_ALG] }));
  } catch {
    return { ok: false, reason: 'BAD_SIGNATURE', detail: `the checkpoint does not verify with ${kid}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, reason: 'MALFORMED_RECORD', detail: 'the checkpoint is not JSON' };
  }
  if (
    !isJsonObject(body) ||
    body.v !== 1 ||
    typeof body.party !== 'string' ||
    !PARTY_ID_PATTERN.test(body.party) ||
    typeof body.seq !== 'number' ||
    !Number.isSafeInteger(body.seq) ||
    body.seq < 0 ||
    typeof body.hash !== 'string' ||
    !(HASH.test(body.hash) || body.hash === 'genesis') ||
    typeof body.at !== 'string' ||
    Number.isNaN(new Date(body.at).getTime())
  )
    return {
      ok: false,
      reason: 'MALFORMED_RECORD',
      detail: 'the checkpoint body is not { v, party, seq, hash, at }',
    };
  const checkpoint = { party: body.party, seq: body.seq, hash: body.hash, at: new Date(body.at) };
  if (signer.party !== checkpoint.party)
    return {
      ok: false,
      reason: 'KEY_NOT_OWNED_BY_SENDER',
      detail: `signed by ${signer.party} for ${checkpoint.party}`,
    };
  const problem = validityProblemAt(signer.validity, checkpoint.at);
  if (problem) return { ok: false, reason: problem, detail: `${kid} was not valid at the checkpoint's time` };
  return { ok: true, checkpoint, kid };
}
