import { canonicalJson } from '@app/agreements';
import {
  type ChainedAuditEntry,
  decodeEnvelope,
  decodePayload,
  type EnvelopeFields,
  MessageType,
  messageTypeInfo,
} from '@app/contracts';
import { digestOf, verifyEnvelopeJws } from '@app/signing';
import type { ManifestMessage } from './bundle.format';
import { replayDecision } from './agreement.replay';
import type { CheckedSegment } from './audit-segment.checks';
import type { BundleContext } from './bundle.context';
import { isJsonObject, jsonOf, textOf } from './json.members';
import { describeKey } from './key.checks';

/** Opens a signed record offline: the signature with the bundle's keys, the signer's key valid at the record's time, the envelope. */
function openRecord(
  ctx: BundleContext,
  path: string,
): { value: string; envelope: EnvelopeFields; kid: string } {
  const { report } = ctx;
  const value = textOf(path, ctx.members.get(path) ?? report.fail(path, 'is missing'));
  const verified = verifyEnvelopeJws(value, ctx.trust.store);
  if (!verified.ok) return report.fail(path, `${verified.reason}: ${verified.detail}`);
  let envelope: EnvelopeFields;
  try {
    envelope = decodeEnvelope(verified.payload);
  } catch {
    return report.fail(path, 'the signed envelope is not a valid Envelope');
  }
  if (envelope.sender !== verified.signer)
    report.fail(path, `is signed by ${verified.signer} but claims to come from ${envelope.sender}`);
  const problem = ctx.trust.store.signingKeyProblemAt(verified.kid, envelope.createdAt);
  if (problem)
    report.fail(
      path,
      `${problem}: ${verified.kid} was ${problem === 'KEY_REVOKED' ? 'revoked' : 'not valid'} at the record's creation time ${envelope.createdAt.toISOString()}`,
    );
  if (envelope.conversationId !== ctx.manifest.conversationId)
    report.fail(
      path,
      `belongs to conversation ${envelope.conversationId}, not ${ctx.manifest.conversationId}: a record from another case was spliced in`,
    );
  return { value, envelope, kid: verified.kid };
}

/** The audit entries the manifest names for an item: present in the segment, of the kind, about the item. */
function auditEntries(
  ctx: BundleContext,
  segment: CheckedSegment,
  what: string,
  seqs: readonly number[],
  accept: (e: ChainedAuditEntry) => boolean,
): ChainedAuditEntry[] {
  const entries = seqs.map((seq) => segment.bySeq.get(seq));
  const found = entries.filter((e): e is ChainedAuditEntry => e !== undefined && accept(e));
  if (found.length === 0 || found.length !== seqs.length)
    ctx.report.fail(
      'audit/segment.jsonl',
      `does not record ${what} in the entries the manifest names (${seqs.join(', ') || 'none'})`,
    );
  return found;
}

export function checkMessages(ctx: BundleContext, segment: CheckedSegment): void {
  const { manifest, report } = ctx;
  const me = manifest.exportedBy.party;
  for (const [i, m] of manifest.messages.entries()) {
    const label = `Message ${i + 1}: ${m.direction} ${messageTypeInfo(m.type as MessageType)?.name ?? m.type} ${m.sender} → ${m.recipient}, ${m.createdAt}`;
    if ((m.direction === 'sent' && m.sender !== me) || (m.direction === 'received' && m.recipient !== me))
      report.fail('manifest.json', `message ${m.id} is "${m.direction}" but does not involve ${me} that way`);
    const agreed =
      ctx.agreements.get(m.agreement.sha256) ??
      report.fail('manifest.json', `message ${m.id} names an agreement version the bundle does not hold`);
    if (m.record === null) {
      report.line(`${label}`);
      report.note(`message ${m.id}: no signed record was kept for it (stored before the node kept them)`);
    } else if (m.redactedAt) {
      checkDetached(ctx, m);
      report.line(`${label}`);
      report.line(
        `   payload removed by retention at ${m.redactedAt}; the signature stays listed (${m.record}), record digest ${m.recordDigest.slice(0, 19)}…`,
      );
    } else {
      const { value, envelope, kid } = openRecord(ctx, m.record);
      const mismatch = (
        [
          ['id', envelope.messageId, m.id],
          ['type', envelope.type, m.type],
          ['sender', envelope.sender, m.sender],
          ['recipient', envelope.recipient, m.recipient],
          ['agreement', envelope.agreementId, m.agreement.id],
          ['createdAt', envelope.createdAt.toISOString(), m.createdAt],
        ] as const
      ).find(([, a, b]) => a !== b);
      if (mismatch)
        report.fail(m.record, `its ${mismatch[0]} is ${mismatch[1]}, the manifest says ${mismatch[2]}`);
      if (digestOf(value) !== m.recordDigest)
        report.fail(m.record, 'does not match the record digest its receipt and audit entry name');
      checkPayload(ctx, m, envelope);
      const decision = replayDecision(agreed.agreement, {
        sender: envelope.sender,
        recipient: envelope.recipient,
        type: envelope.type,
        purpose: envelope.purpose,
        at: envelope.createdAt,
        inReplyTo: envelope.inReplyTo,
      });
      if (!decision.permitted)
        report.fail(
          agreed.path,
          `did not permit message ${m.id} at its time: ${decision.reason} (${decision.detail})`,
        );
      report.line(`${label}`);
      report.line(`   signed by ${describeKey(kid, ctx.trust)} — OK`);
      report.line(`   permitted by ${m.agreement.id} as in force then (${agreed.path}) — OK`);
      if (new Date(agreed.firstSeenAt) > envelope.createdAt)
        report.note(
          `message ${m.id}: the node recorded this agreement text only from ${agreed.firstSeenAt}, after the message`,
        );
    }
    const kind = m.direction === 'sent' ? 'message.submitted' : 'message.received';
    const entries = auditEntries(
      ctx,
      segment,
      `message ${m.id}`,
      m.auditSeqs,
      (e) => e.kind === kind && e.messageId === m.id,
    );
    if (entries.some((e) => e.detail.digest !== m.recordDigest))
      report.fail(
        'audit/segment.jsonl',
        `entry ${entries[0]?.seq} records message ${m.id} with another digest`,
      );
    report.line(`   recorded in the audit chain, entry ${entries.map((e) => e.seq).join(', ')} — OK`);
  }
}

/** A redacted record: `header..signature`, its header naming a key of the sender. */
function checkDetached(ctx: BundleContext, m: ManifestMessage): void {
  const path = m.record as string;
  const parts = textOf(path, ctx.members.get(path) ?? ctx.report.fail(path, 'is missing')).split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2])
    ctx.report.fail(path, 'is not a detached JWS (header..signature)');
  let kid: unknown;
  try {
    kid = (JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>)
      .kid;
  } catch {
    ctx.report.fail(path, 'its header is not JSON');
  }
  const key = typeof kid === 'string' ? ctx.trust.store.signingKey(kid) : undefined;
  if (!key || key.party !== m.sender) ctx.report.fail(path, `is not signed with a key of ${m.sender}`);
}

/** The payload as the node holds it: for a JWE, bound by the JWE's digest; signed-only, equal to what was signed. */
function checkPayload(ctx: BundleContext, m: ManifestMessage, envelope: EnvelopeFields): void {
  const { report } = ctx;
  if (!m.payload) return;
  const path = m.payload.path;
  const held = jsonOf(path, ctx.members.get(path) ?? report.fail(path, 'is missing'));
  if (!isJsonObject(held)) report.fail(path, 'is not a JSON object');
  if (envelope.payloadEncryption !== m.payload.encryption)
    report.fail(
      m.record ?? path,
      `travelled ${envelope.payloadEncryption}, the manifest says ${m.payload.encryption}`,
    );
  if (envelope.payloadEncryption === 'JWE') {
    if (digestOf(envelope.payload) !== m.payload.jweDigest)
      report.fail(path, 'is bound to another JWE than the one in the signed record');
    report.line(
      `   payload (${path}): encrypted on the wire; the decrypted copy is attested by ${ctx.manifest.exportedBy.party}, bound to JWE ${m.payload.jweDigest?.slice(0, 19)}…`,
    );
    return;
  }
  let signed: unknown;
  try {
    signed = decodePayload(envelope.type, envelope.payload);
  } catch {
    return report.fail(m.record ?? path, 'its signed payload does not decode');
  }
  if (canonicalJson(signed) !== canonicalJson(held))
    report.fail(path, 'differs from the payload in the signed record');
  report.line(`   payload (${path}) equals the signed payload — OK`);
}

export function checkReceipts(ctx: BundleContext, segment: CheckedSegment): void {
  const { manifest, report } = ctx;
  const me = manifest.exportedBy.party;
  const messages = new Map(manifest.messages.map((m) => [m.id, m]));
  for (const r of manifest.receipts) {
    const message =
      messages.get(r.messageId) ??
      report.fail('manifest.json', `a receipt about ${r.messageId}, a message the bundle does not hold`);
    const signer = r.direction === 'issued' ? me : r.counterpart;
    if (r.path === null) {
      report.note(`receipt ${r.receiptId}: the signed receipt was not kept`);
    } else {
      const { envelope, kid } = openRecord(ctx, r.path);
      if (
        envelope.type !== MessageType.Receipt ||
        envelope.sender !== signer ||
        envelope.inReplyTo !== r.messageId ||
        envelope.messageId !== r.receiptId
      )
        report.fail(r.path, `is not ${signer}'s receipt ${r.receiptId} for message ${r.messageId}`);
      let body: Record<string, unknown>;
      try {
        body = decodePayload(MessageType.Receipt, envelope.payload);
      } catch {
        return report.fail(r.path, 'its receipt payload does not decode');
      }
      if (body.digest !== message.recordDigest)
        report.fail(
          r.path,
          `acknowledges ${String(body.digest).slice(0, 19)}…, not the record of message ${r.messageId}`,
        );
      const outcome =
        body.outcome === 'RECEIPT_OUTCOME_ACCEPTED'
          ? 'ACCEPTED'
          : body.outcome === 'RECEIPT_OUTCOME_REJECTED'
            ? 'REJECTED'
            : undefined;
      if (outcome !== r.outcome || (body.reasonCode ?? null) !== r.reasonCode)
        report.fail(
          r.path,
          `says ${JSON.stringify(body.outcome)} ${JSON.stringify(body.reasonCode ?? null)}, the manifest says ${r.outcome} ${r.reasonCode ?? 'no reason'}`,
        );
      report.line(
        `Receipt for message ${r.messageId}: ${r.outcome}${r.reasonCode ? ` (${r.reasonCode})` : ''} by ${signer} at ${envelope.createdAt.toISOString()}, signed by ${kid} — OK`,
      );
    }
    const kind = r.direction === 'issued' ? 'receipt.issued' : 'receipt.received';
    auditEntries(
      ctx,
      segment,
      `receipt ${r.receiptId}`,
      r.auditSeqs,
      (e) => e.kind === kind && e.messageId === r.messageId && e.detail.receipt === r.receiptId,
    );
  }
}
