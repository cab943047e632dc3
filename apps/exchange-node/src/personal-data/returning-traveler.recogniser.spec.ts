import { randomBytes } from 'node:crypto';
import { maskPayload } from '@app/agreements';
import type { Db, InboxMessageRecord, TravelerSighting, TravelerSightingsRepository } from '@app/persistence';
import type { TravelerAssessmentResult } from '../passenger-risk/assessment/traveler-assessor';
import { MaskingKeys } from './masking.keys';
import { ReturningTravelerRecogniser } from './returning-traveler.recogniser';

/** Sightings in memory, as the repository keeps them: digest → flagged, per message. */
function sightingsTable() {
  const rows: { messageId: string; digest: string; flagged: boolean }[] = [];
  const repo = {
    record: (_tx: unknown, _a: string, messageId: string, _at: Date, s: readonly TravelerSighting[]) => {
      rows.push(...s.map((x) => ({ messageId, digest: x.identityDigest, flagged: x.flagged })));
      return Promise.resolve();
    },
    seen: (digests: readonly string[], except: string) => {
      const out = new Map<string, boolean>();
      for (const r of rows)
        if (digests.includes(r.digest) && r.messageId !== except)
          out.set(r.digest, (out.get(r.digest) ?? false) || r.flagged);
      return Promise.resolve(out);
    },
  } as unknown as TravelerSightingsRepository;
  return { rows, repo };
}

const db = { transaction: <T>(fn: (tx: unknown) => Promise<T>) => fn({}) } as unknown as Db;
const clock = { now: () => new Date('2026-11-30T00:00:00Z') };
const query = (id: string) => ({ id, agreementId: 'atsg-us-sv' }) as InboxMessageRecord;
const result = (
  travelerRef: string,
  outcome: TravelerAssessmentResult['outcome'],
): TravelerAssessmentResult => ({
  travelerRef,
  outcome,
  score: outcome === 'NO_MATCH' ? 0 : 1,
  recommendedAction: outcome === 'NO_MATCH' ? 'NONE' : 'REFER_TO_OFFICER',
  reasonCodes: [],
});

describe('ReturningTravelerRecogniser', () => {
  const keys = new MaskingKeys(randomBytes(32));
  const traveler = {
    travelerRef: 'T1',
    surname: 'Quintanilla Ostorga',
    givenNames: 'Rigoberto',
    dateOfBirth: '1975-08-21',
    document: { number: 'SVQ7730411', issuingState: 'SLV' },
  };

  it('raises a traveler flagged before to a possible match, and marks one merely seen', async () => {
    const table = sightingsTable();
    const recogniser = new ReturningTravelerRecogniser(keys, clock, db, table.repo);
    await recogniser.recognise(query('q1'), [traveler], [result('T1', 'MATCH')]);
    const [again] = await recogniser.recognise(query('q2'), [traveler], [result('T1', 'NO_MATCH')]);
    expect(again).toMatchObject({
      outcome: 'POSSIBLE_MATCH',
      recommendedAction: 'SECONDARY_INSPECTION',
      reasonCodes: ['RETURNING_TRAVELER', 'PREVIOUSLY_FLAGGED'],
    });
    const other = { ...traveler, surname: 'Otra Persona', document: { number: 'X1', issuingState: 'SLV' } };
    const [first] = await recogniser.recognise(query('q3'), [other], [result('T1', 'NO_MATCH')]);
    expect(first?.reasonCodes).toEqual([]);
    expect(JSON.stringify(table.rows)).not.toMatch(/Quintanilla|SVQ7730411|1975/);
  });

  it('computes the same identities from a masked payload as from the original', () => {
    const recogniser = new ReturningTravelerRecogniser(keys, clock, db, sightingsTable().repo);
    const masked = maskPayload(
      { travelers: [traveler] },
      [
        'travelers[].surname',
        'travelers[].givenNames',
        'travelers[].dateOfBirth',
        'travelers[].document.number',
      ],
      (p, v) => keys.digestOrKeep(p, v),
    ) as { travelers: Record<string, unknown>[] };
    expect(recogniser.identities(masked.travelers[0]!)).toEqual(recogniser.identities(traveler));
    expect(recogniser.identities(traveler)).toHaveLength(2);
  });
});
