import { MessageType } from '@app/contracts';
import type { ManifestConsent, ManifestMessage } from './bundle.format';
import type { BundleContext } from './bundle.context';
import { isJsonObject, jsonOf } from './json.members';

/** The consent family: the provider's own word about further use, which the export does not need consent for. */
const CONSENT_FAMILY: ReadonlySet<string> = new Set([
  MessageType.ConsentRequest,
  MessageType.ConsentDecision,
]);

const GRANTED = 'CONSENT_OUTCOME_GRANTED';

/**
 * A bundle made for a third party (`exportedFor`) must show, for every message another party provided
 * under an agreement that conditions further use on its consent, that provider's grant for that third
 * party: the grant's ConsentRequest (sent) and ConsentDecision (received from the provider) are
 * messages of the bundle, whose signatures the message checks have verified, and — where the payloads
 * are held — the decision grants the request, about that message, for that party.
 */
export function checkConsents(ctx: BundleContext): void {
  const { manifest, report } = ctx;
  const exportedFor = manifest.exportedFor ?? null;
  const consents = manifest.consents ?? [];
  if (exportedFor === null) {
    if (consents.length > 0)
      report.fail('manifest.json', 'lists consents but names no third party it was exported for');
    report.line(`Exported for ${manifest.exportedBy.party}'s own use: no onward-transfer consent needed`);
    return;
  }
  report.line(`Exported for a third party: ${exportedFor}`);
  const byId = new Map(manifest.messages.map((m) => [m.id, m]));
  for (const m of manifest.messages) {
    if (m.direction !== 'received' || CONSENT_FAMILY.has(m.type) || m.sender === exportedFor) continue;
    const agreement = ctx.agreements.get(m.agreement.sha256)?.agreement;
    if (agreement?.onwardTransfer === 'prohibited')
      report.fail(
        'manifest.json',
        `message ${m.id} was provided under ${m.agreement.id}, which prohibits onward transfer: it cannot be exported for ${exportedFor}`,
      );
    const consent =
      consents.find((c) => c.messageId === m.id && c.recipientOrUse === exportedFor) ??
      report.fail(
        'manifest.json',
        `message ${m.id} was provided by ${m.sender} under ${m.agreement.id}, and the bundle shows no consent of ${m.sender} to pass it on to ${exportedFor}`,
      );
    checkGrant(ctx, m, consent, byId);
  }
}

function checkGrant(
  ctx: BundleContext,
  m: ManifestMessage,
  c: ManifestConsent,
  byId: ReadonlyMap<string, ManifestMessage>,
): void {
  const { report } = ctx;
  const request = byId.get(c.requestId);
  const decision = byId.get(c.decisionId);
  if (
    !request ||
    request.type !== MessageType.ConsentRequest ||
    request.direction !== 'sent' ||
    request.recipient !== m.sender
  )
    return report.fail(
      'manifest.json',
      `the consent for message ${m.id} names no ConsentRequest sent to ${m.sender}`,
    );
  if (
    !decision ||
    decision.type !== MessageType.ConsentDecision ||
    decision.direction !== 'received' ||
    decision.sender !== m.sender ||
    decision.record === null
  )
    return report.fail(
      'manifest.json',
      `the consent for message ${m.id} names no signed ConsentDecision received from ${m.sender}`,
    );
  const held = (x: ManifestMessage): Record<string, unknown> | null => {
    if (!x.payload) return null;
    const value = jsonOf(x.payload.path, ctx.members.get(x.payload.path) ?? new Uint8Array());
    return isJsonObject(value) ? value : null;
  };
  const asked = held(request);
  const decided = held(decision);
  if (asked && asked.intendedRecipient !== c.recipientOrUse && asked.intendedUse !== c.recipientOrUse)
    report.fail(
      request.payload?.path ?? 'manifest.json',
      `asks consent for another recipient or use than ${c.recipientOrUse}`,
    );
  if (
    decided &&
    (decided.outcome !== GRANTED ||
      decided.concernsMessageId !== m.id ||
      decided.requestMessageId !== c.requestId)
  )
    report.fail(
      decision.payload?.path ?? 'manifest.json',
      `does not grant request ${c.requestId} about message ${m.id}: the export for ${c.recipientOrUse} is not consented`,
    );
  report.line(
    `   consent of ${m.sender} for ${m.id} → ${c.recipientOrUse}: decision ${c.decisionId} of ${c.decidedAt}${c.conditions.length > 0 ? `, conditions: ${c.conditions.join('; ')}` : ''}${decided ? '' : ' (payload removed by retention: the signed decision stays)'} — OK`,
  );
}
