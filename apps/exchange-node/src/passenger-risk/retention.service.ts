import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { type Db, type RedactionCount, runRetention } from '@app/persistence';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { CATALOG, DB } from '../shared/tokens';

/**
 * Deletes the personal data each agreement's retention period has run out for (ATS-G limits how long
 * passenger data may be kept), on a schedule; `npm run retention` runs the same pass on demand.
 * Metadata and the audit chain stay.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(DB) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.retention.intervalSeconds * 1000;
    // One replica of the node runs each interval's pass.
    this.timer = this.replicas.everyInterval('retention', every, () => this.run(), {
      logger: this.logger,
      what: 'retention run',
    });
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every agreement with a retention period; returns what was removed per agreement. */
  async run(): Promise<Record<string, RedactionCount>> {
    const done: Record<string, RedactionCount> = {};
    for (const pass of await runRetention(this.db, this.catalog.agreements, this.clock.now())) {
      done[pass.agreementId] = pass.count;
      if (pass.count.received + pass.count.sent > 0) {
        this.logger.log(
          `retention ${pass.agreementId}: removed personal data of ${pass.count.received} received and ${pass.count.sent} sent messages older than ${pass.retentionDays} days`,
        );
      }
    }
    return done;
  }
}
