import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, type Logger } from '@nestjs/common';
import { LeasesRepository } from '@app/persistence';

/**
 * What lets a node run as several replicas (processes sharing one PostgreSQL database and one set of
 * keys): a scheduled job runs in one replica per interval, and an item of background work (a query to
 * answer, a webhook round) is taken by one replica at a time. A single process always gets its claim,
 * so a node of one replica behaves as before.
 */
@Injectable()
export class ReplicaCoordinator {
  /** This process among the node's replicas (in leases and logs; not secret). */
  readonly replicaId: string;
  /** Names this process's own consumer group on the trust topic (letters and digits only). */
  readonly groupSuffix: string;

  constructor(private readonly leases: LeasesRepository) {
    const nonce = randomBytes(4).toString('hex');
    this.replicaId = `${hostname()}:${process.pid}:${nonce}`;
    this.groupSuffix = `r${process.pid}${nonce}`;
  }

  /**
   * True for the one replica that is to run `job` now: the first to ask in each interval of `everyMs`.
   * The lease is a little shorter than the interval, so the replica whose timer fires on time is not
   * turned away by its own previous run.
   */
  claimRun(job: string, everyMs: number): Promise<boolean> {
    const ttl = Math.max(1, everyMs - Math.min(everyMs / 10, 1_000));
    return this.leases.claim(`job:${job}`, this.replicaId, ttl);
  }

  /**
   * Runs `run` every `everyMs` in the one replica that claims the interval (claimRun); a failed run
   * is logged as `<what> failed: <cause>` and the next interval tries again. Returns the timer (not
   * keeping the process alive) for the caller to clear at shutdown.
   */
  everyInterval(
    job: string,
    everyMs: number,
    run: () => Promise<unknown>,
    log: { logger: Logger; what: string },
  ): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.claimRun(job, everyMs)
        .then((mine) => (mine ? run() : undefined))
        .catch((error: unknown) =>
          log.logger.warn(`${log.what} failed: ${error instanceof Error ? error.message : String(error)}`),
        );
    }, everyMs);
    timer.unref();
    return timer;
  }

  /**
   * True for the one replica that is to work on `item` now; others skip it. The claim lapses after
   * `ttlMs` (its holder died, say) and the work is free for another replica again.
   */
  claimItem(item: string, ttlMs: number): Promise<boolean> {
    return this.leases.claim(item, this.replicaId, ttlMs);
  }

  releaseItem(item: string): Promise<void> {
    return this.leases.release(item, this.replicaId);
  }
}
