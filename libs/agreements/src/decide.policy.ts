import { messageTypeInfo, type MessageType, type PartyId, type ReasonCode } from '@app/contracts';
import type { Agreement, AgreementsCatalog } from './agreement';

export interface ExchangeRequest {
  readonly sender: PartyId;
  readonly recipient: PartyId;
  readonly type: MessageType;
  /** Named by the sender; when absent, every agreement between the two parties is tried. */
  readonly agreementId?: string;
  readonly purpose: string;
  readonly at: Date;
  readonly inReplyTo?: string | null;
}

export type Decision =
  | { readonly permitted: true; readonly agreementId: string; readonly agreement: Agreement }
  | {
      readonly permitted: false;
      readonly reason: ReasonCode;
      readonly rule: string;
      readonly detail: string;
      readonly agreementId?: string;
    };

type Denial = Extract<Decision, { permitted: false }>;

/**
 * The one place that decides whether an exchange is permitted: every use case asks it, so no rule
 * lives anywhere else. Pure: the same
 * answer on the sending and the receiving node for the same request. Refusals are values with a
 * stable reason code and the rule that decided.
 */
export function decide(catalog: AgreementsCatalog, req: ExchangeRequest): Decision {
  for (const [party, role] of [
    [req.sender, 'sender'],
    [req.recipient, 'recipient'],
  ] as const) {
    if (!catalog.parties.has(party))
      return denial('UNKNOWN_PARTY', role, `${party} is not a party of this network`);
  }
  if (req.sender === req.recipient)
    return denial('PARTY_NOT_IN_AGREEMENT', 'recipient', 'a party does not send to itself');
  const info = messageTypeInfo(req.type);
  switch (info.family) {
    case 'receipt':
      return denial('TYPE_NOT_PERMITTED', 'type', 'receipts are issued by nodes, never submitted');
    case 'customs-offense':
    case 'passenger-risk':
    case 'cooperation':
    case 'aeo':
    case 'consent':
    case 'amendment':
      if (info.repliesTo.length > 0 && !req.inReplyTo) {
        return denial(
          'REPLY_WITHOUT_REQUEST',
          'inReplyTo',
          `${info.name} answers a ${info.repliesTo.map((t) => messageTypeInfo(t).name).join(' or ')}; it cannot start a conversation`,
        );
      }
      break;
  }

  if (req.agreementId !== undefined) {
    const agreement = catalog.agreements.find((a) => a.id === req.agreementId);
    if (!agreement) return denial('NO_AGREEMENT', 'agreement', `no agreement ${req.agreementId}`);
    return evaluate(agreement, req).decision;
  }
  const candidates = catalog.agreements
    .filter(
      (a) =>
        a.parties.some((p) => p.party === req.sender) && a.parties.some((p) => p.party === req.recipient),
    )
    .sort((x, y) => x.id.localeCompare(y.id));
  if (candidates.length === 0)
    return denial('NO_AGREEMENT', 'agreements', `no agreement covers ${req.sender} and ${req.recipient}`);
  const outcomes = candidates.map((a) => evaluate(a, req));
  const permit = outcomes.find((o) => o.decision.permitted);
  if (permit) return permit.decision;
  // No agreement permits it: report the refusal of the agreement that came closest — first among
  // those that carry the type at all (a CMAA not yet in force explains a refused assistance request
  // better than an AEO arrangement that is in force but never carries one), then by checks passed.
  const carriesType = (a: Agreement) => a.channels.some((c) => c.types.includes(req.type));
  const rank = (i: number) => (carriesType(candidates[i]!) ? 10 : 0) + outcomes[i]!.depth;
  let best = 0;
  for (let i = 1; i < outcomes.length; i++) if (rank(i) > rank(best)) best = i;
  return outcomes[best]!.decision;
}

/** The decision under one agreement, and how many of its checks passed (to explain the closest refusal). */
function evaluate(a: Agreement, req: ExchangeRequest): { decision: Decision; depth: number } {
  const rule = (field: string) => `agreements[${a.id}].${field}`;
  let depthReached = 0;
  const deny = (reason: ReasonCode, r: string, detail: string) => ({
    decision: denial(reason, r, detail, a.id),
    depth: depthReached,
  });
  if (!a.parties.some((p) => p.party === req.sender) || !a.parties.some((p) => p.party === req.recipient)) {
    return deny(
      'PARTY_NOT_IN_AGREEMENT',
      rule('parties'),
      `${req.sender} and ${req.recipient} are not both parties to ${a.id}`,
    );
  }
  depthReached = 1;
  const day = req.at.getTime();
  if (a.terminatedFrom && day >= a.terminatedFrom.getTime()) {
    return deny(
      'AGREEMENT_TERMINATED',
      rule('terminatedFrom'),
      `${a.id} is terminated since ${isoDay(a.terminatedFrom)}`,
    );
  }
  if (!a.inForceFrom || day < a.inForceFrom.getTime()) {
    const when = a.inForceFrom
      ? `enters into force on ${isoDay(a.inForceFrom)}`
      : 'has no entry-into-force date';
    return deny('AGREEMENT_NOT_IN_FORCE', rule('inForceFrom'), `${a.id} ${when}`);
  }
  if (a.suspendedFrom && day >= a.suspendedFrom.getTime()) {
    return deny(
      'AGREEMENT_SUSPENDED',
      rule('suspendedFrom'),
      `${a.id} is suspended since ${isoDay(a.suspendedFrom)}`,
    );
  }
  depthReached = 2;
  const carries = a.channels.some(
    (c) => c.from.includes(req.sender) && c.to.includes(req.recipient) && c.types.includes(req.type),
  );
  if (!carries) {
    return deny(
      'TYPE_NOT_PERMITTED',
      rule('channels'),
      `${a.id} does not carry ${messageTypeInfo(req.type).name} from ${req.sender} to ${req.recipient}`,
    );
  }
  depthReached = 3;
  if (!a.purposes.includes(req.purpose)) {
    return deny(
      'PURPOSE_NOT_PERMITTED',
      rule('purposes'),
      `purpose "${req.purpose}" is not one of ${a.id}'s: ${a.purposes.join(', ')}`,
    );
  }
  depthReached = 4;
  return { decision: { permitted: true, agreementId: a.id, agreement: a }, depth: depthReached };
}

function denial(reason: ReasonCode, rule: string, detail: string, agreementId?: string): Denial {
  return { permitted: false, reason, rule, detail, agreementId };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
