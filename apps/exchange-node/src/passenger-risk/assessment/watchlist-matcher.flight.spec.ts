import { join } from 'node:path';
import { seededRandom, syntheticTravelerFacts, syntheticWatchlistEntries } from '@app/testing';
import { personName } from './name.normalizer';
import { compareNames } from './name.similarity';
import type { TravelerFacts } from './traveler-assessor';
import { fixedWatchlist, type Watchlist } from './watchlist';
import { WatchlistMatcher } from './watchlist-matcher';
import { loadWatchlist } from './watchlist.loader';

/**
 * A whole flight of fictitious travelers against the demo list plus 2,000 synthetic entries drawn from
 * the same first and last names, so that namesakes occur and must be told apart by the date of birth.
 */
const CONTEXT = { departure: new Date('2026-06-01T12:00:00Z') };
const demo = loadWatchlist(join(__dirname, '../../../../../config/watchlist.demo.yaml'));
const synthetic = syntheticWatchlistEntries(seededRandom(20260601), 2000);
const watchlist: Watchlist = { entries: [...demo.entries, ...synthetic] };
const listedSynthetic = synthetic[1234];

const planted: TravelerFacts[] = [
  { travelerRef: 'PLANT-EXACT', surname: 'NUNEZ GARCIA', givenNames: 'JOSE', dateOfBirth: '1980-03-14', nationality: 'SLV' },
  { travelerRef: 'PLANT-VARIANT', surname: 'PRIMEROV', givenNames: 'ALEXANDER', dateOfBirth: '1972-01-30', nationality: 'RUS' },
  {
    travelerRef: 'PLANT-TYPO',
    surname: `${listedSynthetic?.surname ?? ''}x`,
    givenNames: listedSynthetic?.givenNames ?? '',
    dateOfBirth: listedSynthetic?.dateOfBirth ?? '',
    nationality: listedSynthetic?.nationality ?? '',
  },
]; // prettier-ignore

function flight(): TravelerFacts[] {
  const travelers: TravelerFacts[] = syntheticTravelerFacts(seededRandom(7), 200);
  travelers.splice(150, 0, planted[2] as TravelerFacts);
  travelers.splice(90, 0, planted[1] as TravelerFacts);
  travelers.splice(10, 0, planted[0] as TravelerFacts);
  return travelers;
}

describe('WatchlistMatcher over a flight', () => {
  const travelers = flight();

  it('flags exactly the three watchlisted travelers among 200 random ones', () => {
    const results = new WatchlistMatcher(fixedWatchlist(watchlist)).assess(travelers, CONTEXT);
    expect(results).toHaveLength(203);
    const flagged = results.filter((r) => r.outcome !== 'NO_MATCH');
    expect(flagged.map((r) => [r.travelerRef, r.outcome, r.watchlistEntryId])).toEqual([
      ['PLANT-EXACT', 'MATCH', 'demo-0001'],
      ['PLANT-VARIANT', 'MATCH', 'demo-0008'],
      ['PLANT-TYPO', 'MATCH', listedSynthetic?.id],
    ]);
  });

  it('was not trivially easy: some random travelers share a listed name and differ only by birth date', () => {
    const listedNames = watchlist.entries.map((e) => personName(e.surname, e.givenNames));
    const namesakes = travelers
      .filter((t) => !t.travelerRef.startsWith('PLANT'))
      .map((t) => personName(t.surname, t.givenNames))
      .filter((name) => listedNames.some((n) => compareNames(name, n).score >= 0.9));
    expect(namesakes.length).toBeGreaterThanOrEqual(3);
  });

  it('uses the candidate index: far fewer comparisons than pairs, and the same results as comparing all', () => {
    const indexed = new WatchlistMatcher(fixedWatchlist(watchlist));
    const exhaustive = new WatchlistMatcher(fixedWatchlist(watchlist), { candidates: 'exhaustive' });
    const fromIndex = indexed.assess(travelers, CONTEXT);
    const fromAll = exhaustive.assess(travelers, CONTEXT);
    expect(fromIndex).toEqual(fromAll);
    const pairs = travelers.length * watchlist.entries.length;
    expect(exhaustive.comparisonCount).toBe(pairs);
    expect(indexed.comparisonCount).toBeLessThan(pairs / 50);
  });
});
