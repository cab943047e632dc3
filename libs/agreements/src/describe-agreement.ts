import { messageTypeInfo } from '@app/contracts';
import type { Agreement } from './agreement';

const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** A JSON-safe summary of an agreement for `GET /v1/agreements`. */
export function describeAgreement(a: Agreement) {
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    parties: a.parties.map((p) => ({ party: p.party, role: p.role })),
    signedOn: day(a.signedOn),
    inForceFrom: day(a.inForceFrom),
    suspendedFrom: day(a.suspendedFrom),
    terminatedFrom: day(a.terminatedFrom),
    channels: a.channels.map((c) => ({
      from: [...c.from],
      to: [...c.to],
      types: c.types.map((t) => messageTypeInfo(t).name),
    })),
    purposes: [...a.purposes],
    personalData:
      a.personalData === undefined
        ? 'not restricted by field'
        : 'none' in a.personalData
          ? 'none permitted'
          : {
              allowedFields: [...a.personalData.allowedFields],
              ...(a.personalData.consentFields ? { consentFields: [...a.personalData.consentFields] } : {}),
            },
    retentionDays: a.retentionDays ?? null,
    onwardTransfer: a.onwardTransfer,
  };
}
