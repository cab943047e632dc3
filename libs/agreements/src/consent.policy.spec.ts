import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { AgreementsFileError } from './agreements-file.error';
import { loadCatalog, parseCatalog } from './catalog.loader';
import { decide } from './decide.policy';
import { checkPersonalData } from './personal-data.policy';

const CONFIG = join(__dirname, '../../../config');
const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
const mra = catalog.agreements.find((a) => a.id === 'mra-us-sv-aeo')!;
const sync = EXAMPLE_PAYLOADS[MessageType.AeoStatusSync] as { operators: Record<string, unknown>[] };
const operator = sync.operators[0]!;

describe('AEO mutual recognition: the consent flag is part of the data set', () => {
  it('permits a sync whose every operator consented, under the illustrative arrangement only', () => {
    expect(checkPersonalData(mra, sync)).toEqual({ permitted: true });
    const d = decide(catalog, {
      sender: 'sv-dga',
      recipient: 'us-cbp',
      type: MessageType.AeoStatusSync,
      purpose: 'aeo-mutual-recognition',
      at: new Date('2026-06-01T00:00:00Z'),
    });
    expect(d).toMatchObject({ permitted: true, agreementId: 'mra-us-sv-aeo' });
    // No agreement carries AEO to mx-anam.
    expect(
      decide(catalog, {
        sender: 'sv-dga',
        recipient: 'mx-anam',
        type: MessageType.AeoStatusSync,
        purpose: 'aeo-mutual-recognition',
        at: new Date('2026-06-01T00:00:00Z'),
      }),
    ).toMatchObject({ permitted: false });
  });

  it('refuses an operator whose consent is false or absent, naming its path and never its data', () => {
    const payload = {
      ...sync,
      operators: [operator, { ...operator, operatorId: 'SV-OEA-0002', consent: false }],
    };
    const check = checkPersonalData(mra, payload);
    expect(check).toMatchObject({
      permitted: false,
      reason: 'CONSENT_MISSING',
      field: 'operators[1].consent',
      rule: 'agreements[mra-us-sv-aeo].personalData.consentFields',
    });
    expect(JSON.stringify(check)).not.toContain('Exportadora');
    const { consent: _omitted, ...absent } = operator;
    expect(checkPersonalData(mra, { ...sync, operators: [absent] })).toMatchObject({
      reason: 'CONSENT_MISSING',
      field: 'operators[0].consent',
    });
    const answer = EXAMPLE_PAYLOADS[MessageType.AeoStatusAnswer] as Record<string, unknown>;
    expect(checkPersonalData(mra, answer)).toEqual({ permitted: true });
    expect(checkPersonalData(mra, { ...answer, operator: absent })).toMatchObject({
      reason: 'CONSENT_MISSING',
      field: 'operator.consent',
    });
    // An answer without an operator (UNKNOWN_OPERATOR, CONSENT_MISSING) carries nothing to consent to.
    expect(
      checkPersonalData(mra, {
        queryMessageId: answer.queryMessageId,
        outcome: 'AEO_ANSWER_OUTCOME_CONSENT_MISSING',
      }),
    ).toEqual({ permitted: true });
  });

  it('refuses fields outside the data set before looking at consent', () => {
    const payload = { ...sync, operators: [{ ...operator, taxId: '0614-250518-101-3' }] };
    expect(checkPersonalData(mra, payload)).toMatchObject({
      reason: 'FIELD_NOT_PERMITTED',
      field: 'operators[0].taxId',
    });
  });

  it('will not load a consent field that is not part of the data set, or not a flag of an item', () => {
    const parties =
      'parties:\n  - { id: aa-one, name: A, country: AA }\n  - { id: bb-two, name: B, country: BB }\n';
    const file = (consent: string) =>
      [
        'agreements:',
        '  - id: mra-x',
        '    title: X',
        '    kind: mutual-recognition',
        '    parties:',
        '      - { party: aa-one, role: x }',
        '      - { party: bb-two, role: y }',
        '    signedOn: 2020-01-01',
        '    inForceFrom: 2020-01-01',
        '    channels:',
        '      - { from: [aa-one], to: [bb-two], types: [AeoStatusSync] }',
        '    purposes: [aeo-mutual-recognition]',
        '    personalData:',
        '      allowedFields:',
        '        - operators[].operatorId',
        '      consentFields:',
        `        - ${consent}`,
        '    onwardTransfer: prohibited',
        '',
      ].join('\n');
    expect(() => parseCatalog(parties, file('operators[].consent'))).toThrow(AgreementsFileError);
    expect(() => parseCatalog(parties, file('operators[].consent'))).toThrow(/list it in allowedFields too/);
    expect(() => parseCatalog(parties, file('consent'))).toThrow(/must name a flag of an item/);
  });
});
