import type { TravelerAssessmentResult } from './assessment/traveler-assessor';

/** How long an assessment stands: until a day after the flight is due to arrive. */
const VALID_AFTER_ARRIVAL_MS = 24 * 3_600_000;

/**
 * The wire form (proto3 JSON) of the assessor's results. The watchlist entry stays with the assessing
 * administration: only outcome, score, recommended action and reason codes travel back.
 */
export function toRiskAssessmentPayload(
  queryMessageId: string,
  results: readonly TravelerAssessmentResult[],
  flight: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  const arrival = Date.parse(typeof flight.scheduledArrival === 'string' ? flight.scheduledArrival : '');
  const validUntil = new Date(
    (Number.isNaN(arrival) ? now.getTime() : arrival) + VALID_AFTER_ARRIVAL_MS,
  ).toISOString();
  return {
    queryMessageId,
    results: results.map((r) => ({
      travelerRef: r.travelerRef,
      outcome: `RISK_OUTCOME_${r.outcome}`,
      ...(r.score > 0 ? { score: Math.round(r.score * 1000) / 1000 } : {}),
      recommendedAction: `RECOMMENDED_ACTION_${r.recommendedAction}`,
      ...(r.reasonCodes.length > 0 ? { reasonCodes: [...r.reasonCodes] } : {}),
      validUntil,
    })),
  };
}
