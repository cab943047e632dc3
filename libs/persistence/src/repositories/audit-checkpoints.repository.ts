import type { Queryable } from '../db/db';
import { date, str } from './row-mapping';

export interface AuditCheckpointRecord {
  readonly party: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: Date;
  /** The signed checkpoint as published (a compact JWS): evidence a peer can be held to. */
  readonly recordValue: string;
  readonly receivedAt: Date;
}

/**
 * Audit checkpoints: this node's own as it published them, and its peers' as it received them.
 * A peer's checkpoints held here are what that peer cannot later deny: its audit chain must still
 * have those hashes at those entries.
 */
export class AuditCheckpointsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Keeps a checkpoint; the first one held for (party, seq) stays. Returns the hash already held
   * when it differs from this one (the party presented two heads for one entry), else undefined.
   */
  async hold(c: AuditCheckpointRecord, q: Queryable = this.db): Promise<string | undefined> {
    const rows = await q.query<{ hash: string }>(
      `insert into audit_checkpoints (party, seq, hash, at, record_value, received_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (party, seq) do update set party = audit_checkpoints.party
       returning hash`,
      [c.party, c.seq, c.hash, c.at, c.recordValue, c.receivedAt],
    );
    const held = rows[0]?.hash;
    return held !== undefined && held !== c.hash ? held : undefined;
  }

  /** A party's checkpoints held here, by entry number. */
  async listFor(party: string, q: Queryable = this.db): Promise<AuditCheckpointRecord[]> {
    const rows = await q.query('select * from audit_checkpoints where party = $1 order by seq', [party]);
    return rows.map((r) => ({
      party: str(r.party),
      seq: Number(r.seq),
      hash: str(r.hash),
      at: date(r.at),
      recordValue: str(r.record_value),
      receivedAt: date(r.received_at),
    }));
  }

  /** The highest entry number of `party` held here (0 when none). */
  async lastSeq(party: string, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ n: string | null }>(
      'select max(seq)::text as n from audit_checkpoints where party = $1',
      [party],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
