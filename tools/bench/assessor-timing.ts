/**
 * `npm run bench:assessor` — timing of the default assessor at its design size: a full flight (1,000
 * travelers, the contract's maximum) against a 10,000-entry watchlist whose names are drawn from the
 * same first and last names as the travelers, the worst case for blocking. CPU only: no broker, no
 * database.
 */
import { performance } from 'node:perf_hooks';
import { seededRandom, syntheticTravelerFacts, syntheticWatchlistEntries } from '@app/testing';
import { fixedWatchlist, WatchlistMatcher } from '../../apps/exchange-node/src';

const CONTEXT = { departure: new Date('2026-06-01T12:00:00Z') };
const watchlist = { entries: syntheticWatchlistEntries(seededRandom(1), 10_000) };
const matcher = new WatchlistMatcher(fixedWatchlist(watchlist));

const ms = (start: number) => (performance.now() - start).toFixed(1);

let start = performance.now();
matcher.assess([], CONTEXT); // builds the candidate index for this list
console.log(`index build, 10,000 entries: ${ms(start)} ms`);

for (const run of [1, 2, 3]) {
  const travelers = syntheticTravelerFacts(seededRandom(100 + run), 1000);
  const before = matcher.comparisonCount;
  start = performance.now();
  const results = matcher.assess(travelers, CONTEXT);
  const flagged = results.filter((r) => r.outcome !== 'NO_MATCH').length;
  const comparisons = matcher.comparisonCount - before;
  console.log(
    `run ${run}: 1,000 travelers × 10,000 entries: ${ms(start)} ms (${comparisons} comparisons, ${flagged} flagged)`,
  );
}
