import { compareDatesOfBirth, type DobAgreement } from './date-of-birth.comparison';
import { compareNames } from './name.similarity';
import type { PreparedPerson } from './prepared-person';
import type { AssessmentOutcome, RecommendedAction } from './traveler-assessor';

export interface Thresholds {
  /** Score at or above which the traveler is reported as MATCH. */
  readonly match: number;
  /** Score at or above which the traveler is reported as POSSIBLE_MATCH. */
  readonly possible: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { match: 0.9, possible: 0.75 };

/**
 * Evidence weights. The name is worth at most 0.85, below the MATCH threshold on purpose: a name alone,
 * however exact, is a POSSIBLE_MATCH; a second identifier is needed for a MATCH. A different date of
 * birth outweighs anything the name can add, so a namesake born on another day is NO_MATCH.
 */
const NAME_WEIGHT = 0.85;
const DOB_ADJUSTMENT: Readonly<Record<DobAgreement, number>> = {
  MATCH: 0.12,
  NEAR: -0.08,
  MISMATCH: -0.35,
  UNKNOWN: 0,
};
/** Dual nationals and wrong nationality fields are common: agreement helps a little, disagreement not at all. */
const NATIONALITY_MATCH = 0.03;
/** A listed document number presented at the border is strong evidence even when the name differs. */
const DOCUMENT_MATCH = 0.35;

export interface CandidateScore {
  readonly score: number;
  readonly outcome: AssessmentOutcome;
  readonly reasons: readonly string[];
}

export function scoreCandidate(
  traveler: PreparedPerson,
  listed: PreparedPerson,
  thresholds: Thresholds,
): CandidateScore {
  const name = compareNames(traveler.name, listed.name);
  const dob = compareDatesOfBirth(traveler.dateOfBirth, listed.dateOfBirth);
  const nationality = traveler.nationality !== undefined && traveler.nationality === listed.nationality;
  const document = traveler.documents.some((d) => listed.documents.includes(d));

  let score = name.score * NAME_WEIGHT + DOB_ADJUSTMENT[dob];
  score += (nationality ? NATIONALITY_MATCH : 0) + (document ? DOCUMENT_MATCH : 0);
  score = Math.min(1, Math.max(0, score));
  // A listed document in use is always looked at, whoever presents it (lost or stolen documents).
  if (document) score = Math.max(score, thresholds.possible);
  // Conflicting dates of birth: never an automatic MATCH, whatever else agrees; a person decides.
  if (dob === 'MISMATCH') score = Math.min(score, thresholds.match - 0.001);
  score = Math.round(score * 1000) / 1000;

  const reasons: string[] = [...name.reasons];
  if (dob !== 'UNKNOWN') reasons.push(`DOB_${dob}`);
  if (nationality) reasons.push('NATIONALITY_MATCH');
  if (document) reasons.push('DOCUMENT_MATCH');
  return { score, outcome: classify(score, thresholds), reasons };
}

export function classify(score: number, thresholds: Thresholds): AssessmentOutcome {
  if (score >= thresholds.match) return 'MATCH';
  return score >= thresholds.possible ? 'POSSIBLE_MATCH' : 'NO_MATCH';
}

/** Follows the escalation order of the wire contract (RecommendedAction in passenger_risk/v1). */
export function recommendedAction(outcome: AssessmentOutcome): RecommendedAction {
  switch (outcome) {
    case 'MATCH':
      return 'REFER_TO_OFFICER';
    case 'POSSIBLE_MATCH':
      return 'SECONDARY_INSPECTION';
    case 'NO_MATCH':
      return 'NONE';
  }
}

/** Rejects thresholds that would make an outcome unreachable or meaningless. */
export function validThresholds(t: Thresholds): boolean {
  return t.possible > 0 && t.possible <= t.match && t.match <= 1;
}
