/**
 * The seam between the passenger-risk use case and whatever decides whether a traveler is of interest.
 * The default is the watchlist matcher of this folder; an administration with its own targeting system
 * binds a different implementation to TRAVELER_ASSESSOR and nothing else changes.
 */

/** What the assessing administration receives about one traveler (API data set, ATS-G). */
export interface TravelerFacts {
  /** The sender's opaque row reference: the only way a traveler may be named in logs and errors. */
  readonly travelerRef: string;
  readonly surname: string;
  readonly givenNames: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  /** ISO 3166-1 alpha-3, as in ICAO travel documents. */
  readonly nationality: string;
  readonly documentNumber?: string;
  readonly documentIssuingState?: string;
}

export type AssessmentOutcome = 'NO_MATCH' | 'POSSIBLE_MATCH' | 'MATCH';
export type RecommendedAction = 'NONE' | 'SECONDARY_INSPECTION' | 'REFER_TO_OFFICER';

export interface TravelerAssessmentResult {
  readonly travelerRef: string;
  readonly outcome: AssessmentOutcome;
  /** 0..1 */
  readonly score: number;
  readonly recommendedAction: RecommendedAction;
  /** Why, as stable codes (NAME_EXACT, DOB_MATCH, …); never the data that was compared. */
  readonly reasonCodes: string[];
  /** For the assessing administration's own officers; it does not belong on the wire back to the sender. */
  readonly watchlistEntryId?: string;
}

export interface AssessmentContext {
  /** Scheduled departure of the flight; lets an implementation honour time-bound listings. */
  readonly departure: Date;
}

export interface TravelerAssessor {
  /** One result per traveler, in the order given. Pure: no I/O, no logging of traveler data. */
  assess(
    travelers: readonly TravelerFacts[],
    context: AssessmentContext,
  ): readonly TravelerAssessmentResult[];
}

/** Injection token: `{ provide: TRAVELER_ASSESSOR, useFactory: … }` selects the implementation. */
export const TRAVELER_ASSESSOR = Symbol('TRAVELER_ASSESSOR');
