import { type Agreement, type AgreementsCatalog, decide } from '@app/agreements';
import type { MessageType } from '@app/contracts';
import { isJsonObject } from './json.members';

const DATE_MEMBERS = ['signedOn', 'inForceFrom', 'suspendedFrom', 'terminatedFrom'] as const;

/** An agreement read back from its canonical text (dates were written as ISO 8601 instants). */
export function agreementFromDocument(document: unknown): Agreement | undefined {
  if (!isJsonObject(document) || typeof document.id !== 'string' || !Array.isArray(document.parties))
    return undefined;
  const a: Record<string, unknown> = { ...document };
  for (const member of DATE_MEMBERS) if (typeof a[member] === 'string') a[member] = new Date(a[member]);
  return a as unknown as Agreement;
}

/**
 * Runs the network's own decision, offline, on one agreement text: would it have permitted this
 * exchange at the message's time? The same pure `decide` both nodes ran when the message travelled.
 */
export function replayDecision(
  agreement: Agreement,
  req: { sender: string; recipient: string; type: string; purpose: string; at: Date; inReplyTo: string },
): { permitted: true } | { permitted: false; reason: string; detail: string } {
  const parties = new Map(
    agreement.parties.map((p) => [p.party, { id: p.party, name: p.party, country: '' }] as const),
  );
  const catalog: AgreementsCatalog = { parties, agreements: [agreement] };
  const decision = decide(catalog, {
    sender: req.sender,
    recipient: req.recipient,
    type: req.type as MessageType,
    agreementId: agreement.id,
    purpose: req.purpose,
    at: req.at,
    inReplyTo: req.inReplyTo || null,
  });
  return decision.permitted
    ? { permitted: true }
    : { permitted: false, reason: decision.reason, detail: decision.detail };
}
