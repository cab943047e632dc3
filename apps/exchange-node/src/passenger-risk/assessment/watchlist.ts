/** One listed person as the assessing administration keeps it. Fictitious in every file of this repo. */
export interface WatchlistEntry {
  readonly id: string;
  readonly surname: string;
  readonly givenNames: string;
  /** YYYY-MM-DD; absent when the listing authority does not know it. */
  readonly dateOfBirth?: string;
  /** ISO 3166-1 alpha-3. */
  readonly nationality?: string;
  readonly documentNumbers?: readonly string[];
  /** Why the person is listed; stays with the assessing administration, never in a result. */
  readonly reason: string;
}

export interface Watchlist {
  readonly entries: readonly WatchlistEntry[];
}

/**
 * Where the matcher gets the list it should use now. A reloading source returns a new object after a
 * change, which is how the matcher knows to rebuild its candidate index.
 */
export interface WatchlistProvider {
  current(): Watchlist;
}

/** A provider for a list that never changes (tests, the bench, a list baked into a deployment). */
export function fixedWatchlist(watchlist: Watchlist): WatchlistProvider {
  return { current: () => watchlist };
}
