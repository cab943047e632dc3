import { compactVerify } from 'jose';
import {
  BUNDLE_FORMAT,
  BUNDLE_MEDIA_TYPE,
  type Manifest,
  MANIFEST_JWS_TYPE,
  MEMBER,
  UNLISTED_MEMBERS,
} from './bundle.format';
import { checkAgreements } from './agreement.checks';
import type { BundleContext } from './bundle.context';
import { checkAuditSegment } from './audit-segment.checks';
import { checkConsents } from './consent.checks';
import { isJsonObject, jsonOf, textOf } from './json.members';
import { checkKeys, describeKey, type VerifierTrust } from './key.checks';
import { checkMessages, checkReceipts } from './record.checks';
import { EvidenceFailure, type EvidenceReport, ReportWriter } from './verification.report';
import { sha256Of } from './evidence-bundle.writer';
import { ContainerError, unpackZip } from './zip.container';
import { KEY_BEARING_HEADERS, parseKid, SIGNING_ALG, type TrustStore, validityProblemAt } from '@app/signing';

export interface VerifyEvidenceOptions {
  /**
   * Keys the reader already trusts (e.g. the trust-store file the administrations published): every
   * key in the bundle must be one of them, so a bundle cannot bring its own keys. Without it the
   * report prints each key's thumbprint to compare by other means.
   */
  readonly pinned?: TrustStore;
}

/**
 * Verifies an evidence bundle offline — no network, no database, no node configuration: the bundle
 * and this code only. Stops at the first thing that fails and names the member it concerns.
 */
export async function verifyEvidenceBundle(
  bytes: Uint8Array,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceReport> {
  const report = new ReportWriter();
  try {
    await verify(bytes, options, report);
    report.line('RESULT: OK');
    return { ok: true, lines: report.lines, notes: report.notes };
  } catch (error) {
    if (!(error instanceof EvidenceFailure)) throw error;
    report.line(`FAILED at ${error.member}: ${error.problem}`);
    report.line('RESULT: FAILED');
    return {
      ok: false,
      lines: report.lines,
      notes: report.notes,
      failure: { member: error.member, problem: error.problem },
    };
  }
}

async function verify(
  bytes: Uint8Array,
  options: VerifyEvidenceOptions,
  report: ReportWriter,
): Promise<void> {
  let members: Map<string, Uint8Array>;
  try {
    members = unpackZip(bytes);
  } catch (error) {
    return report.fail('(container)', error instanceof ContainerError ? error.message : 'unreadable');
  }
  const need = (path: string): Uint8Array => members.get(path) ?? report.fail(path, 'is missing');
  if (textOf(MEMBER.mimetype, need(MEMBER.mimetype)) !== BUNDLE_MEDIA_TYPE)
    report.fail(MEMBER.mimetype, `is not ${BUNDLE_MEDIA_TYPE}`);

  const manifestBytes = need(MEMBER.manifest);
  const manifest = readManifest(jsonOf(MEMBER.manifest, manifestBytes), report);
  const trust = await checkKeys(members, manifest, options.pinned, report);
  await checkManifestSignature(
    textOf(MEMBER.manifestJws, need(MEMBER.manifestJws)),
    manifestBytes,
    manifest,
    trust,
    report,
  );
  checkMembers(members, manifest, report);
  report.line(
    `Members: ${manifest.members.length} listed in the manifest, each present with its SHA-256 — OK`,
  );
  const agreements = checkAgreements(members, manifest, report);
  const context: BundleContext = { members, manifest, trust, agreements, report };
  const segment = await checkAuditSegment(context);
  checkMessages(context, segment);
  checkReceipts(context, segment);
  checkConsents(context);
  report.line('Timeline (as the exporting node recorded it):');
  for (const t of manifest.timeline)
    report.line(
      `   ${t.at}  ${t.event}${t.messageId ? ` ${t.messageId}` : ''}${t.detail ? ` — ${t.detail}` : ''}`,
    );
}

function readManifest(value: unknown, report: ReportWriter): Manifest {
  if (!isJsonObject(value) || value.format !== BUNDLE_FORMAT)
    report.fail(MEMBER.manifest, `is not a ${BUNDLE_FORMAT} manifest`);
  for (const list of ['members', 'messages', 'receipts', 'agreements', 'timeline'])
    if (!Array.isArray(value[list])) report.fail(MEMBER.manifest, `has no "${list}" list`);
  if (!isJsonObject(value.exportedBy) || !isJsonObject(value.audit) || !isJsonObject(value.keys))
    report.fail(MEMBER.manifest, 'lacks exportedBy, audit or keys');
  if (typeof value.conversationId !== 'string' || Number.isNaN(new Date(String(value.exportedAt)).getTime()))
    report.fail(MEMBER.manifest, 'lacks conversationId or a valid exportedAt');
  if (value.exportedFor !== undefined && value.exportedFor !== null && typeof value.exportedFor !== 'string')
    report.fail(MEMBER.manifest, 'names the party it was exported for as something else than a string');
  const consents = value.consents ?? [];
  const text = ['messageId', 'provider', 'recipientOrUse', 'requestId', 'decisionId', 'decidedAt'];
  if (
    !Array.isArray(consents) ||
    !consents.every(
      (c) =>
        isJsonObject(c) &&
        text.every((k) => typeof c[k] === 'string') &&
        Array.isArray(c.conditions) &&
        c.conditions.every((x) => typeof x === 'string'),
    )
  )
    report.fail(MEMBER.manifest, 'has a "consents" list that is not a list of consent entries');
  return value as unknown as Manifest;
}

/** The manifest's signature: by the exporting party's key, valid (not revoked) at the export time. */
async function checkManifestSignature(
  jws: string,
  manifestBytes: Uint8Array,
  manifest: Manifest,
  trust: VerifierTrust,
  report: ReportWriter,
): Promise<void> {
  const path = MEMBER.manifestJws;
  const [encodedHeader] = jws.split('.');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(encodedHeader ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return report.fail(path, 'is not a compact JWS');
  }
  if (
    header.alg !== SIGNING_ALG ||
    header.typ !== MANIFEST_JWS_TYPE ||
    KEY_BEARING_HEADERS.some((h) => h in header)
  )
    report.fail(path, `is not an ${SIGNING_ALG} ${MANIFEST_JWS_TYPE} without key-bearing headers`);
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const key = trust.store.signingKey(kid);
  if (!key) return report.fail(path, `is signed with ${kid || 'no kid'}, a key the bundle does not list`);
  if (
    key.party !== manifest.exportedBy.party ||
    kid !== manifest.exportedBy.kid ||
    parseKid(kid)?.party !== key.party
  )
    report.fail(path, `is signed with ${kid}, not a key of the exporting party ${manifest.exportedBy.party}`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, key.key, { algorithms: [SIGNING_ALG] }));
  } catch {
    return report.fail(path, `the signature does not verify with ${kid}`);
  }
  if (Buffer.compare(Buffer.from(payload), Buffer.from(manifestBytes)) !== 0)
    report.fail(MEMBER.manifest, 'differs from the manifest that manifest.jws signs');
  const exportedAt = new Date(manifest.exportedAt);
  const problem = validityProblemAt(key.validity, exportedAt);
  if (problem === 'KEY_REVOKED')
    report.fail(
      path,
      `signed with ${kid}, revoked at ${key.validity.revokedAt?.toISOString()}${key.validity.revocationReason ? ` (${key.validity.revocationReason})` : ''}, before the export time ${manifest.exportedAt}: the bundle is refused`,
    );
  if (problem)
    report.fail(path, `signed with ${kid}, which was not valid at the export time ${manifest.exportedAt}`);
  report.line(
    `Evidence bundle of conversation ${manifest.conversationId}, exported by ${manifest.exportedBy.party} (client ${manifest.exportedBy.client}) at ${manifest.exportedAt}`,
  );
  report.line(`Manifest signed by ${describeKey(kid, trust)} — OK`);
}

/** Every listed member present with its digest; nothing in the container that the manifest does not list. */
function checkMembers(
  members: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  report: ReportWriter,
): void {
  const listed = new Set<string>();
  for (const m of manifest.members) {
    if (!isJsonObject(m) || typeof m.path !== 'string')
      report.fail(MEMBER.manifest, 'lists a member without a path');
    const bytes = members.get(m.path);
    if (!bytes) report.fail(m.path, 'is listed in the manifest but missing from the bundle');
    if (sha256Of(bytes) !== m.sha256)
      report.fail(m.path, 'does not match its SHA-256 in the manifest: it was changed');
    listed.add(m.path);
  }
  for (const path of members.keys())
    if (!listed.has(path) && !UNLISTED_MEMBERS.has(path))
      report.fail(path, 'is in the bundle but not listed in the signed manifest (added after the export)');
}
