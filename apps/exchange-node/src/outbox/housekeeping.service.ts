import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { InboundRejectionsRepository, OutboxRepository } from '@app/persistence';

const DAY_MS = 86_400_000;

/**
 * Keeps the node's working tables from growing without bound: published outbox rows once their
 * message is settled and past `PUENTE_OUTBOX_RETENTION_DAYS` (the broker has them; a message still
 * awaiting its receipt keeps its row for redelivery), and rejection rows — which hold the refused
 * record's bytes — after `PUENTE_REJECTIONS_RETENTION_DAYS`. The audit chain keeps the record of both.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HousekeepingService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
    private readonly rejections: InboundRejectionsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.run().catch((error: unknown) =>
        this.logger.warn(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, this.config.retention.intervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<{ outboxRows: number; rejectionRows: number }> {
    const now = this.clock.now().getTime();
    const { outboxDays, rejectionsDays } = this.config.retention;
    let outboxRows = 0;
    // In slices, so one pass never holds a long lock on the outbox the relay is reading.
    for (;;) {
      const n = await this.outbox.prunePublished(new Date(now - outboxDays * DAY_MS), 5_000);
      outboxRows += n;
      if (n < 5_000) break;
    }
    const rejectionRows = await this.rejections.deleteOlderThan(new Date(now - rejectionsDays * DAY_MS));
    if (outboxRows + rejectionRows > 0)
      this.logger.log(`housekeeping: pruned ${outboxRows} outbox rows, ${rejectionRows} rejection rows`);
    return { outboxRows, rejectionRows };
  }
}
