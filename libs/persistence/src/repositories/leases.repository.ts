import type { Queryable } from '../db/db';

/**
 * Coordination between the replicas of one node (several processes on one database): named leases
 * for work that must happen once — a scheduled job's run in an interval, the answer to one query —
 * and transaction-scoped advisory locks for work that must never run twice at the same time. Time is
 * the database server's, the one clock every replica shares.
 */
export class LeasesRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Takes the lease `name` for `ttlMs` if nobody holds it (never taken, or lapsed): true for the one
   * replica that got it. Holding it already does not renew it: a job that claims its interval runs
   * once in it, whichever replica asks.
   */
  async claim(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `insert into leases (name, holder, until)
       values ($1, $2, clock_timestamp() + make_interval(secs => $3::double precision / 1000))
       on conflict (name) do update set holder = excluded.holder, until = excluded.until
         where leases.until <= clock_timestamp()
       returning holder`,
      [name, holder, ttlMs],
    );
    return rows.length === 1;
  }

  /** Drops the lease if `holder` still has it (the work it named is done, or given up). */
  async release(name: string, holder: string): Promise<void> {
    await this.db.query('delete from leases where name = $1 and holder = $2', [name, holder]);
  }

  /** Deletes leases lapsed before `cutoff` (per-item leases would otherwise pile up). */
  async pruneLapsed(cutoff: Date): Promise<number> {
    const rows = await this.db.query('delete from leases where until < $1 returning name', [cutoff]);
    return rows.length;
  }

  /**
   * Takes the advisory lock `name` for the rest of `tx` if no other transaction holds it: false at
   * once otherwise. Released when the transaction ends — also when its process dies, since the
   * server ends the session — so a crashed replica never leaves the lock behind.
   */
  static async tryLock(tx: Queryable, name: string): Promise<boolean> {
    const [row] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as ok', [
      name,
    ]);
    return row?.ok === true;
  }

  /** Waits for the advisory lock `name`, held to the end of `tx` (serialises the replicas' work). */
  static async lock(tx: Queryable, name: string): Promise<void> {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [name]);
  }
}
