import type { Agreement } from './agreement';
import {
  holdsPersonalData,
  isAgreedPurpose,
  maskPayload,
  mayReadPersonalData,
} from './personal-data-access.policy';

const agreement = (personalData: Agreement['personalData']): Agreement => ({
  id: 'a',
  title: 'a',
  kind: 'agreement',
  parties: [],
  signedOn: new Date(0),
  channels: [],
  purposes: [],
  personalData,
  onwardTransfer: 'prohibited',
});

describe('personal-data access', () => {
  it('reads personal data only with a role the agreement names, and everyone where it names none', () => {
    const named = agreement({ allowedFields: ['a'], readableBy: ['passenger-analyst'] });
    expect(mayReadPersonalData(named, ['officer'])).toBe(false);
    expect(mayReadPersonalData(named, ['officer', 'passenger-analyst'])).toBe(true);
    expect(mayReadPersonalData(agreement({ allowedFields: ['a'] }), ['officer'])).toBe(true);
    expect(holdsPersonalData(named)).toBe(true);
    expect(holdsPersonalData(agreement({ none: true }))).toBe(false);
    expect(holdsPersonalData(agreement(undefined))).toBe(false);
  });

  it("takes a declared purpose as agreed only when it is one of the agreement's purposes", () => {
    const a = { ...agreement({ allowedFields: ['a'] }), purposes: ['border-security'] };
    expect(isAgreedPurpose(a, 'border-security')).toBe(true);
    expect(isAgreedPurpose(a, 'tax-collection')).toBe(false);
    expect(isAgreedPurpose(undefined, 'border-security')).toBe(false);
  });

  it('masks only the listed leaves, by path, and keeps the rest', () => {
    const payload = {
      flight: { carrier: 'TA' },
      travelers: [
        { travelerRef: 'T1', surname: 'PEREZ', document: { number: 'X1', type: 'P' } },
        { travelerRef: 'T2', surname: 'LOPEZ' },
      ],
    };
    const masked = maskPayload(
      payload,
      ['travelers[].surname', 'travelers[].document.number'],
      (p, v) => `d(${p}:${v.length})`,
    );
    expect(masked).toEqual({
      flight: { carrier: 'TA' },
      travelers: [
        {
          travelerRef: 'T1',
          surname: 'd(travelers[].surname:5)',
          document: { number: 'd(travelers[].document.number:2)', type: 'P' },
        },
        { travelerRef: 'T2', surname: 'd(travelers[].surname:5)' },
      ],
    });
    expect(payload.travelers[0]?.surname).toBe('PEREZ');
  });
});
