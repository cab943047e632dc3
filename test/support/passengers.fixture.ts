import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TravelerJson, syntheticTravelers } from '@app/testing';
import type { TestNetworkOptions } from './test-network';

export { flightQuery, syntheticTravelers, type TravelerJson } from '@app/testing';

/** The three listed people of the tests, as the watchlist holds them. */
export const LISTED = [
  {
    id: 'WL-T1',
    surname: 'Quintanilla Ostorga',
    givenNames: 'Rigoberto',
    dateOfBirth: '1975-08-21',
    nationality: 'SLV',
    documentNumbers: ['SVQ7730411'],
    reason: 'test entry',
  },
  {
    id: 'WL-T2',
    surname: 'Núñez-García',
    givenNames: 'José Ernesto',
    dateOfBirth: '1980-03-14',
    nationality: 'SLV',
    reason: 'test entry',
  },
  {
    id: 'WL-T3',
    surname: 'Villatoro Castaneda',
    givenNames: 'Xiomara',
    dateOfBirth: '1991-11-02',
    nationality: 'SLV',
    reason: 'test entry',
  },
] as const;

/** The three travelers that should be flagged: exact; accents and order changed; one letter off. */
export function flaggedTravelers(): TravelerJson[] {
  const base = syntheticTravelers(3, 99);
  return [
    {
      ...base[0]!,
      travelerRef: 'HIT-EXACT',
      surname: 'Quintanilla Ostorga',
      givenNames: 'Rigoberto',
      dateOfBirth: '1975-08-21',
      document: { ...base[0]!.document, number: 'SVQ7730411' },
    },
    {
      ...base[1]!,
      travelerRef: 'HIT-ACCENT',
      surname: 'JOSE ERNESTO',
      givenNames: 'NUNEZ GARCIA',
      dateOfBirth: '1980-03-14',
    },
    {
      ...base[2]!,
      travelerRef: 'HIT-TYPO',
      surname: 'Villatoro Castaneba',
      givenNames: 'Xiomara',
      dateOfBirth: '1991-11-02',
    },
  ];
}

export function writeWatchlist(file: string): void {
  const yaml = ['# fictitious test entries', 'entries:'];
  for (const e of LISTED) {
    yaml.push(
      `  - id: ${e.id}`,
      `    surname: ${e.surname}`,
      `    givenNames: ${e.givenNames}`,
      `    dateOfBirth: '${e.dateOfBirth}'`,
      `    nationality: ${e.nationality}`,
    );
    if ('documentNumbers' in e) yaml.push(`    documentNumbers: [${e.documentNumbers.join(', ')}]`);
    yaml.push(`    reason: ${e.reason}`);
  }
  writeFileSync(file, `${yaml.join('\n')}\n`);
}

/** Network options that make us-cbp's node answer traveler risk queries against the test watchlist. */
export function withAssessor(): Pick<TestNetworkOptions, 'envFor' | 'beforeNodes'> {
  return {
    envFor: (party, dir) =>
      party === 'us-cbp'
        ? { PUENTE_RISK_ASSESSOR: 'watchlist', PUENTE_WATCHLIST_FILE: join(dir, 'watchlist.yaml') }
        : undefined,
    beforeNodes: (dir) => writeWatchlist(join(dir, 'watchlist.yaml')),
  };
}
