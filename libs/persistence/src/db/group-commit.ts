import {
  AuditLogRepository,
  type AuditBuffer,
  type PendingAuditEntry,
} from '../repositories/audit-log.repository';
import { LeasesRepository } from '../repositories/leases.repository';
import type { Db, Queryable, Row } from './db';
import { joinWrites, rowStatements, type RowBuffer, type RowSpec } from './deferred-rows';

interface Unit {
  readonly work: (tx: Queryable) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Transactions committed, and the units of work they carried. */
  readonly commits: number;
  readonly units: number;
  /** Batches that failed as a whole and were re-run one unit per transaction. */
  readonly fallbacks: number;
}

export interface GroupCommitOptions {
  /** Units one transaction carries at most. */
  readonly maxUnits?: number;
  /** Where a transaction open longer than `slowAfterMs` is reported (the node's log, as an error). */
  readonly reportSlow?: (message: string) => void;
  readonly slowAfterMs?: number;
}

/** The advisory lock every group-commit transaction of a node's replicas takes first. */
export const GROUP_COMMIT_LOCK = 'puente.group-commit';

/**
 * Group commit: units of work that arrive while a transaction is in flight wait and then run
 * together, one after another, in the next transaction — one BEGIN, one audit head lock, then one
 * statement for all the rows they defer (writeRow: a multi-row insert or update per spec) and all
 * their audit entries, one COMMIT (and one WAL flush) for up to `maxUnits` messages. Each caller
 * still gets its own result, and its effects are durable when it resolves, exactly as with
 * `db.transaction`.
 *
 * If a batch fails, no unit's effects are kept: the units are re-run one per transaction, so one
 * unit's error (a constraint, a fault) is that unit's alone and the others still commit.
 */
export class GroupCommitter {
  private readonly queue: Unit[] = [];
  private flushing = false;
  private commits = 0;
  private units = 0;
  private fallbacks = 0;
  private readonly audit: AuditLogRepository;
  private readonly maxUnits: number;
  /** What the open transaction is doing, for the slow-transaction warning. */
  private step = '';

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.audit = new AuditLogRepository(db);
    this.maxUnits = options.maxUnits ?? 64;
  }

  run<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  get stats(): GroupCommitStats {
    return { commits: this.commits, units: this.units, fallbacks: this.fallbacks };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      for (let batch = this.take(); batch.length > 0; batch = this.take()) await this.commit(batch);
    } finally {
      this.flushing = false;
    }
  }

  private take(): Unit[] {
    return this.queue.splice(0, this.maxUnits);
  }

  private async commit(batch: readonly Unit[]): Promise<void> {
    let results: unknown[];
    try {
      results = await this.transaction(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.fallbacks += 1;
      for (const unit of batch)
        await this.transaction([unit]).then(
          ([result]) => unit.resolve(result),
          (e: unknown) => unit.reject(e),
        );
      return;
    }
    batch.forEach((unit, i) => unit.resolve(results[i]));
  }

  private async transaction(batch: readonly Unit[]): Promise<unknown[]> {
    const watch = this.watch(batch.length);
    try {
      return await this.inOneTransaction(batch);
    } finally {
      clearInterval(watch);
    }
  }

  /**
   * Every unit and the node's every write wait behind an open group commit: one that stays open (a
   * query or a unit that never completes) stalls the node. It is named in the log every
   * `slowAfterMs` (30 s) while it lasts, with the step it is at, so the stall explains itself.
   */
  private watch(units: number): ReturnType<typeof setInterval> | undefined {
    const report = this.options.reportSlow;
    if (!report) return undefined;
    const started = Date.now();
    const timer = setInterval(
      () =>
        report(
          `a group commit of ${units} unit(s) has been open for ${Math.round((Date.now() - started) / 1000)} s, ` +
            `at: ${this.step}; every write of this node waits behind it`,
        ),
      this.options.slowAfterMs ?? 30_000,
    );
    timer.unref();
    return timer;
  }

  private async inOneTransaction(batch: readonly Unit[]): Promise<unknown[]> {
    this.step = 'beginning (waiting for a connection, BEGIN)';
    const results = await this.db.transaction(async (tx) => {
      // Replicas of the node (processes on one PostgreSQL database) commit one group at a time too:
      // event numbers then commit in order across processes, so a reader that has seen `seq` n never
      // finds a smaller one committing later. The audit head lock would serialise them anyway.
      this.step = 'waiting for the group-commit lock';
      if (this.db.kind === 'postgres') await LeasesRepository.lock(tx, GROUP_COMMIT_LOCK);
      const deferred: PendingAuditEntry[] = [];
      // Order is kept: specs in the order of their first row, rows in the order given.
      const writes = new Map<RowSpec, (readonly unknown[])[]>();
      const buffered: AuditBuffer & RowBuffer = {
        query: <T extends Row = Row>(sql: string, params?: readonly unknown[]) => tx.query<T>(sql, params),
        deferAudit: (entry) => deferred.push(entry),
        deferRow: (spec, row) => {
          const rows = writes.get(spec);
          if (rows) rows.push(row);
          else writes.set(spec, [row]);
        },
      };
      const out: unknown[] = [];
      for (const [i, unit] of batch.entries()) {
        this.step = `running unit ${i + 1} of ${batch.length}`;
        out.push(await unit.work(buffered));
      }
      const statements = [...writes].flatMap(([spec, rows]) => rowStatements(spec, rows));
      this.step = 'locking the audit head';
      statements.push(...(await this.audit.chain(tx, deferred)));
      this.step = 'writing the rows and audit entries';
      for (const { sql, params } of joinWrites(statements)) await tx.query(sql, params);
      this.step = 'committing';
      return out;
    });
    this.commits += 1;
    this.units += batch.length;
    return results;
  }
}
