import type { Queryable } from '../db/db';
import { date, str } from './row-mapping';

export interface AgreementVersionRecord {
  readonly agreementId: string;
  /** `sha256:<hex>` of `document`. */
  readonly sha256: string;
  /** The agreement's canonical JSON text, as the node loaded it. */
  readonly document: string;
  readonly firstSeenAt: Date;
}

/**
 * Every text of every agreement this node has run with. A node records its agreements at each start;
 * a version seen before keeps its first date, so "the agreement in force when a message travelled"
 * is the latest version first seen at or before that message.
 */
export class AgreementVersionsRepository {
  constructor(private readonly db: Queryable) {}

  async record(versions: readonly Omit<AgreementVersionRecord, 'firstSeenAt'>[], at: Date): Promise<number> {
    let added = 0;
    for (const v of versions) {
      const rows = await this.db.query(
        `insert into agreement_versions (agreement_id, sha256, document, first_seen_at) values ($1, $2, $3, $4)
         on conflict (agreement_id, sha256) do nothing returning sha256`,
        [v.agreementId, v.sha256, v.document, at],
      );
      added += rows.length;
    }
    return added;
  }

  /** The version of `agreementId` in force at `at`: the latest first seen at or before it (else the earliest). */
  async inForceAt(
    agreementId: string,
    at: Date,
    q: Queryable = this.db,
  ): Promise<AgreementVersionRecord | undefined> {
    const rows = await q.query(
      `select * from agreement_versions where agreement_id = $1
        order by (first_seen_at <= $2) desc, case when first_seen_at <= $2 then first_seen_at end desc nulls last,
                 first_seen_at asc
        limit 1`,
      [agreementId, at],
    );
    const r = rows[0];
    return r
      ? {
          agreementId: str(r.agreement_id),
          sha256: str(r.sha256),
          document: str(r.document),
          firstSeenAt: date(r.first_seen_at),
        }
      : undefined;
  }
}
