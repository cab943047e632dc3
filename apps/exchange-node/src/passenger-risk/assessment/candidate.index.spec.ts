import { blockingKeys, CandidateIndex } from './candidate.index';
import { prepareEntry, prepareTraveler } from './prepared-person';
import type { TravelerFacts } from './traveler-assessor';
import type { WatchlistEntry } from './watchlist';

const entry = (id: string, surname: string, givenNames: string, over: Partial<WatchlistEntry> = {}) =>
  prepareEntry({ id, surname, givenNames, reason: 'test', ...over });
const traveler = (surname: string, givenNames: string, over: Partial<TravelerFacts> = {}) =>
  prepareTraveler({
    travelerRef: 'T1',
    surname,
    givenNames,
    dateOfBirth: '1990-01-01',
    nationality: 'SLV',
    ...over,
  });

const index = new CandidateIndex([
  entry('e0', 'Núñez García', 'José', { dateOfBirth: '1980-03-14' }),
  entry('e1', 'Pérez', 'José', { documentNumbers: ['ZX1000001'] }),
  entry('e2', 'Sukarno', ''),
  entry('e3', 'Smith', 'John'),
]);
const ids = (t: ReturnType<typeof traveler>) => index.candidates(t).map((i) => index.entries[i]?.id);

describe('blockingKeys', () => {
  it('are the element and, from three letters, each one-letter deletion', () => {
    expect(blockingKeys('LI')).toEqual(['LI']);
    expect(blockingKeys('LIU')).toEqual(['LIU', 'IU', 'LU', 'LI']);
    expect(blockingKeys('JOSE')).toEqual(['JOSE', 'OSE', 'JSE', 'JOE', 'JOS']);
  });
});

describe('CandidateIndex', () => {
  it('finds a listed person through one-typo variants of two name elements', () => {
    expect(ids(traveler('Nunex Garcia', 'Jose'))).toEqual(['e0']);
    expect(ids(traveler('Nunez Gracia', 'Jsoe'))).toEqual(['e0']);
    expect(ids(traveler('Garcia', 'Nunez'))).toEqual(['e0']);
  });

  it('does not offer a listed person sharing a single element of a longer name', () => {
    expect(ids(traveler('Perez', 'Maria'))).toEqual([]);
    expect(ids(traveler('Garcia', 'Pedro'))).toEqual([]);
  });

  it('offers a single shared element when the date of birth is identical', () => {
    expect(ids(traveler('Garcia', 'Pedro', { dateOfBirth: '1980-03-14' }))).toEqual(['e0']);
  });

  it('offers a one-element listing on one element', () => {
    expect(ids(traveler('Sukarno', ''))).toEqual(['e2']);
  });

  it('offers the holder of a listed document number whatever the name', () => {
    expect(ids(traveler('Smith', 'John', { documentNumber: 'zx-1000001' }))).toEqual(['e1', 'e3']);
  });
});
