import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestNetworkOptions } from './test-network';

/** Fictitious people only. A small seeded generator keeps every run's flight identical. */
const GIVEN = [
  'Ana',
  'Carlos',
  'María',
  'Luis',
  'Elena',
  'Jorge',
  'Sofía',
  'Miguel',
  'Lucía',
  'Andrés',
  'Paula',
  'Diego',
  'Valeria',
  'Tomás',
  'Camila',
  'Hugo',
  'Irene',
  'Pablo',
  'Marta',
  'Raúl',
];
const FAMILY = [
  'Alvarado',
  'Benítez',
  'Cardona',
  'Delgadillo',
  'Escobar',
  'Figueroa',
  'Galdámez',
  'Henríquez',
  'Iraheta',
  'Jovel',
  'Lemus',
  'Marroquín',
  'Navas',
  'Orellana',
  'Portillo',
  'Quijada',
  'Rivas',
  'Salazar',
  'Tobar',
  'Ventura',
  'Zelaya',
];

export interface TravelerJson {
  travelerRef: string;
  surname: string;
  givenNames: string;
  dateOfBirth: string;
  sex: string;
  nationality: string;
  document: { type: string; number: string; issuingState: string; expiry: string };
  role: string;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function syntheticTravelers(count: number, seed = 7): TravelerJson[] {
  const next = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => ({
    travelerRef: `P${String(i + 1).padStart(4, '0')}`,
    surname: `${pick(FAMILY)} ${pick(FAMILY)}`,
    givenNames: pick(GIVEN),
    dateOfBirth: `19${60 + Math.floor(next() * 40)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
    sex: next() < 0.5 ? 'SEX_F' : 'SEX_M',
    nationality: 'SLV',
    document: {
      type: 'DOCUMENT_TYPE_PASSPORT',
      number: `SV${String(10_000_000 + Math.floor(next() * 89_999_999))}`,
      issuingState: 'SLV',
      expiry: '2031-06-30',
    },
    role: 'TRAVELER_ROLE_PASSENGER',
  }));
}

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

export function flightQuery(travelers: readonly TravelerJson[]): Record<string, unknown> {
  return {
    flight: {
      carrier: 'AV',
      flightNumber: '560',
      origin: 'SAL',
      destination: 'IAD',
      scheduledDeparture: '2026-12-01T13:05:00Z',
      scheduledArrival: '2026-12-01T19:20:00Z',
    },
    travelers,
  };
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
