import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { AuditLogRepository, type Db, type RedactionCount, RetentionRepository } from '@app/persistence';
import { CATALOG, DB } from '../shared/tokens';

const DAY_MS = 86_400_000;

/**
 * Deletes the personal data each agreement's retention period has run out for (design.md §1: ATS-G
 * retention limit), on a schedule and on demand (`npm run retention`). Metadata and the audit chain stay.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly retention = new RetentionRepository();
  private readonly audit: AuditLogRepository;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(DB) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.audit = new AuditLogRepository(db);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.run().catch((error: unknown) =>
        this.logger.warn(`retention run failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, this.config.retention.intervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every agreement with a retention period; returns what was removed per agreement. */
  async run(): Promise<Record<string, RedactionCount>> {
    const now = this.clock.now();
    const done: Record<string, RedactionCount> = {};
    for (const agreement of this.catalog.agreements) {
      if (!agreement.retentionDays) continue;
      const cutoff = new Date(now.getTime() - agreement.retentionDays * DAY_MS);
      const count = await this.db.transaction(async (tx) => {
        const c = await this.retention.redactOlderThan(tx, agreement.id, cutoff, now);
        if (c.received + c.sent > 0) {
          await this.audit.append(tx, now, 'message.redacted', null, null, {
            agreement: agreement.id,
            cutoff: cutoff.toISOString(),
            received: c.received,
            sent: c.sent,
          });
        }
        return c;
      });
      done[agreement.id] = count;
      if (count.received + count.sent > 0) {
        this.logger.log(
          `retention ${agreement.id}: removed personal data of ${count.received} received and ${count.sent} sent messages older than ${agreement.retentionDays} days`,
        );
      }
    }
    return done;
  }
}
