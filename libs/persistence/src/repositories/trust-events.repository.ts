import type { Queryable } from '../db/db';
import { date, str, strOrNull } from './row-mapping';

/** A key announcement as this node judged it the first time it saw it. */
export interface TrustEventRecord {
  /** SHA-256 of the signed record: the announcement's identity. */
  readonly digest: string;
  readonly party: string | null;
  readonly action: string | null;
  readonly subjectKid: string | null;
  readonly signerKid: string | null;
  /** `OK` when applied, otherwise the reason code it was refused with. */
  readonly outcome: string;
  readonly detail: string | null;
  /** The announcement exactly as read off the trust topic (a compact JWS, or whatever was written there). */
  readonly recordValue: string;
  readonly seenAt: Date;
}

/** Key announcements seen on the trust topic, applied or refused, each once. */
export class TrustEventsRepository {
  constructor(private readonly db: Queryable) {}

  /** Records an announcement; false when it was seen before (a replay at start-up), true the first time. */
  async remember(tx: Queryable, e: TrustEventRecord): Promise<boolean> {
    const rows = await tx.query(
      `insert into trust_events (digest, party, action, subject_kid, signer_kid, outcome, detail, record_value, seen_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (digest) do nothing returning digest`,
      [e.digest, e.party, e.action, e.subjectKid, e.signerKid, e.outcome, e.detail, e.recordValue, e.seenAt],
    );
    return rows.length > 0;
  }

  /** Every announcement seen, in the order first seen (for operators and tests). */
  async list(q: Queryable = this.db): Promise<TrustEventRecord[]> {
    const rows = await q.query('select * from trust_events order by seen_at, digest');
    return rows.map((r) => ({
      digest: str(r.digest),
      party: strOrNull(r.party),
      action: strOrNull(r.action),
      subjectKid: strOrNull(r.subject_kid),
      signerKid: strOrNull(r.signer_kid),
      outcome: str(r.outcome),
      detail: strOrNull(r.detail),
      recordValue: str(r.record_value),
      seenAt: date(r.seen_at),
    }));
  }
}
