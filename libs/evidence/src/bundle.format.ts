/**
 * The evidence bundle: one ZIP file (members stored, not compressed, so every member's bytes are in
 * the file as they are) that holds a conversation's signed records, receipts, keys, agreements and
 * audit-chain segment, and a manifest listing every member with its digest, signed by the exporting
 * node. Its layout is written down once here; the writer and the verifier both follow it.
 */
export const BUNDLE_FORMAT = 'puente-evidence/1';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.puente.evidence+zip';
/** Explicit JWS type of the signed manifest. */
export const MANIFEST_JWS_TYPE = 'puente-evidence-manifest+jws';

export const MEMBER = {
  mimetype: 'mimetype',
  readme: 'README.txt',
  manifest: 'manifest.json',
  manifestJws: 'manifest.jws',
  trust: 'keys/trust.json',
  segment: 'audit/segment.jsonl',
} as const;

/** Members the manifest cannot list (it is signed over them, or they are its own signature). */
export const UNLISTED_MEMBERS: ReadonlySet<string> = new Set([
  MEMBER.mimetype,
  MEMBER.manifest,
  MEMBER.manifestJws,
]);

export interface ManifestMember {
  readonly path: string;
  /** `sha256:<hex>` of the member's bytes. */
  readonly sha256: string;
  readonly bytes: number;
}

export interface ManifestMessage {
  readonly id: string;
  readonly direction: 'sent' | 'received';
  readonly type: string;
  readonly sender: string;
  readonly recipient: string;
  readonly agreement: { readonly id: string; readonly sha256: string };
  readonly createdAt: string;
  /** The signed record as it went over the wire (a compact JWS), or its detached form once redacted. */
  readonly record: string | null;
  /** `sha256:<hex>` of the record as it travelled: what its receipt and audit entry name. */
  readonly recordDigest: string;
  /** Set when retention removed the payload: the record is then `header..signature` only. */
  readonly redactedAt: string | null;
  /**
   * The payload as this node holds it (decrypted, for a JWE payload: the exporting node attests the
   * decryption, bound to the JWE by its digest), absent once redacted.
   */
  readonly payload: {
    readonly path: string;
    readonly encryption: 'JWE' | 'NONE';
    readonly jweDigest: string | null;
  } | null;
  /** Audit entries (by number) that record the message. */
  readonly auditSeqs: readonly number[];
}

export interface ManifestReceipt {
  readonly path: string | null;
  readonly direction: 'issued' | 'received';
  readonly counterpart: string;
  readonly messageId: string;
  readonly receiptId: string;
  readonly outcome: 'ACCEPTED' | 'REJECTED';
  readonly reasonCode: string | null;
  readonly createdAt: string;
  readonly auditSeqs: readonly number[];
}

export interface ManifestAgreement {
  readonly path: string;
  readonly id: string;
  readonly sha256: string;
  /** When the exporting node first ran with this text (the version in force from then on). */
  readonly firstSeenAt: string;
}

/**
 * A provider's consent relied on to export a message it provided to a third party: its ConsentRequest
 * (sent) and ConsentDecision (received) are messages of the same conversation, so their signed
 * records are in the bundle too.
 */
export interface ManifestConsent {
  readonly messageId: string;
  readonly provider: string;
  /** The third party (or use) the consent names: the bundle's `exportedFor`. */
  readonly recipientOrUse: string;
  readonly requestId: string;
  readonly decisionId: string;
  readonly decidedAt: string;
  readonly conditions: readonly string[];
}

export interface ManifestCheckpoint {
  readonly path: string;
  readonly seq: number;
}

export interface TimelineEvent {
  readonly at: string;
  readonly event:
    | 'sent'
    | 'received'
    | 'delivered'
    | 'rejected'
    | 'failed'
    | 'answered'
    | 'overdue'
    | 'redacted'
    | 'exported';
  readonly messageId: string | null;
  readonly detail?: string;
}

export interface Manifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly conversationId: string;
  readonly exportedBy: { readonly party: string; readonly client: string; readonly kid: string };
  readonly exportedAt: string;
  /**
   * The third party (a party id, or a use) the bundle was made for, or null when it is for the
   * exporting administration's own use. Absent in bundles made before consent was recorded (null).
   */
  readonly exportedFor?: string | null;
  /** The providers' consents the export to `exportedFor` relies on, one per message provided. */
  readonly consents?: readonly ManifestConsent[];
  readonly members: readonly ManifestMember[];
  readonly messages: readonly ManifestMessage[];
  readonly receipts: readonly ManifestReceipt[];
  readonly agreements: readonly ManifestAgreement[];
  readonly keys: {
    readonly trust: string;
    readonly pem: readonly { readonly kid: string; readonly path: string }[];
  };
  readonly audit: {
    readonly segment: string;
    /** The first and last entry numbers in the segment. */
    readonly from: number;
    readonly to: number;
    /** The chain's head when the bundle was made (at or after `to`'s last checkpoint). */
    readonly head: { readonly seq: number; readonly hash: string };
    readonly checkpoints: readonly ManifestCheckpoint[];
    /** The entry that records this export. */
    readonly exportSeq: number;
  };
  readonly timeline: readonly TimelineEvent[];
}

/** A file-system-safe name for a kid (`us-cbp:sig:AbC…` → `us-cbp_sig_AbC…`). */
export function kidFileName(kid: string): string {
  return kid.replace(/[^A-Za-z0-9_-]/g, '_');
}
