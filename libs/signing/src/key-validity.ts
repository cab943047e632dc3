import { isJsonObject } from './json-file.reader';

/**
 * When a key may be used: from `notBefore` (inclusive) until `notAfter` (exclusive), unless revoked.
 * A key without `notBefore` has been valid for ever (files written before keys had a history). A
 * revoked key stays in the store: what it signed before `revokedAt` is still evidence.
 */
export interface KeyValidity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly revokedAt?: Date;
  /** Free text the operator gave (`compromised`, `superseded`, …); never key material. */
  readonly revocationReason?: string;
}

/** Why a key may not be used at an instant; undefined when it may. */
export type KeyValidityProblem = 'KEY_REVOKED' | 'KEY_NOT_VALID';

export function validityProblemAt(validity: KeyValidity, at: Date): KeyValidityProblem | undefined {
  const t = at.getTime();
  if (validity.revokedAt && t >= validity.revokedAt.getTime()) return 'KEY_REVOKED';
  if (validity.notBefore && t < validity.notBefore.getTime()) return 'KEY_NOT_VALID';
  if (validity.notAfter && t >= validity.notAfter.getTime()) return 'KEY_NOT_VALID';
  return undefined;
}

/** The validity members a key entry may carry in a key file, as JSON (ISO 8601 instants). */
export const VALIDITY_MEMBERS = ['notBefore', 'notAfter', 'revokedAt', 'revocationReason'] as const;

const REASON_PATTERN = /^[\x20-\x7e]{1,200}$/;

/**
 * Reads the validity members of a key entry; a problem string (naming the member) when one is
 * present but not an ISO 8601 instant, or when the window is empty or the reason unprintable.
 */
export function parseValidity(
  entry: unknown,
): { ok: true; validity: KeyValidity } | { ok: false; problem: string } {
  if (!isJsonObject(entry)) return { ok: true, validity: {} };
  const validity: { -readonly [K in keyof KeyValidity]: KeyValidity[K] } = {};
  for (const member of ['notBefore', 'notAfter', 'revokedAt'] as const) {
    const value = entry[member];
    if (value === undefined) continue;
    const date = typeof value === 'string' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string))
      return { ok: false, problem: `${member} must be an ISO 8601 instant (e.g. 2026-12-01T00:00:00Z)` };
    validity[member] = date;
  }
  const reason = entry.revocationReason;
  if (reason !== undefined) {
    if (typeof reason !== 'string' || !REASON_PATTERN.test(reason))
      return { ok: false, problem: 'revocationReason must be 1–200 printable ASCII characters' };
    if (!validity.revokedAt) return { ok: false, problem: 'revocationReason without revokedAt' };
    validity.revocationReason = reason;
  }
  if (validity.notBefore && validity.notAfter && validity.notAfter <= validity.notBefore)
    return { ok: false, problem: 'notAfter must be later than notBefore' };
  return { ok: true, validity };
}

/** The validity as JSON members, for writing key files (absent members stay absent). */
export function validityJson(validity: KeyValidity): Record<string, string> {
  const json: Record<string, string> = {};
  if (validity.notBefore) json.notBefore = validity.notBefore.toISOString();
  if (validity.notAfter) json.notAfter = validity.notAfter.toISOString();
  if (validity.revokedAt) json.revokedAt = validity.revokedAt.toISOString();
  if (validity.revocationReason) json.revocationReason = validity.revocationReason;
  return json;
}

/** The earliest of two optional instants (a key retired twice keeps the earlier end). */
export function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
