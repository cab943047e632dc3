import { join } from 'node:path';
import { MessageType } from '@app/contracts';
import { AgreementsFileError } from './agreements-file.error';
import { loadCatalog, parseCatalog } from './catalog.loader';
import { decide, type ExchangeRequest } from './decide.policy';
import { checkPersonalDataFields, presentFieldPaths } from './personal-data.policy';

const CONFIG = join(__dirname, '../../../config');
const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
const AFTER = new Date('2026-06-01T12:00:00Z');
const req = (over: Partial<ExchangeRequest>): ExchangeRequest => ({
  sender: 'sv-dga',
  recipient: 'us-cbp',
  type: MessageType.AssistanceRequest,
  purpose: 'trafficking',
  at: AFTER,
  ...over,
});
const reason = (r: ExchangeRequest) => {
  const d = decide(catalog, r);
  return d.permitted ? `permitted:${d.agreementId}` : d.reason;
};

describe('decide over config/agreements.yaml', () => {
  it('CMAA before its entry into force → AGREEMENT_NOT_IN_FORCE, naming the rule', () => {
    const d = decide(catalog, req({ at: new Date('2024-12-31T23:59:59Z') }));
    expect(d).toMatchObject({
      permitted: false,
      reason: 'AGREEMENT_NOT_IN_FORCE',
      rule: 'agreements[cmaa-us-sv].inForceFrom',
      agreementId: 'cmaa-us-sv',
    });
  });

  it('us-cbp → mx-anam: an assistance request is denied, a cooperation notice permitted under the MOU', () => {
    expect(reason(req({ sender: 'us-cbp', recipient: 'mx-anam' }))).toBe('TYPE_NOT_PERMITTED');
    expect(
      reason(
        req({
          sender: 'us-cbp',
          recipient: 'mx-anam',
          type: MessageType.CooperationNotice,
          purpose: 'joint-priorities',
        }),
      ),
    ).toBe('permitted:mou-us-mx');
  });

  it('us-ice ↔ sv-dga assistance is permitted both ways, replies included', () => {
    expect(reason(req({ sender: 'us-ice', recipient: 'sv-dga' }))).toBe('permitted:cmaa-us-sv');
    expect(reason(req({ sender: 'sv-dga', recipient: 'us-ice', purpose: 'money-laundering' }))).toBe(
      'permitted:cmaa-us-sv',
    );
    expect(
      reason(
        req({ sender: 'us-ice', recipient: 'sv-dga', type: MessageType.AssistanceResponse, inReplyTo: 'x' }),
      ),
    ).toBe('permitted:cmaa-us-sv');
  });

  it('sv-dgme sending customs-offense messages → denied', () => {
    expect(reason(req({ sender: 'sv-dgme', recipient: 'us-cbp' }))).toBe('TYPE_NOT_PERMITTED');
    expect(
      reason(req({ sender: 'sv-dgme', recipient: 'sv-dga', type: MessageType.SpontaneousInformation })),
    ).toBe('NO_AGREEMENT');
  });

  it('a reply type sent as a new request → REPLY_WITHOUT_REQUEST', () => {
    expect(reason(req({ type: MessageType.AssistanceResponse }))).toBe('REPLY_WITHOUT_REQUEST');
    expect(
      reason(
        req({
          sender: 'us-cbp',
          recipient: 'sv-dgme',
          type: MessageType.RiskAssessment,
          purpose: 'border-security',
        }),
      ),
    ).toBe('REPLY_WITHOUT_REQUEST');
  });

  it('a purpose outside the agreement → PURPOSE_NOT_PERMITTED', () => {
    expect(decide(catalog, req({ purpose: 'tourism' }))).toMatchObject({
      reason: 'PURPOSE_NOT_PERMITTED',
      rule: 'agreements[cmaa-us-sv].purposes',
    });
  });

  it('a named agreement that does not cover the parties → PARTY_NOT_IN_AGREEMENT; an unknown one → NO_AGREEMENT', () => {
    expect(reason(req({ agreementId: 'mou-us-mx' }))).toBe('PARTY_NOT_IN_AGREEMENT');
    expect(reason(req({ agreementId: 'nafta' }))).toBe('NO_AGREEMENT');
  });

  it('passenger risk: only sv-dgme queries and only us-cbp assesses', () => {
    const query = { type: MessageType.TravelerRiskQuery, purpose: 'traveler-risk-assessment' };
    expect(reason(req({ ...query, sender: 'sv-dgme', recipient: 'us-cbp' }))).toBe('permitted:atsg-us-sv');
    expect(reason(req({ ...query, sender: 'us-cbp', recipient: 'sv-dgme' }))).toBe('TYPE_NOT_PERMITTED');
    expect(reason(req({ ...query, sender: 'sv-dga', recipient: 'us-cbp' }))).toBe('TYPE_NOT_PERMITTED');
    expect(reason(req({ ...query, sender: 'us-ice', recipient: 'sv-dgme' }))).toBe('NO_AGREEMENT');
  });

  it('receipts are never submitted, and unknown parties are named', () => {
    expect(reason(req({ type: MessageType.Receipt }))).toBe('TYPE_NOT_PERMITTED');
    expect(decide(catalog, req({ recipient: 'xx-nobody' }))).toMatchObject({
      reason: 'UNKNOWN_PARTY',
      rule: 'recipient',
    });
  });

  it('a field outside the ATS-G data set → FIELD_NOT_PERMITTED naming the concrete path', () => {
    const atsg = catalog.agreements.find((a) => a.id === 'atsg-us-sv');
    if (!atsg) throw new Error('atsg-us-sv missing');
    const payload = {
      flight: { carrier: 'AV' },
      travelers: [
        { surname: 'X', document: { number: '1' } },
        { surname: 'Y', religion: 'Z' },
      ],
    };
    expect(checkPersonalDataFields(atsg, presentFieldPaths(payload))).toMatchObject({
      permitted: false,
      reason: 'FIELD_NOT_PERMITTED',
      field: 'travelers[1].religion',
    });
    expect(checkPersonalDataFields(atsg, ['travelers[0].surname', 'flight.carrier'])).toEqual({
      permitted: true,
    });
  });
});

describe('suspended and terminated agreements', () => {
  const parties =
    'parties:\n  - {id: aa-one, name: One, country: AA}\n  - {id: bb-two, name: Two, country: BB}\n';
  const agreements = (extra: string) => `agreements:
  - id: test-a
    title: Test
    kind: agreement
    parties: [{party: aa-one, role: x}, {party: bb-two, role: y}]
    signedOn: 2020-01-01
    inForceFrom: 2020-01-01
${extra}    channels: [{from: [aa-one], to: [bb-two], types: [CooperationNotice]}]
    purposes: [p]
    onwardTransfer: prohibited
`;
  const r = {
    sender: 'aa-one',
    recipient: 'bb-two',
    type: MessageType.CooperationNotice,
    purpose: 'p',
    at: new Date('2026-01-01T00:00:00Z'),
  };

  it('refuses under a suspended agreement, and a terminated one', () => {
    expect(decide(parseCatalog(parties, agreements('    suspendedFrom: 2025-06-01\n')), r)).toMatchObject({
      reason: 'AGREEMENT_SUSPENDED',
    });
    expect(decide(parseCatalog(parties, agreements('    terminatedFrom: 2025-06-01\n')), r)).toMatchObject({
      reason: 'AGREEMENT_TERMINATED',
    });
    expect(decide(parseCatalog(parties, agreements('    suspendedFrom: 2027-06-01\n')), r)).toMatchObject({
      permitted: true,
    });
  });

  it('reports every mistake in a file with its line', () => {
    const bad = agreements('    colour: blue\n')
      .replace('signedOn: 2020-01-01', 'signedOn: 2020-02-30')
      .replace('party: bb-two, role: y', 'party: zz-ghost, role: y')
      .replace('types: [CooperationNotice]', 'types: [Gossip]');
    let error: unknown;
    try {
      parseCatalog(parties, bad, { parties: 'p.yaml', agreements: 'a.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AgreementsFileError);
    const problems = (error as AgreementsFileError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml:8:\d+ agreements\[0\]\.colour — unknown field/),
        expect.stringMatching(/^a\.yaml:6:15 agreements\[0\]\.signedOn — 2020-02-30 is not a calendar date/),
        expect.stringMatching(/^a\.yaml:5:\d+ agreements\[0\]\.parties\[1\]\.party — unknown party zz-ghost/),
        expect.stringMatching(
          /^a\.yaml:9:\d+ agreements\[0\]\.channels\[0\]\.types\[0\] — unknown message type Gossip/,
        ),
      ]),
    );
  });

  it('reports broken YAML with its position', () => {
    expect(() =>
      parseCatalog(parties, 'agreements: [\n', { parties: 'p.yaml', agreements: 'a.yaml' }),
    ).toThrow(/a\.yaml:\d+:\d+/);
  });
});
