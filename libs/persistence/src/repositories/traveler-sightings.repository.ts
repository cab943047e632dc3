import type { Queryable } from '../db/db';
import { str } from './row-mapping';

export interface TravelerSighting {
  readonly identityDigest: string;
  readonly flagged: boolean;
}

/**
 * Keyed digests (never values) of the travelers each assessed query named, and whether the assessment
 * flagged them: a returning traveler is recognised by digest, whether the earlier query is masked or not.
 */
export class TravelerSightingsRepository {
  constructor(private readonly db: Queryable) {}

  async record(
    tx: Queryable,
    agreementId: string,
    messageId: string,
    seenAt: Date,
    sightings: readonly TravelerSighting[],
  ): Promise<void> {
    if (sightings.length === 0) return;
    await tx.query(
      `insert into traveler_sightings (agreement_id, message_id, identity_digest, seen_at, flagged)
        select $1, $2, d, $3, f from unnest($4::text[], $5::boolean[]) as s(d, f)
        on conflict (message_id, identity_digest) do update set flagged = traveler_sightings.flagged or excluded.flagged`,
      [
        agreementId,
        messageId,
        seenAt,
        sightings.map((s) => s.identityDigest),
        sightings.map((s) => s.flagged),
      ],
    );
  }

  /** For each digest seen before (in another message than `exceptMessageId`): whether it was ever flagged. */
  async seen(digests: readonly string[], exceptMessageId: string): Promise<Map<string, boolean>> {
    if (digests.length === 0) return new Map();
    const rows = await this.db.query(
      `select identity_digest, bool_or(flagged) as flagged from traveler_sightings
        where identity_digest = any($1::text[]) and message_id <> $2 group by identity_digest`,
      [digests, exceptMessageId],
    );
    return new Map(rows.map((r) => [str(r.identity_digest), r.flagged === true]));
  }
}
