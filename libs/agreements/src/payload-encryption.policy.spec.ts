import { join } from 'node:path';
import { MESSAGE_TYPES, MessageType } from '@app/contracts';
import type { Agreement } from './agreement';
import { loadCatalog } from './catalog.loader';
import { payloadEncryptionFor } from './payload-encryption.policy';

const CONFIG = join(__dirname, '../../../config');
const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
const agreement = (id: string): Agreement => {
  const a = catalog.agreements.find((x) => x.id === id);
  if (!a) throw new Error(`config/agreements.yaml has no ${id}`);
  return a;
};
const withPersonalData = (personalData: Agreement['personalData']): Agreement => ({
  ...agreement('mou-us-mx'),
  personalData,
});

describe('payloadEncryptionFor', () => {
  it('encrypts every type every agreement of config/agreements.yaml carries, the MOU notice included', () => {
    const table = catalog.agreements.flatMap((a) =>
      a.channels.flatMap((c) =>
        c.types.map((t) => `${a.id} ${MESSAGE_TYPES[t].name} ${payloadEncryptionFor(a, t)}`),
      ),
    );
    expect(table.length).toBeGreaterThan(0);
    expect(table.filter((row) => !row.endsWith(' JWE'))).toEqual([]);
    expect(table).toContain('mou-us-mx CooperationNotice JWE');
  });

  it('leaves a payload in the clear only under `personalData: none` and for a type without free text', () => {
    const none = withPersonalData({ none: true });
    // A notice is free text: encrypted even under an agreement that says no personal data travels.
    expect(payloadEncryptionFor(none, MessageType.CooperationNotice)).toBe('JWE');
    expect(payloadEncryptionFor(none, MessageType.AssistanceRequest)).toBe('JWE');
    // A structured type without free text under the same agreement: signed only.
    expect(MESSAGE_TYPES[MessageType.RiskAssessment].freeText).toBe(false);
    expect(payloadEncryptionFor(none, MessageType.RiskAssessment)).toBe('NONE');
    // The same type under an agreement that lists personal-data fields, or says nothing: encrypted.
    expect(
      payloadEncryptionFor(withPersonalData({ allowedFields: ['results'] }), MessageType.RiskAssessment),
    ).toBe('JWE');
    expect(payloadEncryptionFor(withPersonalData(undefined), MessageType.RiskAssessment)).toBe('JWE');
    // No agreement known: encrypted.
    expect(payloadEncryptionFor(undefined, MessageType.RiskAssessment)).toBe('JWE');
  });

  it('never encrypts a receipt: codes and digests, readable by its recipient without a key', () => {
    for (const a of [undefined, agreement('cmaa-us-sv'), agreement('mou-us-mx')])
      expect(payloadEncryptionFor(a, MessageType.Receipt)).toBe('NONE');
  });

  it('marks free text on every customs-offense, cooperation, consent and correction type', () => {
    const withFreeText = Object.values(MESSAGE_TYPES)
      .filter((t) => t.freeText)
      .map((t) => t.name)
      .sort();
    expect(withFreeText).toEqual([
      'AssistanceRequest',
      'AssistanceResponse',
      'ConsentDecision',
      'ConsentRequest',
      'CooperationNotice',
      'Correction',
      'Refusal',
      'SpontaneousInformation',
      'Withdrawal',
    ]);
  });
});
