import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';

/**
 * Synthetic travelers for tests, the traffic generator and the benchmark. Fictitious people only: a
 * small seeded generator keeps every run's flight identical.
 */
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

/** A TravelerRiskQuery payload: the example query's flight (AV 560 SAL→IAD) with these travelers. */
export function flightQuery(travelers: readonly TravelerJson[]): Record<string, unknown> {
  return { flight: EXAMPLE_PAYLOADS[MessageType.TravelerRiskQuery].flight, travelers };
}
