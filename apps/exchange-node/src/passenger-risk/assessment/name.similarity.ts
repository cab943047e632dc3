import { jaroWinkler } from './jaro-winkler';
import { type FieldToken, type PersonName, SURNAME } from './name.normalizer';

/**
 * Reason codes for the name part of a comparison:
 * - NAME_EXACT: identical after normalisation (case, diacritics, punctuation).
 * - NAME_VARIANT: the same name elements written differently: romanisation class, particles, spacing
 *   ("AL RASHID"/"ALRASHID"), or order within one field.
 * - NAME_TOKEN_ORDER: name elements found in the other field (surname and given names swapped).
 * - NAME_FUZZY: at least one element matched only approximately (a typo).
 * - NAME_PARTIAL: elements present on one side only (a middle name, a second surname).
 * - NAME_MISMATCH: no element in common; only reported when other evidence still flags the traveler.
 */
export type NameReason =
  'NAME_EXACT' | 'NAME_VARIANT' | 'NAME_TOKEN_ORDER' | 'NAME_FUZZY' | 'NAME_PARTIAL' | 'NAME_MISMATCH';

export interface NameComparison {
  /** 0..1 */
  readonly score: number;
  readonly reasons: readonly NameReason[];
}

/** Two tokens are the same name element from here: one wrong letter in a name of five letters or more. */
export const TOKEN_MIN_SIMILARITY = 0.88;
/** A name that is not identical is never certain, however well its elements line up. */
const NON_EXACT_CEILING = 0.98;
/** Swaps are frequent data-entry errors, so they cost little; the date of birth decides. */
const ORDER_PENALTY = 0.04;
/** Per element without a partner: a missing middle name is common, several missing ones are not. */
const UNPAIRED_PENALTY = 0.05;
/** A given name alone, or any single element of a longer name, does not identify anyone. */
const SURNAME_UNMATCHED_CAP = 0.5;
const SINGLE_ELEMENT_CAP = 0.6;

const EXACT: NameComparison = { score: 1, reasons: ['NAME_EXACT'] };

/** Order-tolerant comparison of a traveler's name with a listed name. */
export function compareNames(traveler: PersonName, listed: PersonName): NameComparison {
  if (traveler.surname.full === listed.surname.full && traveler.given.full === listed.given.full)
    return EXACT;
  const aligned = alignTokens(traveler.fieldTokens, listed.fieldTokens);
  const compact = compactSimilarity(traveler, listed);
  const best: NameComparison =
    compact > aligned.score
      ? { score: compact, reasons: [compact === 1 ? 'NAME_VARIANT' : 'NAME_FUZZY'] }
      : aligned;
  return { score: Math.min(best.score, NON_EXACT_CEILING), reasons: best.reasons };
}

interface Pair {
  readonly t: number;
  readonly l: number;
  readonly similarity: number;
  readonly sameField: boolean;
}

/**
 * Pairs the elements of both names greedily, most similar first (names have a handful of elements, so
 * greedy equals optimal in practice), and scores the pairing against the shorter name: a missing
 * middle name or second surname costs UNPAIRED_PENALTY, not a share of the score.
 */
function alignTokens(traveler: readonly FieldToken[], listed: readonly FieldToken[]): NameComparison {
  const pairs = bestPairs(traveler, listed);
  const shorter = Math.min(traveler.length, listed.length);
  const longer = Math.max(traveler.length, listed.length);
  if (pairs.length === 0 || shorter === 0) return { score: 0, reasons: ['NAME_MISMATCH'] };
  const swapped = pairs.some((p) => !p.sameField);
  const fuzzy = pairs.some((p) => p.similarity < 1);
  const unpaired = longer - pairs.length;
  let score = pairs.reduce((sum, p) => sum + p.similarity, 0) / shorter;
  score -= unpaired * UNPAIRED_PENALTY + (swapped ? ORDER_PENALTY : 0);
  if (!pairs.some((p) => ((listed[p.l]?.fields ?? 0) & SURNAME) !== 0))
    score = Math.min(score, SURNAME_UNMATCHED_CAP);
  if (pairs.length < 2 && longer >= 2) score = Math.min(score, SINGLE_ELEMENT_CAP);
  const reasons: NameReason[] = [];
  if (swapped) reasons.push('NAME_TOKEN_ORDER');
  if (fuzzy) reasons.push('NAME_FUZZY');
  if (unpaired > 0) reasons.push('NAME_PARTIAL');
  if (reasons.length === 0) reasons.push('NAME_VARIANT');
  return { score: Math.max(0, score), reasons };
}

/** Greedy by highest similarity; names have a handful of elements, so a quadratic scan is cheapest. */
function bestPairs(traveler: readonly FieldToken[], listed: readonly FieldToken[]): Pair[] {
  const width = listed.length;
  const similarity: number[] = [];
  for (const t of traveler) for (const l of listed) similarity.push(tokenSimilarity(t.token, l.token));
  const usedT: boolean[] = [];
  const usedL: boolean[] = [];
  const chosen: Pair[] = [];
  for (;;) {
    let best: Pair | undefined;
    for (let ti = 0; ti < traveler.length; ti++)
      for (let li = 0; li < width; li++) {
        const sim = similarity[ti * width + li] ?? 0;
        if (sim === 0 || usedT[ti] === true || usedL[li] === true || (best && sim < best.similarity))
          continue;
        const sameField = ((traveler[ti]?.fields ?? 0) & (listed[li]?.fields ?? 0)) !== 0;
        // Ties go to a pairing within the same field, so a repeated element is not mistaken for a swap.
        if (best && sim === best.similarity && (best.sameField || !sameField)) continue;
        best = { t: ti, l: li, similarity: sim, sameField };
      }
    if (!best) return chosen;
    usedT[best.t] = true;
    usedL[best.l] = true;
    chosen.push(best);
  }
}

/**
 * Jaro-Winkler, counted only from TOKEN_MIN_SIMILARITY and for lengths at most one letter apart (two
 * from eight letters up): one typo, as the blocking keys assume. Without the length rule the prefix
 * bonus would let "WANG" pass for "WANGLI" and "MARIA" for "MARIANA".
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // Plain arithmetic rather than Math.*: this runs per token pair, and global lookups are slow in vm contexts.
  const difference = a.length > b.length ? a.length - b.length : b.length - a.length;
  if (difference > (a.length >= 8 || b.length >= 8 ? 2 : 1)) return 0;
  const sim = jaroWinkler(a, b);
  return sim >= TOKEN_MIN_SIMILARITY ? sim : 0;
}

/**
 * Field by field on the names written without spaces, for names split or joined differently
 * ("DELACRUZ"/"DE LA CRUZ", "NUNEZGARCIA"/"NUNEZ GARCIA"), with the same one-typo tolerance.
 */
function compactSimilarity(traveler: PersonName, listed: PersonName): number {
  const surname = compactPair(traveler.surnameCompact, listed.surnameCompact);
  const given = compactPair(traveler.givenCompact, listed.givenCompact);
  return surname > 0 && given > 0 ? (surname + given) / 2 : 0;
}

function compactPair(a: string, b: string): number {
  return a === '' && b === '' ? 1 : tokenSimilarity(a, b);
}
