import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/config';
import type { Db, InboxMessageRecord } from '@app/persistence';
import { TravelerSightingsRepository } from '@app/persistence';
import type { TravelerAssessmentResult } from '../passenger-risk/assessment/traveler-assessor';
import { DB } from '../shared/tokens';
import { MASKING_KEYS, type MaskingKeys } from './masking.keys';

/** Reason codes a returning traveler's result carries (they travel back like the assessor's own). */
export const RETURNING_TRAVELER = 'RETURNING_TRAVELER';
export const PREVIOUSLY_FLAGGED = 'PREVIOUSLY_FLAGGED';

/**
 * Recognises a traveler seen in an earlier query, masked or not, by keyed digests computed exactly as
 * the masking job computes the masked fields: the document number's digest, and a digest of the
 * surname's, given names' and date of birth's digests. A masked query holds these digests, so history
 * matches without ever being unmasked. One previously flagged is raised to at least a possible match.
 */
@Injectable()
export class ReturningTravelerRecogniser {
  constructor(
    @Inject(MASKING_KEYS) private readonly keys: MaskingKeys | null,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DB) private readonly db: Db,
    private readonly sightings: TravelerSightingsRepository,
  ) {}

  /** The traveler's identity digests; none without a masking secret. */
  identities(traveler: Record<string, unknown>): string[] {
    const keys = this.keys;
    if (!keys) return [];
    const s = (v: unknown) => (typeof v === 'string' ? v : '');
    const doc = (traveler.document ?? {}) as Record<string, unknown>;
    const out: string[] = [];
    const number = s(doc.number);
    if (number)
      out.push(
        keys.combine('doc', [s(doc.issuingState), keys.digestOrKeep('travelers[].document.number', number)]),
      );
    const surname = s(traveler.surname);
    const dob = s(traveler.dateOfBirth);
    if (surname && dob)
      out.push(
        keys.combine('person', [
          keys.digestOrKeep('travelers[].surname', surname),
          keys.digestOrKeep('travelers[].givenNames', s(traveler.givenNames)),
          keys.digestOrKeep('travelers[].dateOfBirth', dob),
        ]),
      );
    return out;
  }

  /** The results with returning travelers marked; then remembers this query's travelers. */
  async recognise(
    query: InboxMessageRecord,
    travelers: readonly Record<string, unknown>[],
    results: readonly TravelerAssessmentResult[],
  ): Promise<TravelerAssessmentResult[]> {
    if (!this.keys) return [...results];
    const identities = travelers.map((t) => this.identities(t));
    const seen = await this.sightings.seen(identities.flat(), query.id);
    const marked = results.map((r, i) => {
      const hits = (identities[i] ?? []).filter((d) => seen.has(d));
      if (hits.length === 0) return r;
      const flaggedBefore = hits.some((d) => seen.get(d) === true);
      const reasonCodes = [
        ...r.reasonCodes,
        RETURNING_TRAVELER,
        ...(flaggedBefore ? [PREVIOUSLY_FLAGGED] : []),
      ];
      if (!flaggedBefore || r.outcome !== 'NO_MATCH') return { ...r, reasonCodes };
      return {
        ...r,
        reasonCodes,
        outcome: 'POSSIBLE_MATCH' as const,
        recommendedAction: 'SECONDARY_INSPECTION' as const,
      };
    });
    await this.db.transaction((tx) =>
      this.sightings.record(
        tx,
        query.agreementId,
        query.id,
        this.clock.now(),
        marked.flatMap((r, i) =>
          (identities[i] ?? []).map((identityDigest) => ({
            identityDigest,
            flagged: r.outcome !== 'NO_MATCH',
          })),
        ),
      ),
    );
    return marked;
  }
}
