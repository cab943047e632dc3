import { AssessmentError } from './assessment.error';
import { CandidateIndex } from './candidate.index';
import {
  type CandidateScore,
  DEFAULT_THRESHOLDS,
  recommendedAction,
  scoreCandidate,
  type Thresholds,
  validThresholds,
} from './match.scoring';
import { type PreparedEntry, prepareEntry, prepareTraveler } from './prepared-person';
import type {
  AssessmentContext,
  TravelerAssessmentResult,
  TravelerAssessor,
  TravelerFacts,
} from './traveler-assessor';
import type { Watchlist, WatchlistProvider } from './watchlist';

export interface WatchlistMatcherOptions {
  readonly thresholds?: Thresholds;
  /**
   * 'indexed' (default) compares a traveler only with the candidates of the blocking index;
   * 'exhaustive' compares with every entry, to audit the index's recall against a list.
   */
  readonly candidates?: 'indexed' | 'exhaustive';
}

interface Best extends CandidateScore {
  readonly entry: PreparedEntry;
}

/** The default TravelerAssessor: every traveler against the current watchlist, best candidate wins. */
export class WatchlistMatcher implements TravelerAssessor {
  private readonly thresholds: Thresholds;
  private readonly exhaustive: boolean;
  private indexed: { readonly list: Watchlist; readonly index: CandidateIndex } | undefined;
  private comparisons = 0;

  constructor(
    private readonly watchlists: WatchlistProvider,
    options: WatchlistMatcherOptions = {},
  ) {
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    if (!validThresholds(this.thresholds))
      throw new AssessmentError('ASSESSOR_CONFIG_INVALID', ['thresholds: need 0 < possible ≤ match ≤ 1']);
    this.exhaustive = options.candidates === 'exhaustive';
  }

  /** Traveler × entry comparisons made so far: what the blocking index saves, made observable. */
  get comparisonCount(): number {
    return this.comparisons;
  }

  // The departure date is part of the contract for implementations with time-bound listings; entries
  // of this watchlist format have no validity period, so it is not needed here.
  assess(
    travelers: readonly TravelerFacts[],
    _context: AssessmentContext,
  ): readonly TravelerAssessmentResult[] {
    const index = this.currentIndex();
    return travelers.map((t) => this.assessOne(t, index));
  }

  private assessOne(traveler: TravelerFacts, index: CandidateIndex): TravelerAssessmentResult {
    const best = this.bestCandidate(traveler, index);
    if (!best || best.outcome === 'NO_MATCH') {
      // A no-match says nothing about near misses: the sending administration learns nothing of the list.
      return {
        travelerRef: traveler.travelerRef,
        outcome: 'NO_MATCH',
        score: 0,
        recommendedAction: 'NONE',
        reasonCodes: [],
      };
    }
    return {
      travelerRef: traveler.travelerRef,
      outcome: best.outcome,
      score: best.score,
      recommendedAction: recommendedAction(best.outcome),
      reasonCodes: [...best.reasons],
      watchlistEntryId: best.entry.id,
    };
  }

  /** Highest score; on a tie the entry listed first, so that results are reproducible. */
  private bestCandidate(traveler: TravelerFacts, index: CandidateIndex): Best | undefined {
    const person = prepareTraveler(traveler);
    const candidates = this.exhaustive ? index.entries.keys() : index.candidates(person);
    let best: Best | undefined;
    for (const i of candidates) {
      const entry = index.entries[i];
      if (!entry) continue;
      this.comparisons++;
      const scored = scoreCandidate(person, entry, this.thresholds);
      if (!best || scored.score > best.score) best = { ...scored, entry };
    }
    return best;
  }

  /** Rebuilt only when the provider hands out a different list (a reload). */
  private currentIndex(): CandidateIndex {
    const list = this.watchlists.current();
    if (this.indexed?.list !== list)
      this.indexed = { list, index: new CandidateIndex(list.entries.map(prepareEntry)) };
    return this.indexed.index;
  }
}
