import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { canonicalJson } from '@app/agreements';
import type { ChainedAuditEntry } from '@app/contracts';
import { SIGNING_ALG } from '@app/signing';
import {
  BUNDLE_FORMAT,
  BUNDLE_MEDIA_TYPE,
  kidFileName,
  type Manifest,
  type ManifestConsent,
  type ManifestMessage,
  type ManifestReceipt,
  MANIFEST_JWS_TYPE,
  MEMBER,
  type TimelineEvent,
} from './bundle.format';
import { BUNDLE_README } from './bundle.readme';
import { packZip, utf8 } from './zip.container';

export interface BundleMessage extends Omit<ManifestMessage, 'record' | 'payload'> {
  /** The compact JWS as it travelled, its detached form once redacted, or null when none was kept. */
  readonly recordValue: string | null;
  readonly payload: Record<string, unknown> | null;
  readonly payloadEncryption: 'JWE' | 'NONE';
  readonly jweDigest: string | null;
}

export interface BundleReceipt extends Omit<ManifestReceipt, 'path'> {
  readonly recordValue: string | null;
}

export interface BundleInput {
  readonly conversationId: string;
  readonly exportedBy: { readonly party: string; readonly client: string };
  readonly exportedAt: Date;
  /** The third party the bundle is for (null: the exporter's own use), and the consents that allow it. */
  readonly exportedFor: string | null;
  readonly consents: readonly ManifestConsent[];
  readonly messages: readonly BundleMessage[];
  readonly receipts: readonly BundleReceipt[];
  /** Public signing keys with their validity, in the trust-store file's format. */
  readonly trust: {
    readonly version: 1;
    readonly parties: Record<string, { keys: readonly Record<string, unknown>[] }>;
  };
  readonly agreements: readonly { id: string; sha256: string; document: string; firstSeenAt: Date }[];
  readonly audit: {
    readonly entries: readonly ChainedAuditEntry[];
    readonly head: { seq: number; hash: string };
    readonly checkpoints: readonly { seq: number; recordValue: string }[];
    readonly exportSeq: number;
  };
  readonly timeline: readonly TimelineEvent[];
}

export const sha256Of = (bytes: Uint8Array): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** One audit entry as a line of the segment (the fields its hash commits to, and the hash). */
export function segmentLine(e: ChainedAuditEntry): string {
  return JSON.stringify({
    seq: e.seq,
    at: e.at.toISOString(),
    kind: e.kind,
    messageId: e.messageId,
    counterpart: e.counterpart,
    detail: e.detail,
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

/**
 * Writes a bundle: every member, then the manifest listing them with their digests, signed with the
 * exporting node's signing key valid at the export time. What goes in is what the node holds; the
 * writer adds nothing it did not get, so the verifier's checks are checks of the node's records.
 */
export async function writeEvidenceBundle(
  input: BundleInput,
  signer: { readonly kid: string; readonly key: KeyObject },
): Promise<Uint8Array> {
  const members = new Map<string, Uint8Array>();
  const put = (path: string, text: string) => members.set(path, utf8.encode(text));
  put(MEMBER.mimetype, BUNDLE_MEDIA_TYPE);
  put(MEMBER.readme, BUNDLE_README);

  const pad = (n: number) => String(n + 1).padStart(3, '0');
  const messages: ManifestMessage[] = input.messages.map((m, i) => {
    const base = `${pad(i)}-${m.direction}-${m.id}`;
    const record = m.recordValue === null ? null : `messages/${base}${m.redactedAt ? '.detached' : ''}.jws`;
    if (record && m.recordValue !== null) put(record, m.recordValue);
    const payloadPath = m.payload && !m.redactedAt ? `payloads/${base}.json` : null;
    if (payloadPath && m.payload) put(payloadPath, `${canonicalJson(m.payload)}\n`);
    const { recordValue: _r, payload: _p, payloadEncryption, jweDigest, ...rest } = m;
    return {
      ...rest,
      record,
      payload: payloadPath ? { path: payloadPath, encryption: payloadEncryption, jweDigest } : null,
    };
  });
  const receipts: ManifestReceipt[] = input.receipts.map((r, i) => {
    const path =
      r.recordValue === null ? null : `receipts/${pad(i)}-${r.direction}-${r.counterpart}-${r.messageId}.jws`;
    if (path && r.recordValue !== null) put(path, r.recordValue);
    const { recordValue: _r, ...rest } = r;
    return { ...rest, path };
  });
  put(MEMBER.trust, `${JSON.stringify(input.trust, null, 2)}\n`);
  const pem: { kid: string; path: string }[] = [];
  for (const party of Object.values(input.trust.parties))
    for (const jwk of party.keys) {
      const kid = String(jwk.kid);
      const path = `keys/${kidFileName(kid)}.pem`;
      const {
        kid: _k,
        use: _u,
        alg: _a,
        notBefore: _nb,
        notAfter: _na,
        revokedAt: _ra,
        revocationReason: _rr,
        ...raw
      } = jwk;
      put(
        path,
        createPublicKey({ key: raw as never, format: 'jwk' })
          .export({ type: 'spki', format: 'pem' })
          .toString(),
      );
      pem.push({ kid, path });
    }
  const agreements = input.agreements.map((a) => {
    const path = `agreements/${a.id}-${a.sha256.slice('sha256:'.length, 'sha256:'.length + 12)}.json`;
    put(path, a.document);
    return { path, id: a.id, sha256: a.sha256, firstSeenAt: a.firstSeenAt.toISOString() };
  });
  put(MEMBER.segment, input.audit.entries.map((e) => `${segmentLine(e)}\n`).join(''));
  const checkpoints = input.audit.checkpoints.map((c) => {
    const path = `audit/checkpoints/${String(c.seq).padStart(10, '0')}.jws`;
    put(path, c.recordValue);
    return { path, seq: c.seq };
  });

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    conversationId: input.conversationId,
    exportedBy: { ...input.exportedBy, kid: signer.kid },
    exportedAt: input.exportedAt.toISOString(),
    exportedFor: input.exportedFor,
    consents: input.consents,
    members: [...members]
      .filter(([path]) => path !== MEMBER.mimetype)
      .map(([path, bytes]) => ({ path, sha256: sha256Of(bytes), bytes: bytes.length })),
    messages,
    receipts,
    agreements,
    keys: { trust: MEMBER.trust, pem },
    audit: {
      segment: MEMBER.segment,
      from: input.audit.entries[0]?.seq ?? 0,
      to: input.audit.entries.at(-1)?.seq ?? 0,
      head: input.audit.head,
      checkpoints,
      exportSeq: input.audit.exportSeq,
    },
    timeline: input.timeline,
  };
  const manifestBytes = utf8.encode(`${JSON.stringify(manifest, null, 2)}\n`);
  members.set(MEMBER.manifest, manifestBytes);
  const jws = await new CompactSign(manifestBytes)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: MANIFEST_JWS_TYPE })
    .sign(signer.key);
  members.set(MEMBER.manifestJws, utf8.encode(jws));
  return packZip(members);
}
