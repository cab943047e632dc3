import { createPublicKey } from 'node:crypto';
import { KeyMaterialError, TrustStore } from '@app/signing';
import { type Manifest, MEMBER } from './bundle.format';
import { jsonOf, textOf } from './json.members';
import type { ReportWriter } from './verification.report';

export interface VerifierTrust {
  /** The keys the bundle lists, with the validity windows (and revocations) as of the export. */
  readonly store: TrustStore;
}

/**
 * Reads the bundle's keys: `keys/trust.json` in the trust-store file format, each key's PEM the same
 * key, and, when the reader pinned keys, each one known to them with the same public value.
 */
export async function checkKeys(
  members: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  pinned: TrustStore | undefined,
  report: ReportWriter,
): Promise<VerifierTrust> {
  const trustBytes = members.get(MEMBER.trust) ?? report.fail(MEMBER.trust, 'is missing');
  let store: TrustStore;
  try {
    store = await TrustStore.fromDocument(jsonOf(MEMBER.trust, trustBytes), MEMBER.trust);
  } catch (error) {
    if (error instanceof KeyMaterialError) return report.fail(MEMBER.trust, error.message);
    throw error;
  }
  for (const { kid, path } of manifest.keys.pem) {
    const key = store.signingKey(kid);
    const pem = members.get(path);
    if (!key || !pem) return report.fail(path, `names ${kid}, which keys/trust.json does not list`);
    const expected = key.key.export({ type: 'spki', format: 'pem' }).toString();
    let given: string;
    try {
      given = createPublicKey(textOf(path, pem)).export({ type: 'spki', format: 'pem' }).toString();
    } catch {
      return report.fail(path, 'is not a PEM public key');
    }
    if (given !== expected) report.fail(path, `is not the key ${kid} that keys/trust.json lists`);
  }
  if (pinned) {
    for (const party of store.parties())
      for (const { jwk } of store.keysOf(party)) {
        const known = pinned.keysOf(party).find((k) => k.jwk.kid === jwk.kid);
        if (!known || known.jwk.x !== jwk.x)
          report.fail(MEMBER.trust, `lists ${jwk.kid}, which the pinned trust store does not hold`);
      }
    report.line('Keys: every key in the bundle is one of the pinned keys — OK');
  } else {
    report.note(
      "no pinned trust store was given (--trust): the keys are the bundle's own; compare their thumbprints (the last part of each kid) with the ones the administrations publish",
    );
  }
  return { store };
}

/** A key as the report names it: kid and validity window, revocation included. */
export function describeKey(kid: string, trust: VerifierTrust): string {
  const key = trust.store.signingKey(kid);
  if (!key) return kid;
  const v = key.validity;
  const parts = [
    v.notBefore ? `from ${v.notBefore.toISOString()}` : 'from the start',
    v.notAfter ? `until ${v.notAfter.toISOString()}` : undefined,
    v.revokedAt
      ? `revoked ${v.revokedAt.toISOString()}${v.revocationReason ? ` (${v.revocationReason})` : ''}`
      : undefined,
  ].filter(Boolean);
  return `${kid} [${parts.join(', ')}]`;
}
